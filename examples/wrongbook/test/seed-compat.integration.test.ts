// The original deployment's own configuration against evroute, on the real MariaDB and broker: the
// guide's CREATE TABLE routing_configs and INSERT run verbatim, its application.properties loads
// verbatim (only the addresses substituted, and --set style overrides for the credentials, which are the
// guide's placeholders), the production app runs on what they say, and the guide's operations UPDATEs,
// verbatim, take effect live without a restart.
import { readFileSync } from 'node:fs';
import { createPool, type Pool } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Router } from '@evroute/core';
import { splitSqlStatements } from '@evroute/mysql';
import { requireKafka, requireMysql, silentLogger, uniqueName, waitFor } from '@evroute/testkit';
import { APPLICATION_PROPERTIES, buildWrongbookRouter, loadSeedProperties, ROUTING_CONFIGS_SQL, setupProduction } from '../src/index.js';
import { produceStream } from '../src/event-stream.js';
import { SEED_CREATE_TABLE, SEED_DISABLE, SEED_INSERT, SEED_UPDATE_CONFIG } from './fixtures/seed.js';

let brokers: string[];
let server: URL;
let database: string;
let pool: Pool;

beforeAll(async () => {
  brokers = await requireKafka();
  server = new URL(await requireMysql());
  database = uniqueName('wrongbook_seed');
  const admin = createPool({ uri: server.toString(), connectionLimit: 1 });
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
  await admin.end();
  pool = createPool({ uri: new URL(`/${database}`, server).toString(), timezone: 'Z', supportBigNumbers: true, bigNumberStrings: true, connectionLimit: 2 });
});

afterAll(async () => {
  await pool?.query(`DROP DATABASE IF EXISTS \`${database}\``).catch(() => undefined);
  await pool?.end();
});

/** The shipped properties with this test's broker and database as the addresses. */
function localProperties(): string {
  const jdbc = `jdbc:mysql://${server.hostname}:${server.port || '3306'}/${database}`;
  return readFileSync(APPLICATION_PROPERTIES, 'utf8')
    .replace('kafka.bootstrap.servers=localhost:9092', `kafka.bootstrap.servers=${brokers.join(',')}`)
    .replace('mysql.url=jdbc:mysql://127.0.0.1:3306/shuxue', `mysql.url=${jdbc}`)
    .replace('routing.config.database.url=jdbc:mysql://localhost:3306/config_db', `routing.config.database.url=${jdbc}`);
}

const routes = (router: Router): string[] => router.table().routes.map((r) => `${r.id} ${r.eventType} ${r.enabled ? 'on' : 'off'} ${r.handle?.registered.id ?? '-'}`);

const event = (type: string, eventId: string, payload: Record<string, unknown>): { key: string; value: string } => ({
  key: 'user_seed',
  value: JSON.stringify({ domain: 'wrongbook', type, eventId, timestamp: Date.UTC(2025, 0, 10), payload }),
});

