import type { ConfigSnapshot, RouteRow } from '@evroute/core';
import { SqliteConfigSource, migrate } from '@evroute/sqlite';
import { waitFor } from '@evroute/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADD_PROCESSOR, SEED_DISABLE, SEED_INSERT, SEED_UPDATE_CONFIG } from './fixtures/seed-sql.js';
import { tempDatabase, type TempDatabase } from './fixtures/temp-db.js';

const INTERVAL = 200;
const signal = new AbortController().signal;

function recorder() {
  const snapshots: ConfigSnapshot[] = [];
  const errors: unknown[] = [];
  return {
    snapshots,
    errors,
    handler: { snapshot: (s: ConfigSnapshot) => snapshots.push(s), error: (e: unknown) => errors.push(e) },
    route: (eventType: string): RouteRow | undefined => snapshots.at(-1)?.routes.find((r) => r.eventType === eventType),
  };
}

describe('SqliteConfigSource on a routing_configs table', () => {
  let t: TempDatabase;
  beforeAll(async () => {
    t = tempDatabase();
    await migrate(t.db, { groups: ['routing'] });
    t.db.exec(SEED_INSERT); // the guide's INSERT, verbatim
  });
  afterAll(() => t?.remove());

  it("runs the guide's INSERT and UPDATEs verbatim and sees updates, disables, deletes and same-second changes", async () => {
    const rec = recorder();
    const source = new SqliteConfigSource({ path: t.path, intervalMs: INTERVAL });
    await source.start(rec.handler, signal);
    try {
      expect(rec.snapshots).toHaveLength(1);
      expect(rec.route('wrongbook_add')).toMatchObject({ processor: ADD_PROCESSOR, enabled: true, priority: 0, config: null, fanout: false });
      t.db.exec(SEED_UPDATE_CONFIG);
      await waitFor(() => rec.route('wrongbook_add')?.config === '{"cache_ttl": "15min", "batch_size": 2000}', { timeout: 3 * INTERVAL + 1000 });
      t.db.exec("INSERT INTO routing_configs (domain, event_type, processor_class) VALUES ('wrongbook', 'wrongbook_delete', 'wrongbook-delete')");
      await waitFor(() => rec.route('wrongbook_delete')?.enabled === true, { timeout: 3 * INTERVAL + 1000 });
      t.db.exec(SEED_DISABLE);
      await waitFor(() => rec.route('wrongbook_delete')?.enabled === false, { timeout: 3 * INTERVAL + 1000 });
      t.db.exec("DELETE FROM routing_configs WHERE event_type = 'wrongbook_delete'");
      await waitFor(() => rec.route('wrongbook_delete') === undefined, { timeout: 3 * INTERVAL + 1000 });
      // Two updates within the same second, each seen.
      t.db.exec("UPDATE routing_configs SET priority = 5 WHERE event_type = 'wrongbook_add'");
      await source.refresh();
      t.db.exec("UPDATE routing_configs SET priority = 6 WHERE event_type = 'wrongbook_add'");
      await source.refresh();
      expect(rec.route('wrongbook_add')?.priority).toBe(6);
      const versions = rec.snapshots.map((s) => s.version);
      expect(versions).toEqual(versions.toSorted((a, b) => a - b));
    } finally {
      await source.close(signal);
    }
  });

  it('keeps update_time current like ON UPDATE CURRENT_TIMESTAMP', () => {
    t.db.exec("UPDATE routing_configs SET update_time = '2000-01-01 00:00:00' WHERE event_type = 'wrongbook_fix'");
    expect(t.db.prepare("SELECT update_time FROM routing_configs WHERE event_type = 'wrongbook_fix'").get()).toEqual({ update_time: '2000-01-01 00:00:00' });
    t.db.exec("UPDATE routing_configs SET priority = 1 WHERE event_type = 'wrongbook_fix'");
    const row = t.db.prepare("SELECT update_time FROM routing_configs WHERE event_type = 'wrongbook_fix'").get();
    expect(row?.['update_time']).not.toBe('2000-01-01 00:00:00');
  });

  it('refuses a row with invalid config_json on its own, and applies the others', async () => {
    t.db.exec("INSERT INTO routing_configs (domain, event_type, processor_class, config_json) VALUES ('wrongbook', 'bad', 'x', '{nope')");
    const rec = recorder();
    const source = new SqliteConfigSource({ database: t.db, intervalMs: INTERVAL });
    try {
      await source.start(rec.handler, signal);
      expect(rec.snapshots[0]?.routes.map((r) => r.eventType)).toEqual(['wrongbook_add', 'wrongbook_fix']);
      expect(rec.snapshots[0]?.invalid?.[0]?.reason).toMatch(/config_json is not valid JSON/);
    } finally {
      await source.close(signal);
      t.db.exec("DELETE FROM routing_configs WHERE event_type = 'bad'");
    }
  });

  it('fails start with a coded error for a missing table, and refuses unsafe table names', async () => {
    const source = new SqliteConfigSource({ database: t.db, table: 'nope' });
    await expect(source.start(recorder().handler, signal)).rejects.toMatchObject({ code: 'EVR_ERR_CONFIG_SOURCE_FAILED', cause: { code: 'EVR_ERR_SQLITE_TABLE_MISSING' } });
    const make = (table: string): unknown => {
      try {
        return new SqliteConfigSource({ database: t.db, table });
      } catch (error) {
        return error;
      }
    };
    expect(['r"; DROP TABLE x; --', "r'", 'r;', 'r/*x*/'].map(make)).toEqual(
      Array.from({ length: 4 }, () => expect.objectContaining({ code: 'EVR_ERR_SQLITE_IDENTIFIER' }) as unknown),
    );
  });
});
