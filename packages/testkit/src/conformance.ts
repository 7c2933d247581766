/**
 * Adapter conformance suites: every source, sink and config source runs the same contract tests
 * (Redpanda Connect's idea). Call one inside a test file; it declares a `describe` block. Each suite
 * takes a factory that builds a fresh adapter plus the means to feed or read its backing store.
 */
import { describe, expect, it } from 'vitest';
import type { ConfigSnapshot, ConfigSource, DeadLetterRecord, DeadLetterSink, RouteRow, Sink, SinkRecord, Source, SourceRecord } from '@evroute/core';
import { waitFor } from './wait-for.js';

/** A sink under test and how to read back what it stored. */
export interface SinkFixture {
  readonly sink: Sink;
  /** Makes the i-th record (distinct keys for distinct i). */
  record(i: number): SinkRecord;
  /** What the store holds now, one entry per stored row or message, comparable with `expected`. */
  read(): Promise<readonly unknown[]>;
  /** What `read` should contain after record i was written. */
  expected(i: number): unknown;
  /** True for table sinks: writing a record twice stores it once. */
  readonly idempotent: boolean;
  cleanup?(): Promise<void>;
}

/** The sink contract: start, round trip, batches, idempotence, durability on resolve, close. */
export function sinkConformance(name: string, make: () => Promise<SinkFixture>): void {
  describe(`${name}: sink conformance`, () => {
    const run = async (body: (f: SinkFixture, signal: AbortSignal) => Promise<void>): Promise<void> => {
      const f = await make();
      const signal = new AbortController().signal;
      try {
        await f.sink.start?.(signal);
        await body(f, signal);
      } finally {
        await f.sink.close(signal);
        await f.sink.close(signal); // close is idempotent
        await f.cleanup?.();
      }
    };

    it('writes a batch and holds all of it once write resolves', async () => {
      await run(async (f, signal) => {
        const records = Array.from({ length: 25 }, (_, i) => f.record(i));
        const result = await f.sink.write(records, signal);
        expect(result?.rejected ?? []).toEqual([]);
        const stored = await f.read();
        for (let i = 0; i < 25; i++) expect(stored).toContainEqual(f.expected(i));
      });
    });

    it('accepts many batches in a row', async () => {
      await run(async (f, signal) => {
        for (let b = 0; b < 5; b++) await f.sink.write(Array.from({ length: 10 }, (_, i) => f.record(b * 10 + i)), signal);
        const stored = await f.read();
        for (let i = 0; i < 50; i++) expect(stored).toContainEqual(f.expected(i));
      });
    });

    it('tolerates redelivery: writing the same batch again is safe (idempotent for tables)', async () => {
      await run(async (f, signal) => {
        const records = Array.from({ length: 10 }, (_, i) => f.record(i));
        await f.sink.write(records, signal);
        await f.sink.write(records, signal);
        const stored = await f.read();
        for (let i = 0; i < 10; i++) expect(stored).toContainEqual(f.expected(i));
        expect(stored).toHaveLength(f.idempotent ? 10 : 20);
      });
    });

    it('accepts an empty batch', async () => {
      await run(async (f, signal) => {
        await f.sink.write([], signal);
        expect(await f.read()).toHaveLength(0);
      });
    });
  });
}

/** A dead-letter sink under test and how to read back what it stored. */
export interface DeadLetterFixture {
  readonly sink: DeadLetterSink;
  /** The stored records' original values, as bytes. */
  readValues(): Promise<readonly Buffer[]>;
  cleanup?(): Promise<void>;
}

/** The dead-letter contract: original bytes kept exactly, including non-UTF-8 ones. */
export function deadLetterConformance(name: string, make: () => Promise<DeadLetterFixture>): void {
  describe(`${name}: dead-letter conformance`, () => {
    it('keeps the original value byte for byte', async () => {
      const f = await make();
      const signal = new AbortController().signal;
      try {
        await f.sink.start?.(signal);
        const values = [Buffer.from('plain text'), Buffer.from([0xff, 0x00, 0xfe, 0x7b]), Buffer.from(JSON.stringify({ a: 'é' }))];
        const records: DeadLetterRecord[] = values.map((value, i) => ({
          value,
          key: `k${i}`,
          headers: { origin: 'test' },
          code: 'EVR_ERR_DECODE_NOT_JSON',
          message: 'not json',
          topic: 'conformance',
          partition: 0,
          offset: String(i),
          timestamp: Date.now(),
          attempts: 1,
        }));
        await f.sink.write(records, signal);
        const stored = await f.readValues();
        for (const v of values) expect(stored.some((s) => s.equals(v))).toBe(true);
      } finally {
        await f.sink.close(signal);
        await f.cleanup?.();
      }
    });
  });
}

/** A source under test, with a way to add records to its backing store and to make another instance. */
export interface SourceFixture {
  /** A new source instance reading the same store (same consumer group or committed positions). */
  source(): Source;
  /** Adds records with these values (distinct strings) to the store. */
  produce(values: readonly string[]): Promise<void>;
  cleanup?(): Promise<void>;
}

