import { MIGRATIONS, migrate } from '@evroute/sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDatabase } from './fixtures/temp-db.js';

const t = tempDatabase();
afterAll(() => t.remove());

describe('migrate() on SQLite', () => {
  it('applies each file once, and accepts a routing table that already has our columns', async () => {
    t.db.exec('CREATE TABLE routing_configs (id INTEGER PRIMARY KEY, domain TEXT NOT NULL, event_type TEXT NOT NULL, processor_class TEXT NOT NULL, enabled TINYINT DEFAULT 1, priority INT DEFAULT 0, config_json TEXT, create_time TIMESTAMP, update_time TIMESTAMP, outputs_json TEXT)');
    const groups = ['routing', 'wrongbook', 'dimensions', 'dead-letter'] as const;
    expect((await migrate(t.db, { groups })).applied).toEqual(MIGRATIONS.map((m) => m.file));
    expect(await migrate(t.db, { groups })).toEqual({ applied: [], skipped: MIGRATIONS.map((m) => m.file) });
    expect(t.db.prepare("SELECT name FROM pragma_table_info('routing_configs')").all().map((r) => r['name'])).toContain('fanout');
  });
});
