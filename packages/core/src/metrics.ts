/**
 * Timing hooks for a metrics backend (the admin package implements them with prom-client). Counters
 * need no hook: they are read from `router.stats()` at scrape time. A hook that is not set costs
 * nothing: the router does not even read the clock for it.
 */

/** Optional timing callbacks; each is called on the hot path, so keep them cheap. */
export interface RouterMetrics {
  /** One route run of one event: processing seconds (including retries) and whether it succeeded. */
  routeRun?(route: string, plugin: string, seconds: number, ok: boolean): void;
  /** Event time → acknowledgement, in seconds, for each event of an acknowledged batch. */
  endToEnd?(seconds: readonly number[]): void;
  /** One sink write attempt. */
  sinkWrite?(sink: string, rows: number, seconds: number, ok: boolean): void;
}
