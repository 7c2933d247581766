/**
 * The measuring side of a pipeline instance (a child process): holds the first batches at a gate until
 * the parent says go (so every instance of a group starts at once, after the group has settled), counts
 * events once they are durably written, and notes the wall time and this process's CPU time at go and
 * at the last write. The parent and child talk over the fork IPC channel with these messages.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** What one pipeline instance is told to do (argv[2] of pipeline-child.js, as JSON). */
export interface InstanceOptions {
  readonly side: 'evroute' | 'baseline';
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly groupId: string;
  /** MariaDB URL with the benchmark database as its path. */
  readonly mysqlUrl: string;
  /** Rows per INSERT statement (and per sink batch for evroute). */
  readonly batchSize: number;
}

/** A child's report at the end of a run. Times are epoch ms with sub-ms precision. */
export interface InstanceReport {
  readonly written: number;
  readonly rejected: number;
  readonly goAt: number;
  /** When the last event was written (goAt when none was). */
  readonly lastWriteAt: number;
  /** User + system CPU seconds of the process between go and the last write. */
  readonly cpuSeconds: number;
  /** Share of the span the event loop was busy (1 = the main thread never waited for I/O). */
  readonly eventLoopUtilization: number;
  /** Database writes after go: how many, and their total wall time (call to completion) in ms. */
  readonly writes: number;
  readonly writeMs: number;
  /** Times the pipeline held a delivery back because maxInFlight was reached (evroute only). */
  readonly backpressure: number;
  readonly maxRssMiB: number;
}

export type ChildMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly written: number }
  | ({ readonly type: 'report' } & InstanceReport)
  | { readonly type: 'failed'; readonly error: string };

export type ParentMessage = { readonly type: 'go' } | { readonly type: 'stop' };

const now = (): number => performance.timeOrigin + performance.now();
const cpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Child side of a run. */
export class RunProbe {
  written = 0;
  rejected = 0;
  writes = 0;
  writeMs = 0;
  backpressure = 0;
  #opened = false;
  #open: () => void = () => undefined;
  readonly #gate = new Promise<void>((resolve) => (this.#open = resolve));
  #readySent = false;
  #goAt = 0;
  #cpuAtGo = 0;
  #lastWriteAt = 0;
  #cpuAtLastWrite = 0;
  #eluAtGo: EventLoopUtilization | undefined;
  #eluAtLastWrite: EventLoopUtilization | undefined;

  constructor(private readonly send: (message: ChildMessage) => void) {}

  /** Awaited before a batch is processed: tells the parent the instance holds data, waits for go. */
  held(): Promise<void> | undefined {
    if (this.#opened) return undefined;
    if (!this.#readySent) {
      this.#readySent = true;
      this.send({ type: 'ready' });
    }
    return this.#gate;
  }

  /** The parent said go. */
  go(): void {
    this.#goAt = now();
    this.#cpuAtGo = cpuSeconds();
    this.#lastWriteAt = this.#goAt;
    this.#cpuAtLastWrite = this.#cpuAtGo;
    this.#eluAtGo = performance.eventLoopUtilization();
    this.#opened = true;
    this.#open();
  }

  /** Times one database write (from its call to its completion), after go. */
  async timeWrite<T>(write: () => Promise<T>): Promise<T> {
    if (!this.#opened) return write();
    const started = performance.now();
    try {
      return await write();
    } finally {
      this.writes++;
      this.writeMs += performance.now() - started;
    }
  }

  /** `count` events are durably written (acknowledged); `rejected` of them went to the dead-letter side. */
  wrote(count: number, rejected = 0): void {
    this.written += count;
    this.rejected += rejected;
    this.#lastWriteAt = now();
    this.#cpuAtLastWrite = cpuSeconds();
    this.#eluAtLastWrite = performance.eventLoopUtilization();
  }

  report(): InstanceReport {
    return {
      written: this.written,
      rejected: this.rejected,
      goAt: this.#goAt,
      lastWriteAt: this.#lastWriteAt,
      cpuSeconds: this.#cpuAtLastWrite - this.#cpuAtGo,
      eventLoopUtilization: this.#eluAtGo && this.#eluAtLastWrite ? performance.eventLoopUtilization(this.#eluAtLastWrite, this.#eluAtGo).utilization : 0,
      writes: this.writes,
      writeMs: Math.round(this.writeMs),
      backpressure: this.backpressure,
      maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  }
}
