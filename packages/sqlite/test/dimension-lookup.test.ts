import { SqliteDimensionListLookup, SqliteDimensionLookup, migrate } from '@evroute/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDatabase, type TempDatabase } from './fixtures/temp-db.js';

describe('SQLite dimension lookups', () => {
  let t: TempDatabase;
  beforeAll(async () => {
    t = tempDatabase();
    await migrate(t.db, { groups: ['dimensions'] });
    const insert = t.db.prepare('INSERT INTO tower_pattern (id, name) VALUES (?, ?)');
    for (let i = 0; i < 20; i++) insert.run(`p${i}`, `pattern ${i}`);
    t.db.exec("INSERT INTO tower_teaching_type_pt (teaching_type_id, pt_id, order_num, is_delete) VALUES ('t2', 'p1', 2, 0), ('t1', 'p1', 1, 0), ('t0', 'p1', 0, 1)");
  });
  afterAll(() => t?.remove());

  it('batches the keys of a tick into one query, caches hits and misses, single-flights', async () => {
    const lookup = new SqliteDimensionLookup({ database: t.db, table: 'tower_pattern', columns: ['name'] });
    const rows = await Promise.all(['p1', 'p2', 'p1', 'zz'].map((k) => lookup.get(k)));
    expect(rows.map((r) => r?.['name'])).toEqual(['pattern 1', 'pattern 2', 'pattern 1', undefined]);
    expect(await lookup.get('zz')).toBeUndefined();
    expect(lookup.stats()).toMatchObject({ fetches: 1, coalesced: 1, hits: 1 });
    expect([...(await lookup.getMany(['p3', 'p1'])).keys()]).toEqual(['p3', 'p1']);
    await lookup.close();
  });

  it('lists the rows of a non-unique key, filtered and ordered; a broken table answers [] and counts an error', async () => {
    const list = new SqliteDimensionListLookup({ database: t.db, table: 'tower_teaching_type_pt', keyColumn: 'pt_id', columns: ['teaching_type_id'], where: { is_delete: 0 }, orderBy: ['order_num'] });
    expect((await list.get('p1')).map((r) => r['teaching_type_id'])).toEqual(['t1', 't2']);
    expect(await list.get('p404')).toEqual([]);
    const broken = new SqliteDimensionListLookup({ database: t.db, table: 'no_such_table', columns: ['x'] });
    expect(await broken.get('k')).toEqual([]);
    expect(broken.stats().errors).toBe(1);
  });
});
