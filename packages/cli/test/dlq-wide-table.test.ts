// Issue 7: dead letters replayed after a plugin fix end up in the table exactly once, also when the
// stream held duplicates and when the replay itself runs twice.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { main } from '@evroute/cli';

const fixtures = join(import.meta.dirname, 'fixtures');
const quiet = { out: () => undefined, err: () => undefined };

describe('dead-letter replay into a table', () => {
  it('writes each replayed record once, and a second replay changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evroute-replay-'));
    const db = join(dir, 'names.db');
    const sqlite = new DatabaseSync(db);
    sqlite.exec('CREATE TABLE names (id TEXT PRIMARY KEY, name TEXT, by TEXT)');
    const names = ['ann', 'Bea', 'cid', 'Dot', 'Bea', 'Eve']; // 'Bea' twice: a duplicate delivery
    const ids = ['1', '2', '3', '4', '2', '5'];
    writeFileSync(join(dir, 'in.jsonl'), names.map((name, i) => JSON.stringify({ domain: 'n', type: 'seen', eventId: `e${i}`, timestamp: 1, payload: { id: ids[i], name } })).join('\n') + '\n');
    writeFileSync(join(dir, 'routes.json'), JSON.stringify([{ id: 1, domain: 'n', event_type: 'seen', processor_class: 'tally', enabled: 1, priority: 0 }]));
    const config = (modules: string[]) => ({
      source: { type: 'jsonl', options: { path: 'in.jsonl' } },
      config: { type: 'json-file', options: { path: 'routes.json', watch: false } },
      sinks: { db: { type: 'sqlite', options: { path: 'names.db' } } },
      outputs: { names: { sink: 'db', target: 'names' } },
      deadLetter: { type: 'jsonl', options: { path: 'dead.jsonl' } },
      plugins: { modules: modules.map((m) => join(fixtures, m)) },
      admin: { enabled: false },
      logLevel: 'silent',
    });
    writeFileSync(join(dir, 'v1.json'), JSON.stringify(config(['tally-v1.mjs'])));
    writeFileSync(join(dir, 'both.json'), JSON.stringify(config(['tally-v1.mjs', 'tally-v2.mjs'])));
    const rows = (): unknown[] => sqlite.prepare('SELECT id, name, by FROM names ORDER BY id').all().map((r) => ({ ...r }));

    expect(await main(['run', '--config', join(dir, 'v1.json')], quiet)).toBe(0);
    // Bea (twice), Dot and Eve were rejected by v1's bug: four dead letters, two rows.
    expect(rows()).toEqual([
      { id: '1', name: 'ann', by: '1.0.0' },
      { id: '3', name: 'cid', by: '1.0.0' },
    ]);
    for (let replay = 0; replay < 2; replay++) {
      expect(await main(['dlq', 'replay', '--config', join(dir, 'both.json'), '--pin', 'tally@2.0.0'], quiet)).toBe(0);
      expect(rows()).toEqual([
        { id: '1', name: 'ann', by: '1.0.0' },
        { id: '2', name: 'Bea', by: '2.0.0' },
        { id: '3', name: 'cid', by: '1.0.0' },
        { id: '4', name: 'Dot', by: '2.0.0' },
        { id: '5', name: 'Eve', by: '2.0.0' },
      ]);
    }
    sqlite.close();
  });
});
