/**
 * The source contract. A source delivers raw records in batches and is told, record by record, when
 * the pipeline is done with them; it commits a partition's position only up to the longest contiguous
 * run of acknowledged records (the ack rule of docs/architecture.md).
 *
 * Lifecycle: `start` (connect and begin delivering) → `deliver` calls → `close` (stop delivering,
 * commit what is acknowledged, release). Each step takes an AbortSignal.
 */
import type { SourceRecord } from './event.js';

/** The pipeline side of a running source. */
export interface SourceHandler {
  /**
   * Hands a batch to the pipeline. Resolves once the pipeline has *accepted* the batch, which may take a
   * while when it is busy: that wait is the backpressure, and a source must not deliver more records of
   * the same partition before it resolves. Rejects with `EVR_ERR_PIPELINE_STOPPED` after a stop.
   */
  deliver(records: readonly SourceRecord[]): Promise<void>;
}

/** A source of raw records: Kafka, a file, memory. */
export interface Source {
  /** A short name for logs and metrics, e.g. `kafka`. */
  readonly name: string;
  /**
   * Connects and begins delivering to `handler`. Resolves once delivery has begun (not when the source
   * is exhausted). Rejects with a coded error when it cannot start; `retriable` says whether a later
   * attempt may succeed.
   */
  start(handler: SourceHandler, signal: AbortSignal): Promise<void>;
  /**
   * The pipeline is done with these records: their outputs are durably written or they are in the
   * dead-letter output. May arrive out of order across and within partitions. Must be cheap.
   */
  ack(records: readonly SourceRecord[]): void;
  /** Stops delivering, commits what is acknowledged, and releases resources. Idempotent. */
  close(signal: AbortSignal): Promise<void>;
  /** True while the source is connected and delivering; read by health checks. */
  healthy?(): boolean;
  /**
   * For a finite source (a file): resolves once everything is delivered and acknowledged. Unbounded
   * sources (Kafka) leave it out.
   */
  done?(): Promise<void>;
}
