/**
 * In-memory sinks that record what they are given, with switches to make them fail, refuse records or
 * hang, so tests can check the ack rule and backpressure without a database.
 */
import { EvrouteError, type DeadLetterRecord, type DeadLetterSink, type Sink, type SinkRecord, type WriteResult } from '@evroute/core';

/** A sink that keeps every record written, in order. */
export class MemorySink implements Sink {
  readonly name: string;
  readonly records: SinkRecord[] = [];
  /** Number of `write` calls, successful or not. */
  writes = 0;
  /** Fail the next N writes with a retriable error. */
  failNext = 0;
  /** Refuse records for which this returns a reason (they go to the dead-letter output). */
  refuse: ((record: SinkRecord) => string | undefined) | undefined;
  #gate: Promise<void> | undefined;
  #open: (() => void) | undefined;
  #closed = false;

  constructor(name = 'memory') {
    this.name = name;
  }

  /** Makes writes wait until {@link release} (a slow or stuck database). */
  block(): void {
    this.#gate ??= new Promise((resolve) => (this.#open = resolve));
  }

  release(): void {
    this.#open?.();
    this.#gate = undefined;
  }

  /** Records written to one target. */
  target(target: string): SinkRecord[] {
    return this.records.filter((r) => r.target === target);
  }

  async write(records: readonly SinkRecord[], signal: AbortSignal): Promise<WriteResult> {
    this.writes++;
    if (this.#closed) throw new EvrouteError('EVR_ERR_SINK_WRITE_FAILED', 'sink is closed', { retriable: false });
    while (this.#gate) {
      await Promise.race([this.#gate, new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
      if (signal.aborted) throw signal.reason as Error;
    }
    if (this.failNext > 0) {
      this.failNext--;
      throw new EvrouteError('EVR_ERR_SINK_WRITE_FAILED', 'injected write failure', { retriable: true });
    }
    const rejected: { index: number; error: EvrouteError }[] = [];
    records.forEach((record, index) => {
      const reason = this.refuse?.(record);
      if (reason) rejected.push({ index, error: new EvrouteError('EVR_ERR_SINK_ROW_REJECTED', reason) });
      else this.records.push(record);
    });
    return { rejected };
  }

  close(): Promise<void> {
    this.#closed = true;
    this.release();
    return Promise.resolve();
  }

  healthy(): boolean {
    return !this.#closed;
  }
}

/** A dead-letter sink that keeps every record. */
export class MemoryDeadLetterSink implements DeadLetterSink {
  readonly name = 'memory-dead-letter';
  readonly records: DeadLetterRecord[] = [];
  failNext = 0;

  write(records: readonly DeadLetterRecord[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      return Promise.reject(new EvrouteError('EVR_ERR_SINK_WRITE_FAILED', 'injected dead-letter failure', { retriable: true }));
    }
    this.records.push(...records);
    return Promise.resolve();
  }

  /** Dead letters with one code. */
  withCode(code: string): DeadLetterRecord[] {
    return this.records.filter((r) => r.code === code);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
