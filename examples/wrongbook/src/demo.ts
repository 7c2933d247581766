/**
 * The demo behind `./scripts/demo.sh`: the wrongbook pipeline on embedded defaults (no servers) over
 * generated sample events, with two live changes while it runs — wrongbook-fix 1.0.1 is packed with
 * `evroute plugin pack` into the watched plugin folder and swapped in, and the delete route is enabled
 * in the routing file — then a summary of the wide table and where to look next.
 *
 *   node dist/demo.js [--dir .evroute/demo] [--count 20000] [--rate 2000]
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { pino } from 'pino';
import { buildWrongbookRouter } from './app.js';
import { writeStreamToFile, generateStream } from './event-stream.js';
import { FIX_PLUGIN_NEXT, ROUTING_FILE } from './example-files.js';
import { watchRouteChanges, type RouteChange } from './live-changes.js';
import { Progress } from './progress.js';
import { setupSqlite } from './setup.js';
import { formatSummary, summarizeSqlite } from './table-summary.js';

const { values } = parseArgs({ options: { dir: { type: 'string', default: '.evroute/demo' }, count: { type: 'string', default: '20000' }, rate: { type: 'string', default: '2000' } } });
const dir = resolve(values.dir);
const count = Number(values.count);
const rate = Number(values.rate);
const files = {
  database: join(dir, 'wrongbook.db'),
  events: join(dir, 'events.jsonl'),
  routing: join(dir, 'routing.json'),
  outputs: join(dir, 'outputs'),
  plugins: join(dir, 'plugins'),
  log: join(dir, 'evroute.log'),
};
const show = (path: string): string => relative(process.cwd(), path) || '.';
const say = (line = ''): boolean => process.stdout.write(`${line}\n`);
const n = (value: number): string => value.toLocaleString('en-US');

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
say('evroute demo: the wrongbook pipeline, embedded (SQLite, a JSON routing file, JSONL events; no servers)');

await setupSqlite(files.database);
say(`  SQLite         ${show(files.database)}: wide table, dead letters, dimension tables with the sample rows of sql/dimension-data.sql`);
const messages = generateStream({ count, seed: 1 });
await writeStreamToFile(messages, files.events);
const bad = messages.filter((m) => m.bad !== null).length;
const duplicates = messages.filter((m) => m.duplicate).length;
say(`  events         ${show(files.events)}: ${n(count)} generated (20 % out of order, ${n(duplicates)} duplicates, ${n(bad)} bad), replayed at ${n(rate)}/s`);
copyFileSync(ROUTING_FILE, files.routing);
say(`  routing        ${show(files.routing)}: routes 1 wrongbook_add, 2 wrongbook_fix enabled; 3 wrongbook_delete disabled`);
say(`  plugins        built in: wrongbook-add, -fix, -delete 1.0.0; watched folder ${show(files.plugins)}`);
say('  !! plugin trust policy: hash-only (demo only): any unsigned bundle dropped into that folder runs.');
say('  !! Production uses require-signature with your public keys (docs/guides/wrongbook.md).');
say();

const app = buildWrongbookRouter({
  mode: 'embedded',
  database: files.database,
  routingFile: files.routing,
  eventsFile: files.events,
  outputsDir: files.outputs,
  rate,
  plugins: { builtIn: true, hotDeploy: { dir: files.plugins, trust: { policy: 'hash-only' } } },
  logger: pino({ name: 'wrongbook', level: 'info' }, pino.destination({ dest: files.log, sync: false })),
});
const { router } = app;
const progress = new Progress({ total: messages.length, label: 'events' });
const changes: string[] = [];
const triggers: { routingSaved?: number } = {};
/** When the bundle's manifest was written (the CLI writes it last): the moment the drop was complete. */
const landed = (plugin: string): number | undefined => {
  try {
    return statSync(join(files.plugins, plugin, 'plugin.json')).mtimeMs;
  } catch {
    return undefined;
  }
};

const describe = (change: RouteChange): string | undefined => {
  const table = `table v${change.tableVersion}`;
  if (change.plugin.from !== change.plugin.to && change.plugin.to !== undefined && change.enabled.from === true) {
    const at = landed(change.plugin.to);
    const took = at === undefined ? '' : `, ${Math.round(change.at - at)} ms after the bundle landed`;
    return `plugin ${change.plugin.to.replace('@', ' ')} now serving route ${change.routeId} ${change.eventType} (was ${change.plugin.from ?? 'none'}; ${table}${took})`;
  }
  if (change.enabled.from !== change.enabled.to) {
    const took = triggers.routingSaved === undefined ? '' : `, ${change.at - triggers.routingSaved} ms after routing.json was saved`;
    return `route ${change.routeId} ${change.eventType} ${change.enabled.to ? 'enabled' : 'disabled'} at ${table} (${change.plugin.to ?? 'no plugin'}${took})`;
  }
  return undefined;
};
const unwatch = watchRouteChanges(router, (change) => {
  const text = describe(change);
  if (text === undefined) return;
  changes.push(text);
  progress.say(`  live: ${text}`);
});

