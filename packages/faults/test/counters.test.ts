// The invariants and the failure report: every counter that must stay at zero breaks its invariant,
// and the report carries the counters and the seed that reproduces the run.
import { describe, expect, it } from 'vitest';
import { brokenInvariants, failureReport, newCounters, type Counters } from '../src/index.js';
import { resultsTable } from '../src/results-table.js';

function passing(): Counters {
  const c = newCounters('SIGKILL before the DB write', 3, 12345, 30_000, 400);
  Object.assign(c, { inputs: 100, expectedRows: 40, outputs: 40, commitsChecked: 5, recoveryMs: 1_200, maxRssMb: 150 });
  return c;
}

describe('invariants', () => {
  it('a clean run breaks none', () => {
    expect(brokenInvariants(passing())).toEqual([]);
  });

  it.each([
    ['lost', { lost: 1 }, /nothing lost/],
    ['double effects', { doubleEffects: 2 }, /no double effect/],
    ['failures', { failures: 1 }, /dead letters faithful/],
    ['commits ahead', { commitsAhead: 1 }, /never ahead of the database/],
    ['no commit checked', { commitsChecked: 0 }, /at least one offset commit/],
    ['recovery too slow', { recoveryMs: 30_001 }, /recovery within 30000 ms/],
    ['never recovered', { recoveryMs: null }, /took forever/],
    ['memory', { maxRssMb: 401 }, /memory bounded/],
    ['row count', { outputs: 39 }, /row count/],
  ] as const)('%s breaks an invariant', (_name, change, message) => {
    const broken = brokenInvariants(Object.assign(passing(), change));
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatch(message);
  });

  it('counts out-of-order writes without calling them broken (merges are order-insensitive)', () => {
    expect(brokenInvariants(Object.assign(passing(), { outOfOrder: 3 }))).toEqual([]);
  });

  it('the failure report names the invariants, prints the counters and the seed to reproduce', () => {
    const c = Object.assign(passing(), { lost: 2 });
    c.problems.push('lost: add_1 (0@17) not reflected');
    const report = failureReport(c, brokenInvariants(c), { testFile: 'packages/faults/test/crash.integration.test.ts', logFile: '/tmp/x.log' });
    expect(report).toContain('fault "SIGKILL before the DB write" run 3 broke 1 invariant(s)');
    expect(report).toContain('"lost":2');
    expect(report).toContain('lost: add_1 (0@17) not reflected');
    expect(report).toContain('EVROUTE_FAULT_SEED=12345 EVROUTE_FAULT_RUNS=1 pnpm vitest run --project faults:integration packages/faults/test/crash.integration.test.ts -t "SIGKILL before the DB write"');
  });
});

describe('results table', () => {
  it('sums the runs of each fault and shows recovery as median / worst', () => {
    const run = (recoveryMs: number, passed: boolean) => {
      const { problems: _p, ...counters } = Object.assign(passing(), { recoveryMs });
      return { at: '2026-01-01T00:00:00Z', passed, broken: passed ? [] : ['x'], counters };
    };
    const table = resultsTable([run(1_000, true), run(3_000, true), run(2_000, false)]);
    expect(table.split('\n')[2]).toBe('| SIGKILL before the DB write | 3 | 300 | 0 | 0 | 2.0 / 3.0 | FAIL (1 of 3) |');
  });
});
