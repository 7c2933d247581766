/**
 * The wrongbook application's command line (docs/guides/wrongbook.md):
 *
 *   node dist/main.js embedded   [--dir .evroute/wrongbook] [--events file] [--routing file] [--rate n]
 *                                [--plugins dir [--trust policy] [--public-key file]...]
 *   node dist/main.js production --properties application.properties [--properties local.properties]...
 *                                [--set key=value]... [--setup]
 *   node dist/main.js setup      --properties application.properties [--properties ...]... [--set key=value]...
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { TrustPolicy } from '@evroute/core';
import { pino, type Logger } from 'pino';
import { buildWrongbookRouter } from './app.js';
import { generateStream, writeStreamToFile } from './event-stream.js';
import { ROUTING_FILE } from './example-files.js';
import { Progress } from './progress.js';
import { readSeedProperties } from './seed-properties.js';
import { setupProduction, setupSqlite } from './setup.js';
import { formatSummary, summarizeSqlite } from './table-summary.js';

const HELP = `Usage:
  node dist/main.js embedded [options]     the pipeline on SQLite over a JSONL file of events; no servers
      --dir <dir>            working folder: wrongbook.db, outputs/, evroute.log (default .evroute/wrongbook)
      --events <file>        events, one JSON envelope per line (default <dir>/events.jsonl, generated if missing)
      --routing <file>       the routing table, watched (default <dir>/routing.json, a copy of routing.json)
      --rate <n>             replay at most n events per second (default: as fast as possible)
      --plugins <dir>        hot deployment: also load plugin bundles dropped into this folder
      --trust <policy>       require-signature (default), hash-only or dev
      --public-key <file>    a trusted Ed25519 public key (repeatable)
  node dist/main.js production --properties <file>... [--set key=value]... [--setup]
                                           Kafka in, MySQL routing_configs and wide table, plugins from
                                           hot.deploy.jar.path; runs until SIGINT or SIGTERM
      --setup                create the tables and load the sample rows first (as the setup command)
  node dist/main.js setup --properties <file>... [--set key=value]...
                                           create the databases' tables, load the sample dimension rows
                                           and the routing rows where they are missing
  --properties <file>        the seed's application.properties; repeat it to add files whose keys win
                             (e.g. config/local.properties); values may use \${ENV_VAR} and \${ENV_VAR:default}
  --set key=value            override a key of the properties files (an empty value unsets it)
`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: 'string', default: '.evroute/wrongbook' },
    events: { type: 'string' },
    routing: { type: 'string' },
    rate: { type: 'string' },
    plugins: { type: 'string' },
    trust: { type: 'string', default: 'require-signature' },
    'public-key': { type: 'string', multiple: true, default: [] },
    properties: { type: 'string', multiple: true, default: [] },
    set: { type: 'string', multiple: true, default: [] },
    setup: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

async function embedded(): Promise<number> {
  const dir = resolve(values.dir);
  mkdirSync(dir, { recursive: true });
  const events = values.events === undefined ? join(dir, 'events.jsonl') : resolve(values.events);
  if (!existsSync(events)) {
    await writeStreamToFile(generateStream({ count: 5000, seed: 1 }), events);
    process.stdout.write(`generated 5,000 sample events into ${events} (node dist/generate.js makes others)\n`);
  }
  const routing = values.routing === undefined ? join(dir, 'routing.json') : resolve(values.routing);
  if (!existsSync(routing)) copyFileSync(ROUTING_FILE, routing);
  const database = join(dir, 'wrongbook.db');
  await setupSqlite(database);
  const logger = pino({ name: 'wrongbook', level: 'info' }, pino.destination({ dest: join(dir, 'evroute.log'), sync: false }));
  const hotDeploy = values.plugins === undefined ? undefined : {
    dir: resolve(values.plugins),
    trust: { policy: values.trust as TrustPolicy, publicKeys: values['public-key'].map((file) => readFileSync(file, 'utf8')) },
  };
  if (hotDeploy && hotDeploy.trust.policy !== 'require-signature') process.stdout.write(`!! plugin trust policy ${hotDeploy.trust.policy}: unsigned bundles dropped into ${hotDeploy.dir} will run\n`);
  const app = buildWrongbookRouter({
    mode: 'embedded',
    database,
    routingFile: routing,
    eventsFile: events,
    outputsDir: join(dir, 'outputs'),
    plugins: { builtIn: true, ...(hotDeploy ? { hotDeploy } : {}) },
    logger,
    ...(values.rate === undefined ? {} : { rate: Number(values.rate) }),
  });
  const total = readFileSync(events, 'utf8').split('\n').filter((line) => line.trim() !== '').length;
  const progress = new Progress({ total, label: 'events' });
  await app.start();
  const ticker = setInterval(() => progress.update(app.router.stats().acknowledged, `table v${app.router.table().version}`), 200);
  const interrupted = new Promise<void>((done) => process.once('SIGINT', done));
  await Promise.race([app.router.finished(), interrupted]);
  clearInterval(ticker);
  progress.update(app.router.stats().acknowledged);
  progress.finish();
  await app.stop();
  const summary = summarizeSqlite(database);
  process.stdout.write(`${formatSummary(summary).join('\n')}\n`);
  for (const { code, count } of summary.deadLetters) process.stdout.write(`  dead letters ${code}: ${count}\n`);
  process.stdout.write(`wide table, dead letters: ${database}; side outputs: ${join(dir, 'outputs')}; log: ${join(dir, 'evroute.log')}\n`);
  return 0;
}

/** The properties file with the `--set` overrides, mapped; warnings and the mapping logged (no secrets). */
function productionSettings(logger: Logger): ReturnType<typeof readSeedProperties>['settings'] {
  if (values.properties.length === 0) throw new Error('--properties <application.properties> is required');
  const overrides: Record<string, string> = {};
  for (const pair of values.set) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`--set ${pair}: expected key=value`);
    overrides[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  const { settings, warnings, mapped } = readSeedProperties(values.properties, { overrides, env: process.env });
  for (const m of mapped) logger.debug({ key: m.key, value: m.value, to: m.to }, 'application.properties key mapped');
  for (const warning of warnings) logger.warn(warning);
  logger.info({ files: values.properties, keys: mapped.length, warnings: warnings.length }, 'application.properties loaded');
  return settings;
}

async function production(setupOnly: boolean): Promise<number> {
  const logger = pino({ name: 'wrongbook', level: process.env['LOG_LEVEL'] ?? 'info' }, pino.destination(2));
  const settings = productionSettings(logger);
  if (setupOnly || values.setup) {
    const result = await setupProduction(settings);
    logger.info({ ...result }, 'databases set up');
    if (setupOnly) return 0;
  }
  const app = buildWrongbookRouter({ ...settings, logger });
  const stop = new Promise<string>((done) => {
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
  try {
    await app.start();
    logger.info({ topic: settings.kafka.topic, plugins: app.loader?.list().filter((b) => b.state === 'loaded').map((b) => `${b.name ?? '?'}@${b.version ?? '?'}`) }, 'wrongbook pipeline running');
    logger.info({ why: await stop }, 'stopping');
  } finally {
    await app.stop();
  }
  return 0;
}

async function run(): Promise<number> {
  const [command] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  if (command === 'embedded') return embedded();
  if (command === 'production') return production(false);
  if (command === 'setup') return production(true);
  process.stderr.write(`unknown command '${command}'\n\n${HELP}`);
  return 2;
}

try {
  process.exitCode = await run();
} catch (error) {
  process.stderr.write(`wrongbook: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
