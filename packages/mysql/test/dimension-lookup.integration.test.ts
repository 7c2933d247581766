import { MySqlDimensionListLookup, MySqlDimensionLookup, migrate } from '@evroute/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './fixtures/database.js';
import { TcpProxy } from './fixtures/tcp-proxy.js';

describe('MySQL dimension lookups (wrongbook.md §3)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('evr_mysql_dim');
    await migrate(db.pool, { groups: ['dimensions'] });
    const patterns = Array.from({ length: 50 }, (_, i) => [`p${i}`, `pattern ${i}`, 1, 'MATH', '0.500']);
    await db.pool.query('INSERT INTO tower_pattern (id, name, type, subject, difficulty) VALUES ?', [patterns]);
    await db.pool.query(
      `INSERT INTO tower_teaching_type_pt (teaching_type_id, pt_id, order_num, is_delete) VALUES
       ('t3', 'p1', 3, 0), ('t1', 'p1', 1, 0), ('t0', 'p1', 0, 1), ('t2', 'p1', 2, 0), ('t9', 'p2', 1, 0)`,
    );
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('answers the keys asked for in one tick with one IN query, and later from the cache', async () => {
    const hits: number[] = [];
    const misses: number[] = [];
    const lookup = new MySqlDimensionLookup({
      connection: { url: db.url },
      table: 'tower_pattern',
      columns: ['name', 'subject', 'difficulty'],
      metrics: { hit: (n) => hits.push(n), miss: (n) => misses.push(n) },
    });
    try {
      const keys = Array.from({ length: 30 }, (_, i) => `p${i}`);
      const rows = await Promise.all(keys.map((k) => lookup.get(k)));
      expect(rows.map((r) => r?.['name'])).toEqual(keys.map((_, i) => `pattern ${i}`));
      expect(rows[0]).toEqual({ id: 'p0', name: 'pattern 0', subject: 'MATH', difficulty: '0.500' });
      expect(lookup.stats()).toMatchObject({ fetches: 1, misses: 30, hits: 0, errors: 0 });
      await lookup.get('p3');
      const many = await lookup.getMany(['p1', 'p2', 'p40']);
      expect([...many.keys()]).toEqual(['p1', 'p2', 'p40']);
      expect(lookup.stats()).toMatchObject({ fetches: 2, hits: 3, misses: 31 });
      expect(hits.length + misses.length).toBe(34);
    } finally {
      await lookup.close();
    }
  });

  it('shares one fetch between concurrent misses of a key (single-flight) and caches missing keys briefly', async () => {
    const lookup = new MySqlDimensionLookup({ connection: { url: db.url }, table: 'tower_pattern', columns: ['name'], negativeTtlMs: 200 });
    try {
      const same = await Promise.all([lookup.get('p7'), lookup.get('p7'), lookup.get(7), lookup.get('p7')]);
      expect(same.map((r) => r?.['name'])).toEqual(['pattern 7', 'pattern 7', undefined, 'pattern 7']);
      expect(lookup.stats()).toMatchObject({ fetches: 1, coalesced: 2 });
      expect(await lookup.get('missing')).toBeUndefined();
      expect(await lookup.get('missing')).toBeUndefined();
      expect(lookup.stats().fetches).toBe(2); // the second miss came from the negative cache
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await lookup.get('missing')).toBeUndefined();
      expect(lookup.stats().fetches).toBe(3); // expired: asked again
    } finally {
      await lookup.close();
    }
  });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const lookup = new MySqlDimensionLookup({ connection: { url: db.url }, table: 'tower_pattern', columns: ['name'], maxEntries: 10 });
    try {
      await Promise.all(Array.from({ length: 25 }, (_, i) => lookup.get(`p${i}`)));
      expect(lookup.stats()).toMatchObject({ size: 10, evictions: 15 });
    } finally {
      await lookup.close();
    }
  });

  it('looks up many rows by a non-unique column, filtered and ordered (tower_teaching_type_pt by pt_id)', async () => {
    const lookup = new MySqlDimensionListLookup({
      connection: { url: db.url },
      table: 'tower_teaching_type_pt',
      keyColumn: 'pt_id',
      columns: ['teaching_type_id', 'order_num'],
      where: { is_delete: 0 },
      orderBy: ['order_num'],
    });
    try {
      const [p1, p2, none] = await Promise.all([lookup.get('p1'), lookup.get('p2'), lookup.get('p404')]);
      expect(p1?.map((r) => r['teaching_type_id'])).toEqual(['t1', 't2', 't3']);
      expect(p2).toHaveLength(1);
      expect(none).toEqual([]);
      expect(lookup.stats().fetches).toBe(1);
    } finally {
      await lookup.close();
    }
  });

  it('answers nothing and counts an error when the database is away; never rejects, recovers after', async () => {
    const proxy = await TcpProxy.start(db.host, db.port);
    const errors: unknown[] = [];
    const lookup = new MySqlDimensionLookup({
      connection: { url: db.urlVia('127.0.0.1', proxy.port) },
      table: 'tower_pattern',
      columns: ['name'],
      errorTtlMs: 0,
      metrics: { error: (e) => errors.push(e) },
    });
    try {
      proxy.cut();
      expect(await lookup.get('p1')).toBeUndefined();
      expect(lookup.stats().errors).toBe(1);
      expect(errors[0]).toMatchObject({ code: 'EVR_ERR_MYSQL_CONNECTION', retriable: true });
      proxy.restore();
      expect((await lookup.get('p1'))?.['name']).toBe('pattern 1');
    } finally {
      await lookup.close();
      await proxy.close();
    }
  });
});
