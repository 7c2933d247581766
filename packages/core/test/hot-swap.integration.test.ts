// Hot swap under load, against the real Kafka broker. A backlog on a topic, topped up by a producer thread
// that produces flat out, is consumed as fast as this machine goes; meanwhile 20 new versions of a plugin, each packed and signed with `evroute plugin pack`
// and `evroute plugin sign`, are dropped one after the other into the watched folder (renamed in from
// `.incoming/`). Each must process the events that come after its drop within 500 ms; throughput in the
// 500 ms after a drop must be at least 0.9 of the 500 ms before; and at the end the sink has every event
// exactly once. p50/p99 swap latency and the throughput ratio go to test/.results/hot-swap.json.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '@evroute/cli';
import { createRouter, InMemoryConfigSource, PluginLoader, type Sink, type SinkRecord, type Source, type SourceHandler, type SourceRecord } from '@evroute/core';
import { MemoryDeadLetterSink, requireKafka, silentLogger, uniqueName, waitFor } from '@evroute/testkit';

const SWAPS = 20;
const BACKLOG = 1_000_000;
/** Ids the sink can track: the backlog plus what the producer thread adds during the swaps. */
const MAX_EVENTS = 40_000_000;
const PARTITIONS = 4;
const WINDOW_MS = 500;
const GAP_MS = 1_100; // between drops: the window before a drop never overlaps the previous swap

