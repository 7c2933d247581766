import { describe, expect, it } from 'vitest';
import { createRouter } from '@evroute/core';
import { MemoryConfigSource, MemoryDeadLetterSink, MemorySink, MemorySource, silentLogger, waitFor } from '@evroute/testkit';
import { echo, harness, route } from './harness.js';

describe('the ack rule', () => {
  it('acknowledges nothing while the sink cannot write, and everything once it recovers', async () => {
    const h = await harness([route('1', 'a')]);
    h.sink.block();
    h.send('a', 20);
    await waitFor(() => h.sink.writes >= 1 && h.router.stats().inFlight === 20);
    expect(h.log.committed).toEqual([0, 0]);
    expect(h.router.stats().acknowledged).toBe(0);
    h.sink.failNext = 2; // after unblocking, two more failures before it recovers
    h.sink.release();
    await waitFor(() => h.log.uncommitted === 0);
    expect(h.sink.writes).toBeGreaterThanOrEqual(3);
    expect(new Set(h.sink.records.map((r) => r.value['eventId'])).size).toBe(20);
    await h.router.stop();
  });

  it('after a crash, a new source redelivers everything not acknowledged, with no gap', async () => {
    const h = await harness([route('1', 'a')], { batchSize: 20 });
    const all = h.send('a', 3_000);
    await waitFor(() => h.sink.records.length >= 600);
    h.source.crash();
    const writtenAtCrash = new Set(h.sink.records.map((r) => r.value['eventId'] as string));
    const committed = [...h.log.committed];
    // Committed offsets are never ahead of what the sink wrote.
    for (const [p, records] of h.log.partitions.entries()) {
      for (const record of records.slice(0, committed[p])) {
        expect(writtenAtCrash.has(JSON.parse(record.value as string).eventId)).toBe(true);
      }
    }
    await h.router.stop({ timeoutMs: 200 });

    const source = new MemorySource(h.log, { batchSize: 20 });
    const sink = new MemorySink('mem');
    const router = createRouter({
      source,
      config: new MemoryConfigSource([route('1', 'a')]),
      plugins: [echo],
      sinks: { mem: sink },
      outputs: { out: { sink: 'mem' } },
      deadLetter: new MemoryDeadLetterSink(),
      logger: silentLogger(),
    });
    await router.start();
    await waitFor(() => h.log.uncommitted === 0);
    // The second run started exactly at the committed offsets: nothing before them, nothing skipped.
    const redelivered = source.delivered;
    expect(redelivered.length).toBe(3_000 - committed.reduce((a, b) => a + b, 0));
    const union = new Set([...h.sink.records, ...sink.records].map((r) => r.value['eventId'] as string));
    expect(all.filter((id) => !union.has(id))).toEqual([]);
    await router.stop();
  });

  it('pauses the source while the sink lags, keeping in-flight records bounded', async () => {
    const h = await harness([route('1', 'a')], { maxInFlight: 200, batchSize: 50 });
    h.sink.block();
    h.send('a', 5_000);
    await waitFor(() => h.source.backpressured > 0);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.router.stats().inFlight).toBeLessThanOrEqual(200 + 50);
    expect(h.source.delivered.length).toBeLessThanOrEqual(200 + 50);
    h.sink.release();
    await waitFor(() => h.log.uncommitted === 0, { timeout: 20_000 });
    expect(h.sink.records).toHaveLength(5_000);
    await h.router.stop();
  });

  it('stop drains: every accepted event is written and acknowledged', async () => {
    const h = await harness([route('1', 'a')], { batch: { size: 10_000, lingerMs: 60_000 } });
    h.send('a', 500);
    await waitFor(() => h.source.delivered.length === 500);
    await h.router.stop();
    expect(h.sink.records).toHaveLength(500);
    expect(h.log.uncommitted).toBe(0);
  });

  it('does not acknowledge a dead-lettered event before the dead letter is stored', async () => {
    const h = await harness([route('1', 'a')]);
    h.dlq.failNext = 2;
    h.send('unknown-type', 3);
    await waitFor(() => h.dlq.records.length === 3);
    await waitFor(() => h.log.uncommitted === 0);
    expect(h.router.stats().deadLettered).toBe(3);
    await h.router.stop();
  });
});
