/**
 * Waits for a quiet machine before a measured run. The machines are shared: other sessions' tests and
 * builds come and go, and a run that overlaps them measures them too. Within a budget for the whole
 * `pnpm bench` run, a wait lasts until fewer than 0.5 cores are busy machine-wide, and every run
 * records how busy the machine was when it started.
 */
import { busyCores } from './proc-cpu.js';

/** How quiet the machine was before a run, and how long the run waited for it. */
export interface Quiet {
  /** Cores busy machine-wide (other sessions' work included) just before the run. */
  readonly busyCores: number | null;
  readonly waitedSeconds: number;
}

/** Machine-wide busy cores below which a run starts at once. */
const QUIET_CORES = 0.5;

export class QuietGate {
  /** Waiting may take this much more in all (quick: 2 min, full: 15 min). */
  #budgetMs: number;

  constructor(
    private readonly quick: boolean,
    private readonly log: (line: string) => void,
  ) {
    this.#budgetMs = quick ? 120_000 : 900_000;
  }

  /** Waits at most 15 s (quick) or 90 s, within the budget, for a quiet machine; says how busy it was. */
  async wait(): Promise<Quiet> {
    const started = Date.now();
    const limit = Math.min(this.quick ? 15_000 : 90_000, this.#budgetMs);
    let busy = await busyCores();
    if (busy !== undefined && busy >= QUIET_CORES && limit > 0) this.log(`  waiting up to ${Math.round(limit / 1000)} s for a quieter machine (${busy.toFixed(2)} cores busy)`);
    while (busy !== undefined && busy >= QUIET_CORES && Date.now() - started < limit) busy = await busyCores(1_000);
    const waited = Math.max(0, Date.now() - started - 500);
    this.#budgetMs -= waited;
    return { busyCores: busy === undefined ? null : Number(busy.toFixed(2)), waitedSeconds: Math.round(waited / 1000) };
  }
}