/** The smallest Kafka source that honours the contract: batches in, backpressure by awaiting deliver. */
class KafkaBatchSource implements Source {
  readonly name = 'kafka-test';
  acknowledged = 0;
  constructor(readonly consumer: Consumer, readonly topic: string) {}
  async start(handler: SourceHandler): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    // Nothing is restarted in this test, so kafkajs's own commits are fine; the sink checks every event.
    await this.consumer.run({
      partitionsConsumedConcurrently: PARTITIONS,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const records: SourceRecord[] = batch.messages.map((m) => ({ value: m.value, key: m.key?.toString() ?? null, headers: {}, topic: batch.topic, partition: batch.partition, offset: m.offset }));
        await handler.deliver(records);
        await payload.heartbeat();
      },
    });
  }
  ack(records: readonly SourceRecord[]): void {
    this.acknowledged += records.length;
  }
  async close(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/**
 * Checks as it goes, in fixed memory: each event id written once (`seen`), per version the time it first
 * processed an event, events per 10 ms (for throughput), and "stale" events: processed more than
 * WINDOW_MS after drop k by a version older than k.
 */
class CheckingSink implements Sink {
  readonly name = 'checking';
  readonly seen = new Uint8Array(MAX_EVENTS);
  distinct = 0;
  duplicates = 0;
  written = 0;
  readonly firstAt = new Map<number, number>();
  readonly stale = new Map<number, number>();
  readonly per10ms = new Map<number, number>();
  /** Drop times by version index (set by the test as it drops). */
  readonly drops: number[] = [];
  write(records: readonly SinkRecord[]): Promise<void> {
    for (const r of records) {
      const n = Number((r.value['id'] as string).slice(1));
      if (this.seen[n] === 0) this.distinct++;
      else this.duplicates++;
      this.seen[n] = 1;
      this.written++;
      const at = r.value['at'] as number;
      const version = r.value['k'] as number;
      if (!this.firstAt.has(version)) this.firstAt.set(version, at);
      const bucket = Math.floor(at / 10);
      this.per10ms.set(bucket, (this.per10ms.get(bucket) ?? 0) + 1);
      // The newest drop whose window has passed when this event was processed.
      for (let k = this.drops.length - 1; k > version; k--) {
        if (at > this.drops[k]! + WINDOW_MS) {
          this.stale.set(k, (this.stale.get(k) ?? 0) + 1);
          break;
        }
      }
    }
    return Promise.resolve();
  }
  /** Events processed in [from, to). */
  between(from: number, to: number): number {
    let n = 0;
    for (let b = Math.floor(from / 10); b < Math.floor(to / 10); b++) n += this.per10ms.get(b) ?? 0;
    return n;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

// Produces events e<from>, e<from+1>, ... as fast as the broker takes them until told to stop, then
// posts how many it produced. Runs in its own thread so the router's thread only consumes.
const PRODUCER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { Kafka, logLevel } = require('node:module').createRequire(workerData.base)('kafkajs');
let stop = false;
parentPort.on('message', () => (stop = true));
(async () => {
  const producer = new Kafka({ clientId: 'hot-swap-producer', brokers: workerData.brokers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  let next = workerData.from;
  const now = Date.now();
  while (!stop) {
    const sends = [];
    for (let s = 0; s < 4; s++) {
      const messages = [];
      for (let i = 0; i < 8000; i++, next++) messages.push({ key: 'e' + next, value: '{"domain":"shop","type":"tick","eventId":"e' + next + '","timestamp":' + now + ',"payload":{}}' });
      sends.push(producer.send({ topic: workerData.topic, messages, acks: 1 }));
    }
    await Promise.all(sends);
  }
  await producer.disconnect();
  parentPort.postMessage(next - workerData.from);
})();
`;

function tickPackage(root: string, version: string): string {
  const dir = join(root, 'src', version);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'tick', version, type: 'module', exports: './src/index.ts' }));
  writeFileSync(join(dir, 'src', 'version.ts'), `export const VERSION = '${version}';\n`);
  writeFileSync(
    join(dir, 'src', 'index.ts'),
    `import { definePlugin } from '@evroute/core';
import { VERSION } from './version.ts';
export default definePlugin({
  name: 'tick', version: VERSION, core: '^0.1.0', outputs: { out: {} },
  create: () => ({ process: (event) => [{ to: 'out', value: { id: event.eventId, k: Number(VERSION.split('.')[1]), at: Date.now() } }] }),
});
`,
  );
  return dir;
}

async function cli(argv: string[]): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, '--json'], { out: (t) => void out.push(t), err: (t) => void err.push(t) });
  if (code !== 0) throw new Error(`evroute ${argv.join(' ')} exited ${code}: ${err.join('')}`);
  return out.join('');
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe('hot swap under load (Kafka)', () => {
  let brokers: string[];
  const kafka = (): Kafka => new Kafka({ clientId: uniqueName('hot-swap'), brokers, logLevel: logLevel.NOTHING });
  const cleanup: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    brokers = await requireKafka();
  });
  afterAll(async () => {
    for (const f of cleanup.toReversed()) await f();
  });

  it(`swaps ${SWAPS} signed versions while events flow: each serves, nothing lost or doubled (latency and throughput are recorded for the benchmark)`, { timeout: 300_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'evroute-hot-swap-'));
    const plugins = join(root, 'plugins');
    const incoming = join(plugins, '.incoming');
    // Pack and sign every version up front, with the evroute CLI.
    await cli(['plugin', 'keygen', '--out', join(root, 'deploy')]);
    const versions = Array.from({ length: SWAPS + 1 }, (_, i) => `1.${i}.0`);
    for (const v of versions) {
      const { dir } = JSON.parse(await cli(['plugin', 'pack', tickPackage(root, v), '--out', incoming])) as { dir: string };
      await cli(['plugin', 'sign', '--key', join(root, 'deploy.key'), dir]);
    }
    await rename(join(incoming, `tick@${versions[0]}`), join(plugins, `tick@${versions[0]}`));

    const topic = uniqueName('hot-swap');
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka().producer();
    await producer.connect();
    const now = Date.now();
    const producedFrom = Date.now();
    const chunk = 8_000; // a produce request stays under the broker's 1 MB message limit
    for (let sent = 0; sent < BACKLOG; sent += chunk * 8) {
      const sends = [];
      for (let from = sent; from < Math.min(BACKLOG, sent + chunk * 8); from += chunk) {
        const messages = Array.from({ length: Math.min(chunk, BACKLOG - from) }, (_, i) => {
          const id = `e${from + i}`;
          return { key: id, value: `{"domain":"shop","type":"tick","eventId":"${id}","timestamp":${now},"payload":{}}` };
        });
        sends.push(producer.send({ topic, messages, acks: 1 }));
      }
      await Promise.all(sends);
    }
    const produceMs = Date.now() - producedFrom;
    await producer.disconnect();

    const sink = new CheckingSink();
    const deadLetter = new MemoryDeadLetterSink();
    const source = new KafkaBatchSource(kafka().consumer({ groupId: uniqueName('hot-swap'), maxWaitTimeInMs: 50 }), topic);
    const router = createRouter({
      source,
      config: new InMemoryConfigSource([{ id: '1', domain: 'shop', eventType: 'tick', processor: 'tick', enabled: true, priority: 0 }]),
      sinks: { check: sink },
      outputs: { out: { sink: 'check' } },
      deadLetter,
      logger: silentLogger(),
      batch: { size: 500, lingerMs: 5 },
    });
    const loader = new PluginLoader({ dir: plugins, registry: router.registry, trust: { policy: 'require-signature', publicKeys: [readFileSync(join(root, 'deploy.pub'), 'utf8')] }, logger: silentLogger() });
    await loader.start();
    cleanup.push(() => loader.close());
    await router.start();
    cleanup.push(() => router.stop());
    await waitFor(() => sink.written > 50_000, { timeout: 60_000, message: 'events flowing' });
    const topUp = new Worker(PRODUCER, { eval: true, workerData: { brokers, topic, from: BACKLOG, base: join(import.meta.dirname, '..', 'package.json') } });
    const toppedUp = new Promise<number>((resolve, reject) => topUp.once('message', resolve).once('error', reject));

    sink.drops.push(0);
    for (let k = 1; k <= SWAPS; k++) {
      const last = sink.drops[k - 1]!;
      if (k > 1) await waitFor(() => Date.now() - last >= GAP_MS, { interval: 5, message: 'gap between drops' });
      await rename(join(incoming, `tick@${versions[k]!}`), join(plugins, `tick@${versions[k]!}`));
      sink.drops.push(Date.now()); // the drop is complete: the folder is in place
      await waitFor(() => sink.firstAt.has(k), { timeout: 5_000, interval: 5, message: `${versions[k]!} serving` }).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}; ${sink.written} of ${BACKLOG} events processed; loader: ${JSON.stringify(loader.list().slice(-2))}`);
      });
    }
    await waitFor(() => Date.now() - sink.drops.at(-1)! >= WINDOW_MS, { interval: 5 });
    topUp.postMessage('stop', []);
    const total = BACKLOG + (await toppedUp);
    await topUp.terminate();
    await waitFor(() => sink.distinct === total, { timeout: 120_000, message: 'every event in the sink' });
    await waitFor(() => source.acknowledged === total, { timeout: 30_000, message: 'every event acknowledged' });

    // Latency: from a drop to the first event its version processed.
    const latencies = Array.from({ length: SWAPS }, (_, i) => sink.firstAt.get(i + 1)! - sink.drops[i + 1]!);
    // Of which: from the drop to the plugin registered (watch, verify, copy, import, dry run).
    const loadedAt = new Map(loader.list().map((row) => [row.version, row.loadedAt ?? Number.NaN]));
    const loadMs = Array.from({ length: SWAPS }, (_, i) => loadedAt.get(versions[i + 1])! - sink.drops[i + 1]!);
    let before = 0;
    let during = 0;
    for (const drop of sink.drops.slice(1)) {
      before += sink.between(drop - WINDOW_MS, drop);
      during += sink.between(drop, drop + WINDOW_MS);
    }
    const throughputRatio = during / before;
    const rate = before / ((SWAPS * WINDOW_MS) / 1000);
    const results = {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? '?'}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ${process.platform}`,
      swaps: SWAPS,
      'hot-swap-latency': { unit: 'ms', p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), all: latencies, loadMs },
      'hot-swap-throughput': { unit: 'ratio', value: throughputRatio, eventsPerSecondBefore: Math.round(rate), windowMs: WINDOW_MS },
      events: total,
      produceMs,
      deadLettered: deadLetter.records.length,
      staleAfterWindow: Object.fromEntries(sink.stale),
      goals: { latencyP99Met: percentile(latencies, 99) <= 500, throughputMet: throughputRatio >= 0.9 },
    };
    mkdirSync(join(import.meta.dirname, '.results'), { recursive: true });
    writeFileSync(join(import.meta.dirname, '.results', 'hot-swap.json'), `${JSON.stringify(results, null, 2)}\n`);

    // Correctness is asserted here; the timings (p99 swap latency <= 500 ms, throughput during a swap
    // >= 0.9x, no old-version events after the window) are measured and reported by the benchmark
    // (hot-swap-latency, hot-swap-throughput in docs/benchmarks.json), never asserted: these machines are
    // shared and a timed test flakes under load.
    expect(deadLetter.records).toEqual([]);
    expect(sink.duplicates).toBe(0);
    expect(sink.written).toBe(total);
    expect(loader.list().filter((s) => s.state === 'refused')).toEqual([]);
  });
});
