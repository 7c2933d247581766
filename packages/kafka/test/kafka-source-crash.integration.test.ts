// A consumer that dies mid-stream without a clean stop (it hangs: no more batches, heartbeats or
// commits, like a killed process) and a new one that takes over: nothing is missing, duplicates come
// only from the window the dead consumer had not committed, and no commit ever ran ahead of the sink.
import { requireKafka, uniqueName, waitFor } from '@evroute/testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KafkaSource } from '../src/index.js';
import { CommitGuard, GuardedClient } from './support/guarded-client.js';
import { brokers, createTopic, endOffsets, groupOffsets, produceEvents } from './support/kafka-fixtures.js';
import { RecordingPipeline, RecordingSink } from './support/recording-pipeline.js';

beforeAll(async () => {
  await requireKafka();
});

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).toReversed()) await close();
});

describe('KafkaSource crash and takeover (real broker)', () => {
  it('loses nothing when a consumer dies without a clean stop; redelivers only its uncommitted window', async () => {
    const total = 30_000;
    const topic = await createTopic('src_crash', 6);
    const groupId = uniqueName('src_crash_group');
    await produceEvents(topic, total, 6);
    const ends = await endOffsets(topic);

    const sink = new RecordingSink();
    const guard = new CommitGuard(sink);
    const common = {
      brokers: brokers(),
      groupId,
      topics: [topic],
      fromBeginning: true,
      commitIntervalMs: 100,
      sessionTimeoutMs: 6_000,
      rebalanceTimeoutMs: 6_000,
      heartbeatIntervalMs: 500,
    };

    // Consumer A: acks slowly, and freezes (the process "dies") after a third of the events.
    const clientA = new GuardedClient(guard);
    let frozenAt = 0;
    const pipelineA = new RecordingPipeline(sink, {
      maxPending: 2_000,
      perTick: 5,
      maxDelayMs: 50,
      onTick: (s) => {
        if (frozenAt === 0 && s.total >= total / 3) {
          frozenAt = s.total;
          clientA.freeze();
          pipelineA.freeze();
        }
      },
    });
    const a = new KafkaSource({ ...common, clientFactory: clientA.factory });
    pipelineA.source = a;
    closers.push(async () => {
      clientA.kill();
      await a.close(AbortSignal.timeout(5_000));
    });
    await a.start(pipelineA, AbortSignal.timeout(30_000));
    await waitFor(() => frozenAt > 0, { timeout: 30_000, message: 'consumer A froze mid-stream' });
    expect(frozenAt).toBeLessThan(total);

    // What the group had committed when A died: B starts from there.
    const committedAtDeath = await groupOffsets(groupId, topic);
    expect(guard.violations).toEqual([]);

    // Consumer B joins the same group; A is evicted after its session timeout and B takes every partition.
    const pipelineB = new RecordingPipeline(sink, { maxPending: 20_000 });
    const b = new KafkaSource({ ...common, clientFactory: new GuardedClient(guard).factory });
    pipelineB.source = b;
    closers.push(() => b.close(AbortSignal.timeout(10_000)), () => pipelineB.stop());
    await b.start(pipelineB, AbortSignal.timeout(30_000));

    await waitFor(() => sink.missing(ends).length === 0, { timeout: 40_000, message: 'every event written after the takeover' });
    await waitFor(
      async () => {
        const group = await groupOffsets(groupId, topic);
        return [...ends].every(([partition, end]) => group.get(partition) === end);
      },
      { timeout: 10_000, interval: 200, message: 'group offsets == end offsets' },
    );

    expect(guard.violations).toEqual([]);
    const duplicates = sink.duplicates();
    for (const { partition, offset } of duplicates) {
      // Only records A had not committed may be written twice.
      expect(offset >= BigInt(committedAtDeath.get(partition) ?? '0'), `duplicate ${partition}@${offset}`).toBe(true);
    }
    const committedTotal = [...committedAtDeath.values()].reduce((sum, o) => sum + Math.max(0, Number(o)), 0);
    expect(committedTotal, 'A committed progress before it died').toBeGreaterThan(0);
    expect(duplicates.length, 'redelivered = what A wrote but had not committed').toBeLessThanOrEqual(frozenAt - committedTotal);
    console.log(
      `[kafka-source-crash] A froze after ${frozenAt} writes; group had committed ` +
        `${[...committedAtDeath].map(([p, o]) => `${p}:${o}`).join(' ')}; ${duplicates.length} duplicates after takeover`,
    );
  });
});
