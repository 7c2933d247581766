/**
 * The checks after a run has recovered: the wide table against the oracle (`referenceTable` of every
 * valid event, compared with `comparableTable`), every produced message accounted for (reflected in
 * its row, or dead-lettered with its original bytes and the expected code), and no dead letter that
 * should not be there. Fills the counters.
 */
import { comparableTable, referenceTable, type ComparableValue } from '@evroute/wrongbook';
import { note, type Counters } from './counters.js';
import { reflects, type Expected } from './expectations.js';
import type { DeadLetterRow, RunDatabase } from './run-database.js';

/** Dead letters a fault plans beyond the input's own (e.g. a failing probe route's): accepted when true. */
export type PlannedDeadLetter = (row: DeadLetterRow, expected: Expected | undefined) => boolean;

/** Runs the checks; see the module comment. */
export async function finalCheck(db: RunDatabase, topic: string, expected: readonly Expected[], counters: Counters, planned: PlannedDeadLetter = () => false): Promise<void> {
  counters.inputs = expected.length;
  const rows = await db.wideTable();
  const actual = comparableTable(rows);
  const model = comparableTable((await referenceTable(expected.flatMap((e) => (e.event === undefined ? [] : [e.event])), { now: Date.now() })).values());
  counters.outputs = rows.length;
  counters.expectedRows = Object.keys(model).length;

  const times = new Map(rows.map((r) => [String(r['wrong_id']), { collect_time: ms(r['collect_time']), fix_time: ms(r['fix_time']), delete_time: ms(r['delete_time']) }]));
  const lostRows = new Set<string>();
  const byPosition = new Map<string, Expected>();
  for (const e of expected) {
    byPosition.set(`${e.produced.partition}@${e.produced.offset}`, e);
    const x = e.expectation;
    if (x.kind === 'row' && !reflects(x, times.get(x.wrongId))) {
      counters.lost++;
      lostRows.add(x.wrongId);
      note(counters, `lost: ${e.produced.message.label} (${e.produced.partition}@${e.produced.offset}) not reflected in row ${x.wrongId}.${x.column}`);
    }
  }

  const dead = await db.deadLetters();
  counters.deadLetters = dead.length;
  const deadAt = new Map<string, DeadLetterRow[]>();
  for (const d of dead) {
    const at = `${d.partition}@${d.offset}`;
    deadAt.set(at, [...(deadAt.get(at) ?? []), d]);
    const e = d.topic === topic ? byPosition.get(at) : undefined;
    if (planned(d, e)) continue;
    if (e === undefined || e.expectation.kind !== 'dlq') {
      counters.failures++;
      note(counters, `unexpected dead letter ${d.code} at ${d.topic}/${at}${e === undefined ? '' : ` for ${e.produced.message.label} (expected ${e.expectation.kind})`}`);
    }
  }
  for (const e of expected) {
    const x = e.expectation;
    if (x.kind !== 'dlq') continue;
    counters.expectedDeadLetters++;
    const stored = (deadAt.get(`${e.produced.partition}@${e.produced.offset}`) ?? []).filter((d) => d.topic === topic);
    const match = stored.find((d) => x.codes.includes(d.code));
    if (stored.length === 0) {
      counters.lost++;
      note(counters, `lost: ${e.produced.message.label} (${e.produced.partition}@${e.produced.offset}) has no dead letter (expected ${x.codes.join(' or ')})`);
    } else if (match === undefined) {
      counters.failures++;
      note(counters, `dead letter of ${e.produced.message.label} has code ${stored.map((d) => d.code).join(', ')}, expected ${x.codes.join(' or ')}`);
    } else if (!sameBytes(match.value, e.produced.message.value) || match.key !== e.produced.message.key) {
      counters.failures++;
      note(counters, `dead letter of ${e.produced.message.label} is not faithful: ${describe(match.value)} stored, ${describe(e.produced.message.value)} produced`);
    }
  }

  for (const [wrongId, row] of Object.entries(model)) {
    const got = actual[wrongId];
    if (got === undefined) {
      if (!lostRows.has(wrongId)) {
        counters.lost++;
        note(counters, `lost: row ${wrongId} missing`);
      }
      continue;
    }
    const diff = differences(row, got);
    if (diff.length > 0 && !lostRows.has(wrongId)) {
      counters.doubleEffects++;
      note(counters, `row ${wrongId} differs from the oracle: ${diff.join('; ')}`);
    }
  }
  for (const wrongId of Object.keys(actual)) {
    if (model[wrongId] === undefined) {
      counters.doubleEffects++;
      note(counters, `row ${wrongId} is not in the oracle`);
    }
  }
  counters.doubleEffects += await db.repeatedWrongIds();
}

function differences(want: Record<string, ComparableValue>, got: Record<string, ComparableValue>): string[] {
  return Object.keys(want).flatMap((column) => (want[column] === got[column] ? [] : [`${column}: ${JSON.stringify(got[column])} instead of ${JSON.stringify(want[column])}`]));
}

function sameBytes(stored: Buffer | null, produced: Buffer | null): boolean {
  if (stored === null || produced === null) return stored === produced;
  return stored.equals(produced);
}

function describe(value: Buffer | null): string {
  return value === null ? 'null' : `${value.length} bytes (${value.subarray(0, 24).toString('hex')}…)`;
}

function ms(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  return typeof value === 'string' || typeof value === 'number' ? new Date(value).getTime() : null;
}
