// The merge policies of WIDE_TABLE_SPECS, applied as the upsert SQL applies them, in any arrival order
// with duplicates, must give the reference model's table: this is the claim the MySQL and SQLite sinks
// are later held to with the real databases.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OutputSpec } from '@evroute/core';
import {
  COMPARABLE_COLUMNS,
  comparableTable,
  compileCodeTables,
  decodeMessages,
  generateDimensionData,
  generateEvents,
  GENERATOR_EPOCH,
  interpretAdd,
  interpretDelete,
  interpretFix,
  kindOf,
  MemoryDimensions,
  referenceTable,
  WIDE_TABLE_SPECS,
  type DimensionData,
  type WrongbookKind,
} from '@evroute/wrongbook';
import { SimulatedTable } from './support/simulated-table.js';
import { T0, event } from './support/fixtures.js';

interface Written {
  readonly kind: WrongbookKind;
  readonly row: Readonly<Record<string, unknown>>;
}

/** The rows the plugins would write for the valid events of a stream. */
async function rowsOf(data: DimensionData, events: ReturnType<typeof decodeMessages>): Promise<Written[]> {
  const options = { tables: compileCodeTables(), dimensions: new MemoryDimensions(data), now: GENERATOR_EPOCH };
  const rows: Written[] = [];
  for (const e of events) {
    const kind = kindOf(e.type);
    const result = kind === 'add' ? await interpretAdd(e, options) : kind === 'fix' ? await interpretFix(e, options) : kind === 'delete' ? interpretDelete(e, options) : undefined;
    if (kind !== undefined && result?.ok === true && result.row !== null) rows.push({ kind, row: result.row });
  }
  return rows;
}

function simulate(rows: readonly Written[], specs: Record<WrongbookKind, OutputSpec>): SimulatedTable {
  const table = new SimulatedTable();
  for (const { kind, row } of rows) table.apply(specs[kind], row);
  return table;
}

describe('the wide-table merge policies against the reference model', () => {
  const seeds = [11, 12, 13];
  for (const seed of seeds) {
    it(`seed ${seed}: any arrival order with duplicates gives the model's table (fast-check)`, async () => {
      const data = generateDimensionData({ seed, patterns: 300, wrongQuestions: 1500 });
      const events = decodeMessages(generateEvents(data, { seed, questions: 150, duplicateRate: 0, badRate: 0.02, deleteRate: 0.4, reviveRate: 0.5, divergentRate: 0.2, staleDeleteRate: 0.3 }));
      const rows = await rowsOf(data, events);
      const model = await referenceTable(events, { dimensions: new MemoryDimensions(data), now: GENERATOR_EPOCH });
      const expected = comparableTable(model.values());
      expect(Object.keys(expected).length).toBeGreaterThan(100);
      fc.assert(
        fc.property(
          fc.array(fc.nat(), { minLength: rows.length, maxLength: rows.length }),
          fc.array(fc.nat({ max: rows.length - 1 }), { maxLength: 60 }),
          (ranks, duplicated) => {
            const arrival = [...rows, ...duplicated.map((i) => rows[i] as Written)]
              .map((w, i) => ({ w, rank: ranks[i % ranks.length] ?? 0 }))
              .sort((a, b) => a.rank - b.rank)
              .map(({ w }) => w);
            expect(comparableTable(simulate(arrival, WIDE_TABLE_SPECS).rows.values())).toEqual(expected);
          },
        ),
        { numRuns: 40 },
      );
    });
  }

  it("event_id is the newest event's, in either arrival order (newestBy over the three times)", async () => {
    const data = { wrong_question_record: [], tower_pattern: [], tower_teaching_type_pt: [], tower_teaching_type: [] };
    const add = event('wrongbook_add', { wrong_id: 'w', user_id: 'u', question_id: 'q', create_time: T0 }, 'the-add');
    const fix = event('wrongbook_fix', { fix_id: 'f', wrong_id: 'w', user_id: 'u', fix_result: 1, fix_time: T0 + 1000 }, 'the-fix');
    const rows = await rowsOf(data, [add, fix]);
    const eventId = (order: Written[]) => simulate(order, WIDE_TABLE_SPECS).rows.values().next().value?.['event_id'];
    expect([eventId(rows), eventId(rows.toReversed())]).toEqual(['the-fix', 'the-fix']);
  });

  it('compares every column but the wall-clock one', () => {
    expect(COMPARABLE_COLUMNS).toContain('event_id');
    expect(COMPARABLE_COLUMNS).not.toContain('process_time');
    expect(COMPARABLE_COLUMNS).toHaveLength(22);
  });
});
