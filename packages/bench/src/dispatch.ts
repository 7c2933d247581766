/**
 * `dispatch`: in-memory route + process throughput of the whole evroute pipeline (decode with schema
 * validation, table lookup, processor call, output addressing, batching, acknowledgement) against a
 * hand-written loop doing the same work (UTF-8 decode, JSON.parse, field checks, Map lookup, call,
 * collect). Runs alternate so both see the same machine state.
 */
import { createRouter, definePlugin, type Event, type SinkRecord, type Source, type SourceHandler, type SourceRecord } from '@evroute/core';
import { MemoryConfigSource } from '@evroute/testkit';
import { pino } from 'pino';
import { machine, median, type BenchResult } from './results.js';

const TYPES = ['wrongbook_add', 'wrongbook_fix', 'wrongbook_delete', 'order_paid'] as const;

/** The benchmark's events (exported for profiling a missed goal). */
export function makeEvents(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) =>
    Buffer.from(
      JSON.stringify({
        domain: 'bench',
        type: TYPES[i % TYPES.length],
        eventId: `e-${i}`,
        timestamp: 1_700_000_000_000 + i,
        payload: { wrong_id: `w-${i % 5000}`, user_id: `u-${i % 977}`, question_id: `q-${i % 313}`, create_time: 1_700_000_000_000 },
      }),
    ),
  );
}

/** The work both sides do per event, once routed. */
function work(event: { eventId: string; type: string; payload: Readonly<Record<string, unknown>> }): Record<string, unknown> {
  return { id: event.eventId, kind: event.type, wrong: event.payload['wrong_id'], user: event.payload['user_id'] };
}

/** The hand-written baseline: what a user would write without a framework. Returns events/s. */
function baseline(events: readonly Buffer[]): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const handlers = new Map<string, (e: { eventId: string; type: string; payload: Record<string, unknown> }) => Record<string, unknown>>();
  for (const t of TYPES) handlers.set(`bench:${t}`, work);
  const out: Record<string, unknown>[] = [];
  const dead: Buffer[] = [];
  let acked = 0;
  const started = performance.now();
  for (const buf of events) {
    let e: { domain?: unknown; type?: unknown; eventId?: unknown; timestamp?: unknown; payload?: unknown };
    try {
      e = JSON.parse(decoder.decode(buf)) as typeof e;
    } catch {
      dead.push(buf);
      continue;
    }
    if (typeof e.domain !== 'string' || typeof e.type !== 'string' || typeof e.eventId !== 'string' || typeof e.timestamp !== 'number' || typeof e.payload !== 'object' || e.payload === null) {
      dead.push(buf);
      continue;
    }
    const handler = handlers.get(`${e.domain}:${e.type}`);
    if (!handler) {
      dead.push(buf);
      continue;
    }
    out.push(handler({ eventId: e.eventId, type: e.type, payload: e.payload as Record<string, unknown> }));
    acked++;
  }
  const seconds = (performance.now() - started) / 1000;
  if (out.length + dead.length !== events.length || acked !== events.length) throw new Error('baseline lost events');
  return events.length / seconds;
}

/** A source that hands pre-made records to the pipeline in batches and counts acks. */
class ArraySource implements Source {
  readonly name = 'array';
  acked = 0;
  #done: () => void = () => undefined;
  readonly finished: Promise<void>;
  constructor(readonly records: readonly SourceRecord[], readonly batch = 1000) {
    this.finished = new Promise((resolve) => (this.#done = resolve));
  }
  start(handler: SourceHandler): Promise<void> {
    void (async () => {
      for (let i = 0; i < this.records.length; i += this.batch) await handler.deliver(this.records.slice(i, i + this.batch));
    })();
    return Promise.resolve();
  }
  ack(records: readonly SourceRecord[]): void {
    this.acked += records.length;
    if (this.acked >= this.records.length) this.#done();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** One evroute run over the same events. Returns events/s. */
export async function evroute(events: readonly Buffer[]): Promise<number> {
  // Kafka delivers runs of one partition: 1,000 records per partition per fetch, four partitions.
  const records: SourceRecord[] = events.map((value, i) => ({ value, key: null, headers: {}, topic: 'bench', partition: Math.floor(i / 1000) % 4, offset: String(i) }));
  const source = new ArraySource(records);
  let written = 0;
  const plugin = definePlugin({
    name: 'bench-work',
    version: '1.0.0',
    core: '^0.1.0',
    outputs: { out: {} },
    create: () => ({ process: (event: Event) => [{ to: 'out', value: work(event) }] }),
  });
  const router = createRouter({
    source,
    config: new MemoryConfigSource(TYPES.map((t, i) => ({ id: String(i), domain: 'bench', eventType: t, processor: 'bench-work', enabled: true, priority: 0 }))),
    plugins: [plugin],
    sinks: { mem: { name: 'mem', write: (batch: readonly SinkRecord[]) => ((written += batch.length), Promise.resolve()), close: () => Promise.resolve() } },
    outputs: { out: { sink: 'mem' } },
    logger: pino({ level: 'silent' }),
    batch: { size: 1000, lingerMs: 5 },
    maxInFlight: 20_000,
  });
  const started = performance.now();
  await router.start();
  await source.finished;
  const seconds = (performance.now() - started) / 1000;
  await router.stop();
  if (written !== events.length) throw new Error(`evroute wrote ${written} of ${events.length}`);
  return events.length / seconds;
}

/** Runs the dispatch benchmark: alternating runs, medians, ratio and per-event overhead. */
export async function runDispatch({ quick }: { quick: boolean }): Promise<BenchResult> {
  const count = quick ? 100_000 : 300_000;
  const runs = quick ? 5 : 9;
  const events = makeEvents(count);
  // Warm up both paths so the JIT has seen them.
  baseline(events.slice(0, 20_000));
  await evroute(events.slice(0, 20_000));
  const base: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < runs; i++) {
    base.push(baseline(events));
    ours.push(await evroute(events));
  }
  const value = median(ours);
  const baselineRate = median(base);
  const ratio = value / baselineRate;
  const overheadUs = (1 / value - 1 / baselineRate) * 1e6;
  return {
    id: 'dispatch',
    name: 'In-memory route + process, whole pipeline vs a bare loop',
    unit: 'events/s',
    value: Math.round(value),
    baseline: Math.round(baselineRate),
    ratio,
    goal: '≥ 0.7× baseline and ≤ 1 µs/event overhead',
    met: ratio >= 0.7 && overheadUs <= 1,
    command: `pnpm bench${quick ? ' --quick' : ''} --only dispatch`,
    machine: machine(),
    date: new Date().toISOString(),
    details: {
      events: count,
      runs,
      overheadMicrosPerEvent: Number(overheadUs.toFixed(3)),
      evroute: { min: Math.round(Math.min(...ours)), max: Math.round(Math.max(...ours)), all: ours.map(Math.round) },
      baseline: { min: Math.round(Math.min(...base)), max: Math.round(Math.max(...base)), all: base.map(Math.round) },
    },
  };
}
