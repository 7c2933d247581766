/**
 * The contiguous-ack watermark of one partition: which delivered offsets the pipeline has acknowledged,
 * and the offset that may be committed (one past the longest acknowledged prefix of what was delivered).
 * Acks may arrive in any order; an offset is committed only once it and every delivered offset before it
 * are acknowledged, so a commit never runs ahead of what the sinks hold.
 *
 * Offsets are decimal strings; comparisons and `+ 1` use BigInt, so offsets past 2^53 are exact.
 */

/** Watermark of one partition. Not thread-shared; every method is O(1) amortised except {@link track}. */
export class PartitionWatermark {
  readonly topic: string;
  readonly partition: number;
  /** Delivered offsets in delivery (= offset) order; entries before `#head` are below the watermark. */
  #offsets: string[] = [];
  #acked: boolean[] = [];
  #head = 0;
  /** Absolute sequence number of `#offsets[0]`, so positions stay valid when the arrays are compacted. */
  #base = 0;
  /** Unacknowledged offset → absolute sequence number. */
  readonly #unacked = new Map<string, number>();
  #lastTracked: bigint | null = null;
  #done: string | null = null;
  #committed: string | null = null;
  #high: string | null = null;

  constructor(topic: string, partition: number) {
    this.topic = topic;
    this.partition = partition;
  }

  /**
   * Registers delivered offsets (ascending) and returns how many leading ones to skip because they were
   * tracked before: a client refetches from the committed offset after a rebalance, and records that are
   * still in the pipeline or acknowledged must not be delivered twice.
   */
  track(records: ReadonlyArray<{ readonly offset: string }>): number {
    let skip = 0;
    const last = this.#lastTracked;
    if (last !== null) {
      while (skip < records.length && BigInt((records[skip] as { offset: string }).offset) <= last) skip++;
    }
    if (skip === records.length) return skip;
    let seq = this.#base + this.#offsets.length;
    for (let i = skip; i < records.length; i++) {
      const offset = (records[i] as { offset: string }).offset;
      this.#offsets.push(offset);
      this.#acked.push(false);
      this.#unacked.set(offset, seq++);
    }
    this.#lastTracked = BigInt((records[records.length - 1] as { offset: string }).offset);
    return skip;
  }

  /**
   * Marks one offset acknowledged. Returns false, changing nothing, for an offset that is not tracked or
   * was acknowledged already (a duplicate or late ack).
   */
  ack(offset: string): boolean {
    const seq = this.#unacked.get(offset);
    if (seq === undefined) return false;
    this.#unacked.delete(offset);
    const index = seq - this.#base;
    this.#acked[index] = true;
    if (index === this.#head) this.#advance();
    return true;
  }

  #advance(): void {
    const acked = this.#acked;
    let head = this.#head;
    while (head < acked.length && acked[head] === true) head++;
    this.#done = this.#offsets[head - 1] ?? this.#done;
    this.#head = head;
    // Compact once the consumed prefix dominates, so memory follows the window, not the history.
    if (head >= 1024 && head * 2 >= acked.length) {
      this.#offsets = this.#offsets.slice(head);
      this.#acked = acked.slice(head);
      this.#base += head;
      this.#head = 0;
    }
  }

  /** The last offset of the acknowledged prefix, or null when nothing contiguous is acknowledged yet. */
  get done(): string | null {
    return this.#done;
  }

  /** The next offset to commit (last contiguous acknowledged + 1), or null when there is none. */
  commitOffset(): string | null {
    return this.#done === null ? null : (BigInt(this.#done) + 1n).toString();
  }

  /** The commit offset when it is ahead of the last recorded commit, else null. */
  pendingCommit(): string | null {
    const next = this.commitOffset();
    if (next === null) return null;
    return this.#committed !== null && BigInt(this.#committed) >= BigInt(next) ? null : next;
  }

  /** Records a successful commit of `offset`. */
  markCommitted(offset: string): void {
    if (this.#committed === null || BigInt(offset) > BigInt(this.#committed)) this.#committed = offset;
  }

  /** The last offset committed through this watermark, or null. */
  get committed(): string | null {
    return this.#committed;
  }

  /** Delivered records not yet under the watermark (acknowledged out of order or not at all). */
  get window(): number {
    return this.#offsets.length - this.#head;
  }

  /** Delivered records not yet acknowledged. */
  get unacked(): number {
    return this.#unacked.size;
  }

  /** Remembers the partition's end offset seen in the latest fetch, for lag. */
  observeHigh(high: string): void {
    this.#high = high;
  }

  /** End offset minus the commit offset (or null when either is unknown). */
  lag(): bigint | null {
    const next = this.commitOffset() ?? this.#committed;
    return this.#high === null || next === null ? null : BigInt(this.#high) - BigInt(next);
  }
}
