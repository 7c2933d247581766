// Production mode end to end, on the real broker and the real MariaDB: the generator produces a stream
// (out of order, duplicated, with bad messages) to Kafka; evroute runs with the three wrongbook plugins
// loaded from a folder (packed and signed with the CLI, trust policy require-signature) and the
// routing_configs rows of sql/routing-configs.sql with the delete route enabled by the operators' UPDATE;
// the MariaDB wide table must equal the reference model's table of the same events, and the bad messages
// must be in the dead-letter table with their reasons.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, type Pool } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as cli } from '@evroute/cli';
import { createKafkajsClient } from '@evroute/kafka';
import { requireKafka, requireMysql, silentLogger, uniqueName, waitFor } from '@evroute/testkit';
import { comparableTable } from '@evroute/wrongbook';
import { buildWrongbookRouter, setupProduction, type ProductionSettings } from '../src/index.js';
import { generateStream, produceStream } from '../src/event-stream.js';
import { expectedCode, expectedTable, readMysqlWideTable } from './support/wide-table.js';

const PLUGIN_PACKAGES = ['plugin-wrongbook-add', 'plugin-wrongbook-fix', 'plugin-wrongbook-delete'];
const packagesDir = join(import.meta.dirname, '..', '..', '..', 'packages');

let brokers: string[];
let database: string;
let url: string;
let pool: Pool;

beforeAll(async () => {
  brokers = await requireKafka();
  const server = await requireMysql();
  database = uniqueName('wrongbook_e2e');
  const at = new URL(server);
  at.pathname = `/${database}`;
  url = at.toString();
  // Created by setupProduction; read back with id as text and DATETIME(3) as UTC Dates.
  pool = createPool({ uri: url, timezone: 'Z', supportBigNumbers: true, bigNumberStrings: true, connectionLimit: 2 });
});

afterAll(async () => {
  await pool?.query(`DROP DATABASE IF EXISTS \`${database}\``).catch(() => undefined);
  await pool?.end();
});

/** Packs the three plugin packages into `dir` and signs them with a new key; returns the public key. */
async function packAndSign(dir: string): Promise<string> {
  const keys = mkdtempSync(join(tmpdir(), 'wrongbook-keys-'));
  const evroute = async (...args: string[]): Promise<string> => {
    const output: string[] = [];
    const code = await cli(args, { out: (t) => void output.push(t), err: (t) => void output.push(t) });
    if (code !== 0) throw new Error(`evroute ${args.join(' ')} exited with ${code}: ${output.join('')}`);
    return output.join('');
  };
  await evroute('plugin', 'keygen', '--out', join(keys, 'ops'));
  for (const name of PLUGIN_PACKAGES) {
    const packed = JSON.parse(await evroute('plugin', 'pack', join(packagesDir, name), '--out', dir, '--json')) as { dir: string };
    await evroute('plugin', 'sign', '--key', join(keys, 'ops.key'), packed.dir);
  }
  return readFileSync(join(keys, 'ops.pub'), 'utf8');
}

describe('generator → Kafka → evroute (plugins from a folder) → MariaDB', () => {
  it("ends with the reference model's wide table, and the bad messages dead-lettered with reasons", async () => {
    const pluginsDir = mkdtempSync(join(tmpdir(), 'wrongbook-plugins-'));
    const publicKey = await packAndSign(pluginsDir);
    const topic = uniqueName('wrongbook-events');
    const settings: ProductionSettings = {
      mode: 'production',
      kafka: { brokers, topic, groupId: uniqueName('wrongbook-e2e'), partitionsConsumedConcurrently: 4, commitIntervalMs: 200 },
      mysql: { url },
      routing: { connection: { url }, table: 'routing_configs', intervalMs: 200 },
      deadLetter: { type: 'mysql', table: 'evroute_dead_letter' },
      plugins: { builtIn: false, hotDeploy: { dir: pluginsDir, trust: { policy: 'require-signature', publicKeys: [publicKey] } } },
      outputTopics: { wrong_answers: uniqueName('wrongbook-wrong-answers'), fix_metrics: uniqueName('wrongbook-metrics'), audit: uniqueName('wrongbook-audit') },
      logger: silentLogger(),
    };
    const setup = await setupProduction(settings);
    expect(setup).toMatchObject({ dimensionsLoaded: true, routingLoaded: true });
    // The operations section's kind of UPDATE: the delete route ships disabled and is enabled here.
    await pool.query("UPDATE routing_configs SET enabled = 1 WHERE domain = 'wrongbook' AND event_type = 'wrongbook_delete'");

    const messages = generateStream({ count: 5000, seed: 11 });
    await produceStream(messages, { connection: { brokers }, topic });

    const app = buildWrongbookRouter(settings);
    try {
      await app.start();
      const loaded = app.loader?.list().filter((b) => b.state === 'loaded') ?? [];
      expect(loaded.map((b) => `${b.name ?? ''}@${b.version ?? ''}`).sort()).toEqual(['wrongbook-add@1.0.0', 'wrongbook-delete@1.0.0', 'wrongbook-fix@1.0.0']);
      expect(loaded.every((b) => b.signedBy !== undefined)).toBe(true);
      expect(app.router.table().routes.map((r) => `${r.id} ${r.eventType} ${r.handle?.registered.id ?? 'none'}`)).toEqual([
        '1 wrongbook_add wrongbook-add@1.0.0',
        '2 wrongbook_fix wrongbook-fix@1.0.0',
        '3 wrongbook_delete wrongbook-delete@1.0.0',
      ]);
      await waitFor(() => app.router.stats().acknowledged >= messages.length, { timeout: 60_000, message: `${messages.length} messages acknowledged` });
    } finally {
      await app.stop();
    }

    const expected = await expectedTable(messages);
    expect(Object.keys(expected).length).toBeGreaterThan(1500);
    expect(comparableTable(await readMysqlWideTable(pool))).toEqual(expected);

    const [dead] = await pool.query('SELECT code, message, CAST(value AS CHAR) AS value FROM evroute_dead_letter');
    const rows = dead as { code: string; message: string; value: string }[];
    const bad = messages.filter((m) => m.bad !== null);
    expect(bad.length).toBeGreaterThan(20);
    expect(rows.map((r) => `${r.code} ${r.value}`).sort()).toEqual(bad.map((m) => `${expectedCode(m)} ${m.value}`).sort());
    expect(rows.filter((r) => r.code === 'EVR_ERR_PROCESSOR_REJECTED').every((r) => /^invalid wrongbook_(add|fix|delete) payload: /.test(r.message))).toBe(true);

    // The side outputs reached their topics.
    const admin = createKafkajsClient({ brokers }).admin();
    await admin.connect();
    try {
      const written = await admin.topicOffsets(settings.outputTopics?.fix_metrics ?? '');
      expect(written.reduce((n, p) => n + Number(p.high), 0)).toBeGreaterThan(1000);
    } finally {
      await admin.disconnect();
    }
  });
});
