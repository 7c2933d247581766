/**
 * The suite's knobs, read from the environment once (the suite is an application; the library never
 * reads the environment):
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `EVROUTE_FAULT_RUNS` | 1 | runs of each crash and outage fault (`pnpm test:faults` sets 10) |
 * | `EVROUTE_FAULT_SEED` | random | seed of run 0; run i uses seed + i (a failure prints its seed) |
 * | `EVROUTE_FAULT_OUTAGE_SECONDS` | 5 | how long a server is stopped or frozen (`pnpm test:faults` sets 20) |
 * | `EVROUTE_FAULT_QUESTIONS` | 1000 | wrong questions per run (about 2.5 messages each) |
 * | `EVROUTE_FAULT_GRACE_SECONDS` | 30 | recovery grace after a fault ends (outages add the sink's longest backoff) |
 */

/** The settings of a suite run. */
export interface Settings {
  readonly runs: number;
  readonly baseSeed: number;
  readonly outageMs: number;
  readonly questions: number;
  readonly graceMs: number;
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name}=${raw} must be a non-negative integer`);
  return value;
}

/** Reads the settings (see the module comment). */
export function readSettings(): Settings {
  return {
    runs: Math.max(1, positiveInt('EVROUTE_FAULT_RUNS', 1)),
    baseSeed: positiveInt('EVROUTE_FAULT_SEED', Math.floor(Math.random() * 1_000_000_000)),
    outageMs: positiveInt('EVROUTE_FAULT_OUTAGE_SECONDS', 5) * 1000,
    questions: Math.max(50, positiveInt('EVROUTE_FAULT_QUESTIONS', 1000)),
    graceMs: positiveInt('EVROUTE_FAULT_GRACE_SECONDS', 30) * 1000,
  };
}
