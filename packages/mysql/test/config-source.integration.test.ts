import type { ConfigSnapshot, RouteRow } from '@evroute/core';
import { MySqlConfigSource, migrate } from '@evroute/mysql';
import { waitFor } from '@evroute/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './fixtures/database.js';
import { ADD_PROCESSOR, FIX_PROCESSOR, SEED_CREATE_TABLE, SEED_DISABLE, SEED_INSERT, SEED_UPDATE_CONFIG } from './fixtures/seed-sql.js';
import { TcpProxy } from './fixtures/tcp-proxy.js';

const INTERVAL = 1_000;

/** Collects what a source emits. */
function recorder() {
  const snapshots: ConfigSnapshot[] = [];
  const errors: unknown[] = [];
  return {
    snapshots,
    errors,
    handler: { snapshot: (s: ConfigSnapshot) => snapshots.push(s), error: (e: unknown) => errors.push(e) },
    last: (): ConfigSnapshot => {
      const s = snapshots.at(-1);
      if (s === undefined) throw new Error('no snapshot yet');
      return s;
    },
    route: (eventType: string): RouteRow | undefined => snapshots.at(-1)?.routes.find((r) => r.eventType === eventType),
  };
}

describe('MySqlConfigSource on the seed routing_configs table', () => {
  let db: TestDatabase;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    db = await createTestDatabase('evr_mysql_cfg');
    await db.pool.query(SEED_CREATE_TABLE);
    await db.pool.query(SEED_INSERT);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('loads the seed rows, then sees config and enable updates, deletes and two updates in one second within an interval', async () => {
    const rec = recorder();
    const source = new MySqlConfigSource({ connection: { url: db.url }, intervalMs: INTERVAL });
    await source.start(rec.handler, signal);
    try {
      // The first snapshot is there when start resolves.
      expect(rec.snapshots).toHaveLength(1);
      const first = rec.last();
      expect(first.routes.map((r) => [r.domain, r.eventType, r.processor, r.enabled, r.priority, r.config])).toEqual([
        ['wrongbook', 'wrongbook_add', ADD_PROCESSOR, true, 0, null],
        ['wrongbook', 'wrongbook_fix', FIX_PROCESSOR, true, 0, null],
      ]);
      expect(first.invalid).toEqual([]);
      expect(first.routes.every((r) => /^\d+$/.test(r.id))).toBe(true);

      // The guide's config UPDATE, verbatim, takes effect within one interval.
      let t0 = Date.now();
      await db.pool.query(SEED_UPDATE_CONFIG);
      await waitFor(() => rec.route('wrongbook_add')?.config === '{"cache_ttl": "15min", "batch_size": 2000}', { timeout: 3 * INTERVAL });
      expect(Date.now() - t0).toBeLessThan(INTERVAL + 700);
      expect(rec.last().version).toBeGreaterThan(first.version);

      // The guide's disable UPDATE, verbatim, on a delete route shipped enabled.
      await db.pool.query(
        "INSERT INTO routing_configs (domain, event_type, processor_class, enabled, priority) VALUES ('wrongbook', 'wrongbook_delete', 'wrongbook-delete', 1, 0)",
      );
      await waitFor(() => rec.route('wrongbook_delete')?.enabled === true, { timeout: 3 * INTERVAL });
      t0 = Date.now();
      await db.pool.query(SEED_DISABLE);
      await waitFor(() => rec.route('wrongbook_delete')?.enabled === false, { timeout: 3 * INTERVAL });
      expect(Date.now() - t0).toBeLessThan(INTERVAL + 700);

      // A physical DELETE removes the route.
      t0 = Date.now();
      await db.pool.query("DELETE FROM routing_configs WHERE event_type = 'wrongbook_delete'");
      await waitFor(() => rec.route('wrongbook_delete') === undefined, { timeout: 3 * INTERVAL });
      expect(Date.now() - t0).toBeLessThan(INTERVAL + 700);

      // No change, no snapshot: an update of update_time alone is not a change of any route.
      const count = rec.snapshots.length;
      await db.pool.query("UPDATE routing_configs SET update_time = CURRENT_TIMESTAMP + INTERVAL 1 SECOND WHERE event_type = 'wrongbook_fix'");
      await source.refresh();
      expect(rec.snapshots).toHaveLength(count);
    } finally {
      await source.close(signal);
    }
  });

  it('sees two updates made within the same second (the original compared update_time and missed them)', async () => {
    const rec = recorder();
    const source = new MySqlConfigSource({ connection: { url: db.url }, intervalMs: 60_000 });
    await source.start(rec.handler, signal);
    try {
      for (let round = 0; round < 3; round++) {
        // Start just after a second boundary so all of it happens within one second of update_time.
        await waitFor(() => Date.now() % 1000 < 50, { interval: 1, timeout: 2_000 });
        await db.pool.query("UPDATE routing_configs SET priority = ? WHERE event_type = 'wrongbook_add'", [10 + round]);
        await source.refresh();
        expect(rec.route('wrongbook_add')?.priority).toBe(10 + round);
        await db.pool.query("UPDATE routing_configs SET priority = ? WHERE event_type = 'wrongbook_fix'", [20 + round]);
        await db.pool.query("UPDATE routing_configs SET config_json = ? WHERE event_type = 'wrongbook_add'", [`{"round": ${round}}`]);
        await source.refresh();
        expect(rec.route('wrongbook_fix')?.priority).toBe(20 + round);
        expect(rec.route('wrongbook_add')?.config).toBe(`{"round": ${round}}`);
        const [rows] = await db.pool.query('SELECT COUNT(DISTINCT update_time) AS n FROM routing_configs');
        if (Number((rows as Array<{ n: unknown }>)[0]?.n) === 1) return; // all within one second: the case
      }
      throw new Error('could not make the updates within one second in three rounds');
    } finally {
      await source.close(signal);
    }
  });

  it('refuses a row with invalid config_json on its own, and applies the others', async () => {
    const rec = recorder();
    await db.pool.query(
      "INSERT INTO routing_configs (domain, event_type, processor_class, config_json) VALUES ('wrongbook', 'wrongbook_bad', 'x', '{not json')",
    );
    const source = new MySqlConfigSource({ connection: { url: db.url }, intervalMs: INTERVAL });
    try {
      await source.start(rec.handler, signal);
      const snapshot = rec.last();
      expect(snapshot.routes.map((r) => r.eventType)).toEqual(['wrongbook_add', 'wrongbook_fix']);
      expect(snapshot.invalid).toHaveLength(1);
      expect(snapshot.invalid?.[0]?.reason).toMatch(/config_json is not valid JSON/);
      // Fixing the row brings the route in.
      await db.pool.query("UPDATE routing_configs SET config_json = '{}' WHERE event_type = 'wrongbook_bad'");
      await waitFor(() => rec.route('wrongbook_bad') !== undefined && rec.last().invalid?.length === 0, { timeout: 3 * INTERVAL });
    } finally {
      await source.close(signal);
      await db.pool.query("DELETE FROM routing_configs WHERE event_type = 'wrongbook_bad'");
    }
  });

  it('reads the optional outputs_json and fanout columns once a migration adds them', async () => {
    await migrate(db.pool, { groups: ['routing'] });
    await db.pool.query(
      `UPDATE routing_configs SET outputs_json = '{"wide": {"sink": "mysql", "target": "dwd_wrong_record_wide_delta"}, "kafka": null}', fanout = 1 WHERE event_type = 'wrongbook_add'`,
    );
    const rec = recorder();
    const source = new MySqlConfigSource({ connection: { url: db.url }, intervalMs: INTERVAL });
    try {
      await source.start(rec.handler, signal);
      expect(rec.route('wrongbook_add')?.outputs).toEqual({ wide: { sink: 'mysql', target: 'dwd_wrong_record_wide_delta' }, kafka: null });
      expect(rec.route('wrongbook_add')?.fanout).toBe(true);
      expect(rec.route('wrongbook_fix')?.fanout).toBe(false);
    } finally {
      await source.close(signal);
    }
  });

  it('keeps the last good table through an outage, reports a retriable coded error, and catches up after it', async () => {
    const proxy = await TcpProxy.start(db.host, db.port);
    const rec = recorder();
    const source = new MySqlConfigSource({
      connection: { url: db.urlVia('127.0.0.1', proxy.port) },
      intervalMs: INTERVAL,
      backoff: { initialMs: 200, maxMs: 1_000 },
    });
    try {
      await source.start(rec.handler, signal);
      const before = rec.snapshots.length;
      proxy.cut();
      await db.pool.query("UPDATE routing_configs SET priority = 99 WHERE event_type = 'wrongbook_fix'");
      await expect(source.refresh()).rejects.toMatchObject({ code: 'EVR_ERR_CONFIG_SOURCE_FAILED', retriable: true });
      await waitFor(() => rec.errors.length >= 2, { timeout: 5_000, message: 'polling keeps trying with backoff' });
      expect(rec.errors[0]).toMatchObject({ code: 'EVR_ERR_CONFIG_SOURCE_FAILED', retriable: true, cause: { code: 'EVR_ERR_MYSQL_CONNECTION' } });
      expect(source.healthy()).toBe(false);
      expect(rec.snapshots).toHaveLength(before);
      proxy.restore();
      await waitFor(() => rec.route('wrongbook_fix')?.priority === 99, { timeout: 5_000, message: 'the change made during the outage' });
      expect(source.healthy()).toBe(true);
    } finally {
      await source.close(signal);
      await proxy.close();
    }
  });

  it('fails start with a coded error naming the table when it does not exist', async () => {
    const source = new MySqlConfigSource({ connection: { url: db.url }, table: 'no_such_routing_table' });
    const rec = recorder();
    await expect(source.start(rec.handler, signal)).rejects.toMatchObject({
      code: 'EVR_ERR_CONFIG_SOURCE_FAILED',
      retriable: false,
      cause: { code: 'EVR_ERR_MYSQL_TABLE_MISSING' },
    });
    await source.close(signal);
  });

  it('refuses a table name with quotes, backticks, semicolons or comments before any query', () => {
    const thrownBy = (make: () => unknown): unknown => {
      try {
        return make();
      } catch (error) {
        return error;
      }
    };
    const tables = ['routing`; DROP TABLE x; --', "routing'", 'routing;', 'routing/*x*/', 'a.b.c', 'routing -- x'];
    const results = tables.map((table) => thrownBy(() => new MySqlConfigSource({ connection: { url: db.url }, table })));
    expect(results).toEqual(tables.map(() => expect.objectContaining({ code: 'EVR_ERR_MYSQL_IDENTIFIER', retriable: false }) as unknown));
  });
});