/** Packs wrongbook-fix 1.0.1 into the watched folder with the real CLI, as an operator would. */
async function hotSwap(): Promise<void> {
  const cli = join(dirname(createRequire(import.meta.url).resolve('@evroute/cli/package.json')), 'dist', 'bin.js');
  progress.say(`  now: evroute plugin pack ${show(FIX_PLUGIN_NEXT)} --out ${show(files.plugins)}`);
  await promisify(execFile)(process.execPath, [cli, 'plugin', 'pack', FIX_PLUGIN_NEXT, '--out', files.plugins]);
}

/** Enables route 3 in the routing file, as the seed's operations section does with an UPDATE. */
function flipRoute(): void {
  progress.say(`  now: set "enabled": 1 on route 3 (wrongbook_delete) in ${show(files.routing)}`);
  const table = JSON.parse(readFileSync(files.routing, 'utf8')) as { routes: { id: number; enabled: number }[] };
  for (const route of table.routes) if (route.id === 3) route.enabled = 1;
  triggers.routingSaved = Date.now();
  writeFileSync(files.routing, `${JSON.stringify(table, null, 2)}\n`);
}

const started = performance.now();
await app.start();
let swap: Promise<void> | undefined;
let flipped = false;
const ticker = setInterval(() => {
  const { acknowledged, deadLettered } = router.stats();
  const perSecond = acknowledged / Math.max(0.001, (performance.now() - started) / 1000);
  progress.update(acknowledged, `${n(Math.round(perSecond))}/s · table v${router.table().version} · ${n(deadLettered)} dead letters`);
  if (swap === undefined && acknowledged >= messages.length * 0.3) {
    swap = hotSwap().catch((error: unknown) => {
      progress.say(`  hot swap failed: ${(error as Error).message}`);
    });
  }
  if (!flipped && acknowledged >= messages.length * 0.6) {
    flipped = true;
    flipRoute();
  }
}, 100);
await router.finished();
clearInterval(ticker);
await swap;
progress.update(router.stats().acknowledged, `${((performance.now() - started) / 1000).toFixed(1)} s`);
progress.finish();
unwatch();
await app.stop();

const stats = router.stats();
const metrics = readFileSync(join(files.outputs, 'wrongbook-metrics.jsonl'), 'utf8').trim().split('\n').filter(Boolean);
const byVersion = new Map<string, number>();
for (const line of metrics) {
  const version = (JSON.parse(line) as { value: { plugin_version?: string } }).value.plugin_version ?? '1.0.0';
  byVersion.set(version, (byVersion.get(version) ?? 0) + 1);
}
const summary = summarizeSqlite(files.database);
say();
say(`Done: ${n(stats.acknowledged)} events in ${((performance.now() - started) / 1000).toFixed(1)} s; ${n(stats.outputs)} outputs written, ${n(stats.deadLettered)} dead letters.`);
say(`Live changes (${changes.length}):`);
for (const change of changes) say(`  ${change}`);
say(`  fix_metrics records by wrongbook-fix version: ${[...byVersion].map(([v, c]) => `${v} ${n(c)}`).join(', ')} (1.0.1 tags plugin_version)`);
say();
say(`The wide table dwd_wrong_record_wide_delta: ${n(summary.total.rows)} wrong questions`);
for (const line of formatSummary(summary)) say(line);
say();
say('Dead letters by code (the original bytes and the reason are in table evroute_dead_letter):');
const why: Readonly<Record<string, string>> = {
  EVR_ERR_ROUTE_UNMATCHED: 'wrongbook_delete events that arrived before route 3 was enabled',
  EVR_ERR_PROCESSOR_REJECTED: "the generator's invalid payloads (a missing field, fix_result 2, a time in 2100)",
  EVR_ERR_DECODE_NOT_JSON: "the generator's broken messages",
};
for (const { code, count: c } of summary.deadLetters) say(`  ${code.padEnd(28)} ${n(c).padStart(6)}  ${why[code] ?? ''}`);
say();
say('Where to look next:');
say(`  ${show(files.database).padEnd(34)} the wide table, dimension tables and evroute_dead_letter (SQLite)`);
say(`  ${show(files.outputs).padEnd(34)} side outputs, one JSONL file per Kafka topic they stand for`);
say(`  ${show(files.log).padEnd(34)} the router's log: plugin loads, table versions, "v1.0.1 serving"`);
say(`  ${'examples/wrongbook/src/app.ts'.padEnd(34)} the programmatic API: one createRouter call for both modes`);
say(`  ${'docs/guides/wrongbook.md'.padEnd(34)} both modes step by step, incl. production: Kafka, MySQL, plugins from a folder`);
