import { MySqlSink, migrate } from '@evroute/mysql';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './fixtures/database.js';
import { expectedRows, readWideRows, writeUntilDone } from './fixtures/wide-table.js';
import { arrivalOrder, generateHistory, prng, randomBatches, recordOf, referenceModel, shuffledSpecs, WIDE_TABLE } from './fixtures/wrongbook-model.js';

// Property: for many wrong questions, any arrival order of their add/fix/delete events, with
// duplicates, in batches of any size, leaves the wide table equal to the reference model applied in
// event-time order once (shared/spec/wrongbook.md §4). event_id, event_type and process_time are
// last-write columns and not compared.
describe('MySqlSink merge policies converge in any order (wrongbook.md §4)', () => {
  let db: TestDatabase;
  let run = 0;

  beforeAll(async () => {
    db = await createTestDatabase('evr_mysql_merge');
    await migrate(db.pool, { groups: ['wrongbook'] });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('one writer: random permutations and duplications give the reference model', async () => {
    const sink = new MySqlSink({ connection: { url: db.url } });
    try {
      await fc.assert(
        fc.asyncProperty(fc.integer(), fc.integer({ min: 3, max: 25 }), fc.integer({ min: 1, max: 60 }), async (seed, count, maxBatch) => {
          const prefix = `one${run++}`;
          const history = generateHistory(seed, count, prefix);
          const specs = shuffledSpecs(seed); // declaration order must not matter
          for (const batch of randomBatches(arrivalOrder(history, seed), seed, maxBatch)) {
            expect(await writeUntilDone(sink, batch.map((e) => recordOf(e, WIDE_TABLE, specs)))).toEqual([]);
          }
          expect(await readWideRows(db.pool, prefix)).toEqual(expectedRows(referenceModel(history)));
        }),
        { numRuns: 40 },
      );
    } finally {
      await sink.close(new AbortController().signal);
    }
  });

  it('two concurrent writers on their own pools, interleaving random permutations, give the reference model', async () => {
    const a = new MySqlSink({ connection: { url: db.url } });
    const b = new MySqlSink({ connection: { url: db.url } });
    try {
      await fc.assert(
        fc.asyncProperty(fc.integer(), fc.integer({ min: 3, max: 25 }), fc.integer({ min: 1, max: 30 }), async (seed, count, maxBatch) => {
          const prefix = `two${run++}`;
          const history = generateHistory(seed, count, prefix);
          const random = prng(seed ^ 0x1234567);
          const arrivals = arrivalOrder(history, seed);
          const forA = arrivals.filter(() => random() < 0.5);
          const forB = arrivals.filter((e) => !forA.includes(e) || random() < 0.2); // some events reach both writers
          const writer = async (sink: MySqlSink, events: typeof arrivals, salt: number): Promise<void> => {
            for (const batch of randomBatches(events, seed ^ salt, maxBatch)) {
              expect(await writeUntilDone(sink, batch.map((e) => recordOf(e)))).toEqual([]);
            }
          };
          await Promise.all([writer(a, forA, 1), writer(b, forB, 2)]);
          expect(await readWideRows(db.pool, prefix)).toEqual(expectedRows(referenceModel(history)));
        }),
        { numRuns: 25 },
      );
    } finally {
      await a.close(new AbortController().signal);
      await b.close(new AbortController().signal);
    }
  });
});
