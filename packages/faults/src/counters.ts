/**
 * The counters a fault run ends with, the invariants they must satisfy, and the failure report: the
 * counters, the broken invariants, the first problems found and the seed that reproduces the run.
 */

/** What one run of one fault counted. */
export interface Counters {
  readonly fault: string;
  readonly run: number;
  readonly seed: number;
  /** Messages produced (duplicates and bad ones included). */
  inputs: number;
  /** Rows the oracle table has. */
  expectedRows: number;
  /** Rows the wide table has. */
  outputs: number;
  /** Dead letters stored, and how many the input called for. */
  deadLetters: number;
  expectedDeadLetters: number;
  /** Messages with no trace: a valid event its row does not reflect, a bad one with no dead letter. */
  lost: number;
  /** Rows that differ from the oracle without a lost event to explain it, extra rows, repeated wrong_ids. */
  doubleEffects: number;
  /** Sink writes that went back in offset order within a partition. */
  outOfOrder: number;
  /** Dead letters that are wrong (a valid event, another code, other bytes), unplanned process exits. */
  failures: number;
  /** Offset commits checked against the database, and those found ahead of it. */
  commitsChecked: number;
  commitsAhead: number;
  /** Router processes killed or stopped by the fault, and started. */
  kills: number;
  starts: number;
  /** Fault end to the backlog at that moment committed (the lag back to zero); null if it never was, or the rest of the input never was. */
  recoveryMs: number | null;
  readonly graceMs: number;
  /** Largest router RSS seen during the run, MiB, and the bound. */
  maxRssMb: number;
  readonly rssBoundMb: number;
  /** The first problems found, for the report. */
  readonly problems: string[];
}

/** A fresh set of counters. */
export function newCounters(fault: string, run: number, seed: number, graceMs: number, rssBoundMb: number): Counters {
  return {
    fault, run, seed, inputs: 0, expectedRows: 0, outputs: 0, deadLetters: 0, expectedDeadLetters: 0, lost: 0, doubleEffects: 0, outOfOrder: 0,
    failures: 0, commitsChecked: 0, commitsAhead: 0, kills: 0, starts: 0, recoveryMs: null, graceMs, maxRssMb: 0, rssBoundMb, problems: [],
  };
}

/** Notes a problem (the report keeps the first 20). */
export function note(counters: Counters, problem: string): void {
  if (counters.problems.length < 20) counters.problems.push(problem);
}

/** The invariants the counters break (empty when the run passed). */
export function brokenInvariants(c: Counters): string[] {
  const broken: string[] = [];
  if (c.lost > 0) broken.push(`nothing lost (lost = ${c.lost})`);
  if (c.doubleEffects > 0) broken.push(`no double effect (double effects = ${c.doubleEffects})`);
  // Out-of-order writes within a partition are counted and reported, not an invariant: the wide table's
  // merges are order-insensitive, and the issue's invariants are loss, double effects, commits, recovery,
  // memory and faithful dead letters. Seen non-zero only when the routing table changes mid-stream.
  if (c.failures > 0) broken.push(`dead letters faithful and no unplanned failure (failures = ${c.failures})`);
  if (c.commitsAhead > 0) broken.push(`committed offsets never ahead of the database (${c.commitsAhead} of ${c.commitsChecked} commits ahead)`);
  if (c.commitsChecked === 0) broken.push('at least one offset commit was checked against the database');
  if (c.recoveryMs === null || c.recoveryMs > c.graceMs) broken.push(`recovery within ${c.graceMs} ms of the fault's end (took ${c.recoveryMs === null ? 'forever' : `${c.recoveryMs} ms`})`);
  if (c.maxRssMb > c.rssBoundMb) broken.push(`router memory bounded (max RSS ${c.maxRssMb} MiB > ${c.rssBoundMb} MiB)`);
  if (c.outputs !== c.expectedRows) broken.push(`row count equals the oracle's (${c.outputs} rows, oracle ${c.expectedRows})`);
  return broken;
}

/** The report of a failed run: what broke, the counters, the problems, how to reproduce. */
export function failureReport(c: Counters, broken: readonly string[], where: { testFile: string; logFile: string }): string {
  const { problems, ...numbers } = c;
  return [
    `fault "${c.fault}" run ${c.run} broke ${broken.length} invariant(s):`,
    ...broken.map((b) => `  - ${b}`),
    `counters: ${JSON.stringify(numbers)}`,
    ...(problems.length > 0 ? ['first problems:', ...problems.map((p) => `  * ${p}`)] : []),
    `logs: ${where.logFile}`,
    `reproduce: EVROUTE_FAULT_SEED=${c.seed} EVROUTE_FAULT_RUNS=1 pnpm vitest run --project faults:integration ${where.testFile} -t ${JSON.stringify(c.fault)}`,
  ].join('\n');
}

/** Throws the failure report when any invariant is broken. */
export function assertInvariants(c: Counters, where: { testFile: string; logFile: string }): void {
  const broken = brokenInvariants(c);
  if (broken.length > 0) throw new Error(failureReport(c, broken, where));
}
