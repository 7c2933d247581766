/**
 * A source that replays another source at a steady rate, as if its events arrived live: each batch is
 * handed on once the rate allows it. The embedded mode uses it with `--rate` to replay a JSONL file, so
 * changes made while it runs (a plugin swap, a route flip) land in the middle of the stream.
 */
import type { Source, SourceHandler, SourceRecord } from '@evroute/core';

/** Wraps `inner`: at most `eventsPerSecond` records per second reach the pipeline. */
export class PacedSource implements Source {
  readonly name: string;
  readonly #inner: Source;
  readonly #perSecond: number;
  #started = 0;
  #sent = 0;

  /** `eventsPerSecond` must be positive. */
  constructor(inner: Source, eventsPerSecond: number) {
    if (!(eventsPerSecond > 0)) throw new RangeError(`eventsPerSecond must be positive, got ${eventsPerSecond}`);
    this.#inner = inner;
    this.#perSecond = eventsPerSecond;
    this.name = `${inner.name} (paced)`;
  }

  /** Starts the inner source with a handler that waits for its turn before each `deliver`. */
  start(handler: SourceHandler, signal: AbortSignal): Promise<void> {
    this.#started = performance.now();
    return this.#inner.start(
      {
        deliver: async (records) => {
          const due = this.#started + (this.#sent / this.#perSecond) * 1000;
          this.#sent += records.length;
          const wait = due - performance.now();
          if (wait > 0 && !signal.aborted) await new Promise((resolve) => setTimeout(resolve, wait));
          await handler.deliver(records);
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

  /** The inner source's `done()`; never resolves when the inner source is unbounded. */
  done(): Promise<void> {
    return this.#inner.done?.() ?? new Promise<void>(() => undefined);
  }
}
