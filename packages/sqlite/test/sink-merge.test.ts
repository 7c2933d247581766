import { isEvrouteError, type SinkRecord } from '@evroute/core';
import { SqliteSink, migrate } from '@evroute/sqlite';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWideRows, tempDatabase, type TempDatabase } from './fixtures/temp-db.js';
import { arrivalOrder, generateHistory, prng, randomBatches, recordOf, referenceModel, shuffledSpecs, WIDE_TABLE, type ModelRow } from './fixtures/wrongbook-model.js';

const signal = new AbortController().signal;
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const expected = (model: Map<string, ModelRow>) =>
  new Map([...model].map(([id, r]) => [id, { ...r, collect_time: iso(r.collect_time), fix_time: iso(r.fix_time), delete_time: iso(r.delete_time) }]));

async function write(sink: SqliteSink, records: readonly SinkRecord[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await sink.write(records, signal);
      expect(result.rejected ?? []).toEqual([]);
      return;
    } catch (error) {
      if (!isEvrouteError(error) || !error.retriable || attempt > 20) throw error;
    }
  }
}

// The same property as the MySQL sink's: any arrival order with duplicates, in batches of any size,
// leaves the table equal to the reference model of wrongbook.md §4 applied in event-time order once.
describe('SqliteSink merge policies converge in any order (wrongbook.md §4)', () => {
  let t: TempDatabase;
  let run = 0;
  beforeAll(async () => {
    t = tempDatabase();
    await migrate(t.db, { groups: ['wrongbook'] });
  });
  afterAll(() => t?.remove());

  it('one writer: random permutations and duplications give the reference model', async () => {
    const sink = new SqliteSink({ database: t.db });
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.integer({ min: 3, max: 25 }), fc.integer({ min: 1, max: 60 }), async (seed, count, maxBatch) => {
        const prefix = `one${run++}`;
        const history = generateHistory(seed, count, prefix);
        const specs = shuffledSpecs(seed);
        for (const batch of randomBatches(arrivalOrder(history, seed), seed, maxBatch)) await write(sink, batch.map((e) => recordOf(e, WIDE_TABLE, specs)));
        expect(readWideRows(t.db, prefix)).toEqual(expected(referenceModel(history)));
      }),
      { numRuns: 60 },
    );
  });

  it('two writers on their own connections, interleaving random permutations, give the reference model', async () => {
    // SQLite serialises writers on the file lock; two connections interleaving their transactions is
    // what concurrent processes do to the merge.
    const a = new SqliteSink({ database: t.open() });
    const b = new SqliteSink({ database: t.open() });
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.integer({ min: 3, max: 25 }), fc.integer({ min: 1, max: 30 }), async (seed, count, maxBatch) => {
        const prefix = `two${run++}`;
        const history = generateHistory(seed, count, prefix);
        const random = prng(seed ^ 0x1234567);
        const arrivals = arrivalOrder(history, seed);
        const forA = arrivals.filter(() => random() < 0.5);
        const forB = arrivals.filter((e) => !forA.includes(e) || random() < 0.2);
        const batchesA = randomBatches(forA, seed ^ 1, maxBatch);
        const batchesB = randomBatches(forB, seed ^ 2, maxBatch);
        await Promise.all([
          (async () => {
            for (const batch of batchesA) await write(a, batch.map((e) => recordOf(e)));
          })(),
          (async () => {
            for (const batch of batchesB) await write(b, batch.map((e) => recordOf(e)));
          })(),
        ]);
        expect(readWideRows(t.db, prefix)).toEqual(expected(referenceModel(history)));
      }),
      { numRuns: 30 },
    );
  });
});
