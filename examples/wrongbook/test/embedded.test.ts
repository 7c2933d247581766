// Embedded mode end to end, no servers: generated events (out of order, duplicated, with bad messages)
// from a JSONL file through the router into SQLite, with wrongbook-fix 1.0.1 packed with the CLI and
// hot-swapped in mid-run, as the demo does. The wide table must equal the reference model's table; the
// bad messages, and only they, must be dead letters with their reasons.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { main as cli } from '@evroute/cli';
import { silentLogger, waitFor } from '@evroute/testkit';
import { comparableTable } from '@evroute/wrongbook';
import { buildWrongbookRouter, FIX_PLUGIN_NEXT, ROUTING_FILE, setupSqlite } from '../src/index.js';
import { generateStream, writeStreamToFile } from '../src/event-stream.js';
import { expectedCode, expectedTable, readSqliteWideTable } from './support/wide-table.js';

describe('embedded mode', () => {
  it('reaches the reference model’s wide table through a hot swap, and dead-letters exactly the bad messages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wrongbook-embedded-'));
    const files = { database: join(dir, 'wrongbook.db'), events: join(dir, 'events.jsonl'), routing: join(dir, 'routing.json'), plugins: join(dir, 'plugins') };
    await setupSqlite(files.database);
    const messages = generateStream({ count: 6000, seed: 7 });
    expect(messages.filter((m) => m.duplicate).length).toBeGreaterThan(100);
    expect(messages.filter((m) => m.bad !== null).length).toBeGreaterThan(20);
    await writeStreamToFile(messages, files.events);
    const routing = JSON.parse(readFileSync(ROUTING_FILE, 'utf8')) as { routes: { enabled: number }[] };
    for (const route of routing.routes) route.enabled = 1;
    writeFileSync(files.routing, JSON.stringify(routing));

    const app = buildWrongbookRouter({
      mode: 'embedded',
      database: files.database,
      routingFile: files.routing,
      eventsFile: files.events,
      outputsDir: join(dir, 'outputs'),
      rate: 1500,
      plugins: { builtIn: true, hotDeploy: { dir: files.plugins, trust: { policy: 'hash-only' } } },
      logger: silentLogger(),
    });
    const fixVersion = (): string | undefined => app.router.table().routes.find((r) => r.id === '2')?.handle?.registered.plugin.version;
    try {
      await app.start();
      expect(fixVersion()).toBe('1.0.0');
      await waitFor(() => app.router.stats().acknowledged >= 1000, { timeout: 10_000 });
      const printed: string[] = [];
      const io = { out: (t: string) => void printed.push(t), err: (t: string) => void printed.push(t) };
      expect(await cli(['plugin', 'pack', FIX_PLUGIN_NEXT, '--out', files.plugins], io)).toBe(0);
      await waitFor(() => fixVersion() === '1.0.1', { timeout: 10_000, message: 'wrongbook-fix 1.0.1 serving route 2' });
      expect(app.router.stats().acknowledged).toBeLessThan(messages.length); // the swap happened mid-run
      await app.router.finished();
    } finally {
      await app.stop();
    }

    const expected = await expectedTable(messages);
    expect(Object.keys(expected).length).toBeGreaterThan(1500);
    expect(comparableTable(readSqliteWideTable(files.database))).toEqual(expected);

    const db = new DatabaseSync(files.database, { readOnly: true });
    const dead = db.prepare('SELECT "offset", code, message FROM evroute_dead_letter').all() as { offset: string; code: string; message: string }[];
    db.close();
    const bad = messages.flatMap((m, i) => (m.bad === null ? [] : [`${i} ${expectedCode(m)}`]));
    expect(dead.map((d) => `${d.offset} ${d.code}`).sort()).toEqual(bad.sort());
    expect(dead.every((d) => d.message.length > 0)).toBe(true);

    const metrics = readFileSync(join(dir, 'outputs', 'wrongbook-metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { value: Record<string, unknown> }).value);
    const tagged = metrics.filter((m) => m['plugin_version'] === '1.0.1').length;
    expect(tagged).toBeGreaterThan(0);
    expect(tagged).toBeLessThan(metrics.length); // 1.0.0 served the first part of the stream
  });
});
