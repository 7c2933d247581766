/**
 * Runs a measurement again when other work on the shared machine overlapped it. The quiet gate only
 * looks before a run; other sessions' tests can start during one. A run is discarded when processes
 * other than the pipeline, MariaDB and the broker kept more than 0.35 cores busy on average, and
 * repeated (at most twice in full mode, once in quick mode); the discarded attempts are recorded.
 */
import type { BenchContext } from './context.js';
import type { RunOutcome } from './instances.js';

const LIMIT_CORES = 0.35;

/** Cores that other processes kept busy during a run (machine − pipeline − MariaDB − broker), or null when unknown. */
export function otherCores(r: RunOutcome): number | null {
  if (r.machineBusyCpuSeconds === null || r.mysqldCpuSeconds === null || r.kafkaCpuSeconds === null) return null;
  return Number(((r.machineBusyCpuSeconds - r.cpuSeconds - r.mysqldCpuSeconds - r.kafkaCpuSeconds) / r.seconds).toFixed(2));
}

/** A run and the other-work load of the attempts thrown away before it. */
export type CleanRun<T extends RunOutcome> = T & { readonly otherCores: number | null; readonly discardedAttempts: readonly (number | null)[] };

export async function cleanRun<T extends RunOutcome>(ctx: BenchContext, label: string, attempt: () => Promise<T>): Promise<CleanRun<T>> {
  const discarded: (number | null)[] = [];
  const retries = ctx.quick ? 1 : 2;
  for (;;) {
    const outcome = await attempt();
    const other = otherCores(outcome);
    if (other === null || other <= LIMIT_CORES || discarded.length >= retries) return { ...outcome, otherCores: other, discardedAttempts: discarded };
    ctx.log(`  ${label}: other work kept ${other} cores busy during the run; running it again`);
    discarded.push(other);
  }
}
