/**
 * Wrappers that let the suite watch a router process from outside the library: the wide-table sink
 * passes the `before-write` and `after-write` gates around each write and reports the write order, and
 * the source reports what it delivers. They change nothing else.
 */
import type { OutputSpec, Sink, SinkRecord, Source, SourceHandler, SourceRecord, WriteResult } from '@evroute/core';
import { WIDE_TABLE } from '@evroute/wrongbook';
import type { ChildGates } from './child-gates.js';
import type { OrderTracker } from './order-tracker.js';

/** A sink that passes the write gates and feeds the order tracker. */
export class GatedSink implements Sink {
  readonly name: string;
  readonly #inner: Sink;
  readonly #gates: ChildGates;
  readonly #order: OrderTracker;
  readonly #sabotage: 'drop' | 'corrupt' | undefined;
  #seen = 0;
  /** Batches already written once: the pipeline retries a failed batch with the same array. */
  readonly #tried = new WeakSet<readonly SinkRecord[]>();

  constructor(inner: Sink, gates: ChildGates, order: OrderTracker, sabotage?: 'drop' | 'corrupt') {
    this.name = inner.name;
    this.#inner = inner;
    this.#gates = gates;
    this.#order = order;
    this.#sabotage = sabotage;
  }

  start(signal: AbortSignal): Promise<void> {
    return this.#inner.start?.(signal) ?? Promise.resolve();
  }

  async write(records: readonly SinkRecord[], signal: AbortSignal): Promise<WriteResult | void> {
    if (!this.#tried.has(records)) {
      this.#tried.add(records);
      // One record per event: the wide table's (a fan-out route's records share the eventId).
      this.#order.written(records.filter((r) => r.output === 'wide_table' && r.target === WIDE_TABLE));
    }
    await this.#gates.pass('before-write', { records: records.length });
    const result = await this.#inner.write(this.#sabotage === undefined ? records : this.#sabotaged(records), signal);
    await this.#gates.pass('after-write', { records: records.length });
    return result;
  }

  close(signal: AbortSignal): Promise<void> {
    return this.#inner.close(signal);
  }

  checkTarget(target: string, spec: OutputSpec): void {
    this.#inner.checkTarget?.(target, spec);
  }

  healthy(): boolean {
    return this.#inner.healthy?.() ?? true;
  }

  /** The deliberately broken batch (see `RouterProcessConfig.sabotage`); refusals keep their indexes only when nothing is dropped. */
  #sabotaged(records: readonly SinkRecord[]): SinkRecord[] {
    const out: SinkRecord[] = [];
    for (const record of records) {
      const hit = ++this.#seen % 50 === 0;
      if (hit && this.#sabotage === 'drop') continue;
      if (hit && this.#sabotage === 'corrupt' && record.value['fix_time'] !== undefined) out.push({ ...record, value: { ...record.value, fix_result_desc: 'sabotaged' } });
      else out.push(record);
    }
    return out;
  }
}

/** A source that reports every delivered record to the order tracker. */
export class ObservedSource implements Source {
  readonly name: string;
  readonly #inner: Source;
  readonly #order: OrderTracker;

  constructor(inner: Source, order: OrderTracker) {
    this.name = inner.name;
    this.#inner = inner;
    this.#order = order;
  }

  start(handler: SourceHandler, signal: AbortSignal): Promise<void> {
    const order = this.#order;
    return this.#inner.start(
      {
        deliver(records: readonly SourceRecord[]): Promise<void> {
          order.delivered(records);
          return handler.deliver(records);
        },
      },
      signal,
    );
  }

  ack(records: readonly SourceRecord[]): void {
    this.#inner.ack(records);
  }

  close(signal: AbortSignal): Promise<void> {
    return this.#inner.close(signal);
  }

  healthy(): boolean {
    return this.#inner.healthy?.() ?? true;
  }
}