describe("the seed's SQL and application.properties", () => {
  it('run verbatim: the app runs on them and the operations UPDATEs take effect live', async () => {
    // The guide's database initialisation, verbatim, on an empty database.
    await pool.query(SEED_CREATE_TABLE);
    await pool.query(SEED_INSERT);

    const topic = uniqueName('wrongbook-seed');
    const { settings, warnings } = loadSeedProperties(localProperties(), {
      overrides: {
        // Credentials of the local server instead of the guide's placeholders; plugins from their packages.
        'mysql.username': decodeURIComponent(server.username),
        'mysql.password': decodeURIComponent(server.password),
        'kafka.username': '',
        'kafka.password': '',
        'hot.deploy.enabled': 'false',
        'kafka.topic': topic,
      },
    });
    expect(warnings).toEqual([expect.stringContaining('metrics.reporter.type=aliyun')]);
    expect(settings).toMatchObject({
      kafka: { brokers, topic, partitionsConsumedConcurrently: 4, commitIntervalMs: 60_000 },
      routing: { table: 'routing_configs', intervalMs: 30_000 },
      stopTimeoutMs: 30_000,
      statsIntervalMs: 60_000,
      faultIsolation: { breaker: { failureThreshold: 5, successThreshold: 3, openMs: 30_000 }, fallback: 'dead-letter' },
      plugins: { builtIn: true },
    });

    // Setup keeps the seed's table and rows (migrate() adds evroute's optional columns); the delete row
    // of sql/routing-configs.sql is added as an operator would, shipped disabled.
    const setup = await setupProduction(settings);
    expect(setup).toMatchObject({ routingLoaded: false, dimensionsLoaded: true });
    const deleteRow = splitSqlStatements(readFileSync(ROUTING_CONFIGS_SQL, 'utf8')).find((s) => s.includes("'wrongbook_delete'") && s.includes('INSERT')) ?? '';
    await pool.query(deleteRow);
    await pool.query("UPDATE routing_configs SET enabled = 1 WHERE domain = 'wrongbook' AND event_type = 'wrongbook_delete'");

    const app = buildWrongbookRouter({ ...settings, logger: silentLogger() });
    try {
      await app.start();
      // The Java class names of the seed's rows resolve to the plugins (their aliases).
      expect(routes(app.router)).toEqual(['1 wrongbook_add on wrongbook-add@1.0.0', '2 wrongbook_fix on wrongbook-fix@1.0.0', '3 wrongbook_delete on wrongbook-delete@1.0.0']);
      await produceStream(
        [
          event('wrongbook_add', 'seed-add', { wrong_id: 'wrong_00000001', user_id: 'user_seed', question_id: 'q1', create_time: Date.UTC(2025, 0, 1) }),
          event('wrongbook_fix', 'seed-fix', { fix_id: 'f1', wrong_id: 'wrong_00000001', user_id: 'user_seed', fix_result: 1, fix_time: Date.UTC(2025, 0, 2) }),
        ],
        { connection: { brokers }, topic },
      );
      await waitFor(() => app.router.stats().acknowledged === 2, { timeout: 30_000 });
      const [rows] = await pool.query("SELECT subject, subject_name, fix_id, fix_result, fix_result_desc, pattern_name FROM dwd_wrong_record_wide_delta WHERE wrong_id = 'wrong_00000001'");
      expect(rows).toEqual([{ subject: 'MATH', subject_name: '数学', fix_id: 'f1', fix_result: 1, fix_result_desc: '订正', pattern_name: expect.any(String) }]);

      // 运维操作: the config update, verbatim; live after a reload (the seed's 30 s poll does it by itself).
      const before = app.router.table().version;
      await pool.query(SEED_UPDATE_CONFIG);
      await app.router.reloadConfig();
      await waitFor(() => app.router.table().version > before);
      const add = app.router.table().routes.find((r) => r.id === '1');
      expect(add?.handle?.config).toMatchObject({ cache_ttl: '15min', batch_size: 2000 });

      // 运维操作: disabling the delete processor, verbatim; its events are then unmatched.
      await pool.query(SEED_DISABLE);
      await app.router.reloadConfig();
      await waitFor(() => routes(app.router).includes('3 wrongbook_delete off -'));
      await produceStream([event('wrongbook_delete', 'seed-del', { wrong_id: 'wrong_00000001', user_id: 'user_seed', delete_time: Date.UTC(2025, 0, 3) })], { connection: { brokers }, topic });
      await waitFor(() => app.router.stats().acknowledged === 3, { timeout: 30_000 });
      const [dead] = await pool.query('SELECT code, event_id FROM evroute_dead_letter');
      expect(dead).toEqual([{ code: 'EVR_ERR_ROUTE_UNMATCHED', event_id: 'seed-del' }]);
    } finally {
      await app.stop();
    }
  });
});
