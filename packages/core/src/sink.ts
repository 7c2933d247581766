/**
 * The sink contracts. A sink writes batches and resolves only when they are durable; the pipeline
 * acknowledges an event to its source only after every output of it has been written this way.
 *
 * Lifecycle: `start` (optional: connect, prepare statements) → `write` calls → `close` (flush, release).
 */
import type { ErrorCode, EvrouteError } from './errors.js';
import type { Headers } from './event.js';
import type { OutputSpec } from './plugin.js';

/** One record for a sink: a processor output, resolved to its binding. */
export interface SinkRecord {
  /** The output name the processor used. */
  readonly output: string;
  /** The plugin's declaration of that output (key columns and merge rules for tables). */
  readonly spec: OutputSpec;
  /** Table or topic name from the output binding. */
  readonly target: string;
  readonly key: string | null;
  readonly value: Readonly<Record<string, unknown>>;
  readonly headers: Headers;
  /** The id of the event this record came from (set by the router; for lineage and tests). */
  readonly eventId?: string;
}

/** Per-record refusals of a batch that was otherwise written. */
export interface WriteResult {
  /** Records the sink refused for good (e.g. a value too long for its column); the rest are written. */
  readonly rejected?: ReadonlyArray<{ readonly index: number; readonly error: EvrouteError }>;
}

/**
 * A sink for processor outputs. `write` resolves when the batch is durable. Throwing a retriable coded
 * error (or any non-coded error) makes the pipeline retry the whole batch with backoff, so writes must be
 * idempotent; throwing a non-retriable coded error sends every record of the batch to the dead-letter
 * output; `rejected` sends just those records.
 */
export interface Sink {
  readonly name: string;
  start?(signal: AbortSignal): Promise<void>;
  write(records: readonly SinkRecord[], signal: AbortSignal): Promise<WriteResult | void>;
  close(signal: AbortSignal): Promise<void>;
  healthy?(): boolean;
  /**
   * Optional: throws a coded, non-retriable error when records for `target` with this output spec could
   * never be written (an invalid table name, a spec the sink cannot render). The router calls it when it
   * builds a routing table, so such a route is refused there, and the previous version keeps serving,
   * instead of every one of its events failing at write time.
   */
  checkTarget?(target: string, spec: OutputSpec): void;
}

/** What the dead-letter output keeps of an event that could not be processed. */
export interface DeadLetterRecord {
  /** The original value, byte for byte (or text/object as the source delivered it). */
  readonly value: Uint8Array | string | object | null;
  readonly key: string | null;
  /** The original headers. */
  readonly headers: Headers;
  readonly code: ErrorCode;
  readonly message: string;
  /** A truncated stack, when an exception was the cause. */
  readonly stack?: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** When the record was dead-lettered, epoch ms. */
  readonly timestamp: number;
  /** How many times processing was attempted. */
  readonly attempts: number;
  readonly eventId?: string;
  readonly route?: string;
  readonly plugin?: string;
  readonly pluginVersion?: string;
  readonly configVersion?: number;
}

/** Reads back what a dead-letter sink stored, oldest first (for `evroute dlq list` and `replay`). */
export interface DeadLetterReader {
  read(signal: AbortSignal): AsyncIterable<DeadLetterRecord>;
  close(): Promise<void>;
}

/**
 * A sink for dead-letter records. `write` resolves when they are durable. A retriable failure is retried
 * with backoff; a non-retriable one leaves the batch unacknowledged (it is redelivered).
 */
export interface DeadLetterSink {
  readonly name: string;
  start?(signal: AbortSignal): Promise<void>;
  write(records: readonly DeadLetterRecord[], signal: AbortSignal): Promise<void>;
  close(signal: AbortSignal): Promise<void>;
  healthy?(): boolean;
}
