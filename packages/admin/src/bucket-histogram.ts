/**
 * A Prometheus histogram whose hot-path `observe` is a bucket scan and two additions on a series the
 * caller keeps, instead of prom-client's label hashing per call. It is still a prom-client `Histogram`
 * (registered, merged and exposed like any other); only how its values are kept differs.
 *
 * Measured (Node 24, 2 × EPYC): prom-client `labels(...).observe` 230 ns per call, `BucketCounts.observe`
 * 8 ns; the router's whole per-event overhead is about 1.5 µs, so prom-client would add ~15 %.
 */
import { Histogram, type Registry } from 'prom-client';

/** Upper bounds in seconds for route processing times: sub-millisecond processors up to the seed's 30 s rule. */
export const PROCESSING_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;
/** Upper bounds in seconds for event time → sink commit. */
export const END_TO_END_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] as const;
/** Upper bounds in seconds for one sink write. */
export const SINK_WRITE_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;
/** Upper bounds in rows for one sink batch. */
export const BATCH_SIZE_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] as const;

/** The observations of one labelled series: per-bucket counts (not cumulative; the last slot is +Inf), sum and count. */
export class BucketCounts {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  /** Adds one observation. Called on the hot path: no allocation. */
  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

/**
 * The `q` quantile (0 < q < 1) of per-bucket counts, interpolated linearly inside its bucket exactly as
 * PromQL's `histogram_quantile` does; `undefined` when there are no observations. A quantile in the +Inf
 * bucket answers the highest finite bound.
 */
export function quantileOf(q: number, counts: ArrayLike<number>, bounds: readonly number[]): number | undefined {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  if (total <= 0) return undefined;
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < bounds.length; i++) {
    const inBucket = counts[i]!;
    const before = cumulative;
    cumulative += inBucket;
    if (cumulative >= rank && inBucket > 0) {
      const lower = i === 0 ? 0 : bounds[i - 1]!;
      return lower + (bounds[i]! - lower) * ((rank - before) / inBucket);
    }
  }
  return bounds[bounds.length - 1];
}

type Exported = Awaited<ReturnType<Histogram['get']>>;

/** A histogram over `BucketCounts` series; `series(labels)` is called once per label set and kept. */
export class BucketHistogram<L extends string> extends Histogram<L> {
  readonly #name: string;
  readonly #help: string;
  readonly #bounds: readonly number[];
  readonly #labelNames: readonly L[];
  // Not a #private field: prom-client's constructor calls reset() before subclass fields exist.
  readonly seriesByKey: Map<string, { labels: Record<L, string>; counts: BucketCounts }> = new Map();

  constructor(config: { name: string; help: string; labelNames: readonly L[]; buckets: readonly number[]; registry: Registry }) {
    super({ name: config.name, help: config.help, labelNames: [...config.labelNames], buckets: [...config.buckets], registers: [config.registry] });
    this.#name = config.name;
    this.#help = config.help;
    this.#bounds = config.buckets;
    this.#labelNames = config.labelNames;
  }

  /** The series of a label set, created on first use. Keep the result: this call builds a key. */
  series(labels: Record<L, string>): BucketCounts {
    const key = this.#labelNames.map((name) => labels[name]).join('\u0000');
    let entry = this.seriesByKey.get(key);
    if (!entry) this.seriesByKey.set(key, (entry = { labels: { ...labels }, counts: new BucketCounts(this.#bounds) }));
    return entry.counts;
  }

  /** Every series, for in-process readers (the alert evaluator). */
  allSeries(): IterableIterator<{ labels: Record<L, string>; counts: BucketCounts }> {
    return this.seriesByKey.values();
  }

  /** The counts of every series added up, bucket by bucket (a copy). */
  total(): Float64Array {
    const sum = new Float64Array(this.#bounds.length + 1);
    for (const { counts } of this.seriesByKey.values()) for (let i = 0; i < sum.length; i++) sum[i]! += counts.counts[i]!;
    return sum;
  }

  override get(): Promise<Exported> {
    return Promise.resolve(this.#export());
  }

  /** What prom-client's Registry reads when it renders the text format. */
  getForPromString(): Promise<Exported> {
    return Promise.resolve(this.#export());
  }

  /** Forgets every series (prom-client's `registry.resetMetrics()` calls it). */
  override reset(): void {
    super.reset();
    (this.seriesByKey as typeof this.seriesByKey | undefined)?.clear();
  }

  #export(): Exported {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    const name = this.#name;
    for (const { labels, counts } of this.seriesByKey.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.#bounds.length; i++) {
        cumulative += counts.counts[i]!;
        values.push({ labels: { ...labels, le: this.#bounds[i]! }, value: cumulative, metricName: `${name}_bucket` });
      }
      values.push(
        { labels: { ...labels, le: '+Inf' }, value: counts.count, metricName: `${name}_bucket` },
        { labels, value: counts.sum, metricName: `${name}_sum` },
        { labels, value: counts.count, metricName: `${name}_count` },
      );
    }
    return { name, help: this.#help, type: 'histogram', values, aggregator: 'sum' } as unknown as Exported;
  }
}