/** Collects what a source delivers, acknowledging through `ackWhen`. */
function collect(source: Source, ackWhen: (r: SourceRecord) => boolean = () => true): { got: SourceRecord[] } {
  const got: SourceRecord[] = [];
  void source.start(
    {
      deliver: (records) => {
        got.push(...records);
        source.ack(records.filter(ackWhen));
        return Promise.resolve();
      },
    },
    new AbortController().signal,
  );
  return { got };
}

const text = (r: SourceRecord): string => (typeof r.value === 'string' ? r.value : Buffer.from(r.value as Uint8Array).toString('utf8'));

/** The source contract: delivery, per-partition order, resume after acknowledged, redelivery of the rest. */
export function sourceConformance(name: string, make: () => Promise<SourceFixture>, { timeout = 30_000 } = {}): void {
  describe(`${name}: source conformance`, () => {
    it('delivers every produced record, in offset order within each partition', async () => {
      const f = await make();
      const source = f.source();
      try {
        const values = Array.from({ length: 200 }, (_, i) => `v${i}`);
        const { got } = collect(source);
        await f.produce(values);
        await waitFor(() => got.length >= values.length, { timeout, message: 'all records delivered' });
        expect(new Set(got.map(text))).toEqual(new Set(values));
        const byPartition = new Map<number, bigint[]>();
        for (const r of got) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), BigInt(r.offset)]);
        for (const offsets of byPartition.values()) expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : 1)));
      } finally {
        await source.close(AbortSignal.timeout(10_000));
        await f.cleanup?.();
      }
    });

    it('resumes after what was acknowledged and redelivers what was not', async () => {
      const f = await make();
      const first = f.source();
      const values = Array.from({ length: 100 }, (_, i) => `r${i}`);
      const unacked = new Set(values.filter((_, i) => i % 10 === 7));
      try {
        const { got } = collect(first, (r) => !unacked.has(text(r)));
        await f.produce(values);
        await waitFor(() => got.length >= values.length, { timeout, message: 'first instance got everything' });
        await first.close(AbortSignal.timeout(10_000));
        const second = f.source();
        const again = collect(second);
        try {
          await waitFor(() => [...unacked].every((v) => again.got.some((r) => text(r) === v)), { timeout, message: 'unacknowledged records redelivered' });
          // Nothing before the first unacknowledged record of a partition comes back.
          const redelivered = new Set(again.got.map(text));
          const firstGap = new Map<number, bigint>();
          for (const r of got) if (unacked.has(text(r)) && BigInt(r.offset) < (firstGap.get(r.partition) ?? BigInt(Number.MAX_SAFE_INTEGER))) firstGap.set(r.partition, BigInt(r.offset));
          const acknowledgedPrefix = got.filter((r) => {
            const gap = firstGap.get(r.partition);
            return gap !== undefined && BigInt(r.offset) < gap;
          });
          expect(acknowledgedPrefix.filter((r) => redelivered.has(text(r)))).toEqual([]);
        } finally {
          await second.close(AbortSignal.timeout(10_000));
        }
      } finally {
        await f.cleanup?.();
      }
    });
  });
}

/** A config source under test, with a way to change its backing store. */
export interface ConfigSourceFixture {
  readonly source: ConfigSource;
  /** Replaces the stored routes. */
  write(routes: readonly RouteRow[]): Promise<void>;
  /** How long a change may take to show (e.g. one polling interval), ms. */
  readonly settleMs: number;
  cleanup?(): Promise<void>;
}

const essence = (r: RouteRow): unknown => ({ id: r.id, domain: r.domain, eventType: r.eventType, processor: r.processor, enabled: r.enabled, priority: r.priority });

/** The config-source contract: first snapshot before start resolves; changes as newer snapshots. */
export function configSourceConformance(name: string, make: () => Promise<ConfigSourceFixture>): void {
  describe(`${name}: config source conformance`, () => {
    it('emits the stored table before start resolves, then every change with a higher version', async () => {
      const f = await make();
      const rows: RouteRow[] = [
        { id: '1', domain: 'd', eventType: 'a', processor: 'p', enabled: true, priority: 0 },
        { id: '2', domain: 'd', eventType: 'b', processor: 'p', enabled: false, priority: 5 },
      ];
      await f.write(rows);
      const snapshots: ConfigSnapshot[] = [];
      const signal = new AbortController().signal;
      try {
        await f.source.start({ snapshot: (s) => void snapshots.push(s), error: () => undefined }, signal);
        expect(snapshots.length).toBeGreaterThanOrEqual(1);
        expect(snapshots.at(-1)!.routes.map(essence)).toEqual(expect.arrayContaining(rows.map(essence)));
        const changed: RouteRow[] = [{ ...rows[0]!, enabled: false }];
        await f.write(changed);
        await waitFor(() => snapshots.at(-1)!.routes.length === 1 && !snapshots.at(-1)!.routes[0]!.enabled, { timeout: f.settleMs + 10_000, message: 'change seen' });
        const versions = snapshots.map((s) => s.version);
        expect(versions).toEqual([...versions].sort((a, b) => a - b));
        expect(new Set(versions).size).toBe(versions.length);
      } finally {
        await f.source.close(signal);
        await f.cleanup?.();
      }
    });
  });
}
