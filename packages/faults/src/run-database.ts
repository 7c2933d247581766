/**
 * The database of one run on the private MariaDB: created fresh, migrated with `migrate()` of
 * `@evroute/mysql` (routing table, wide table, dead-letter table), seeded with the wrongbook routes,
 * and read back by the checks: rows by wrong_id, dead letters by position, the whole table.
 */
import { migrate } from '@evroute/mysql';
import { WIDE_TABLE } from '@evroute/wrongbook';
import { createPool, type Pool, type RowDataPacket } from 'mysql2/promise';
import type { ReflectingColumn } from './expectations.js';
import type { PrivateMariaDb } from './private-mariadb.js';
import { PROBE_TABLE } from './router-wiring.js';

/** A routing row as the seed's `routing_configs` (plus evroute's `outputs_json` and `fanout`). */
export interface RouteRow {
  readonly id: number;
  readonly domain: string;
  readonly eventType: string;
  readonly processor: string;
  readonly enabled: boolean;
  readonly priority: number;
  readonly config: string | null;
  readonly outputs?: string | null;
  readonly fanout?: boolean;
}

/** The three wrongbook routes, their side outputs off (the suite checks the wide table only). */
export const WRONGBOOK_ROUTES: readonly RouteRow[] = [
  { id: 1, domain: 'wrongbook', eventType: 'wrongbook_add', processor: 'com.flink.realtime.topics.wrongbook.processor.WrongbookAddProcessor', enabled: true, priority: 10, config: '{"cache_ttl":"10min","batch_size":1000,"emit_wrong_answers":false}', outputs: '{"wrong_answers":null}' },
  { id: 2, domain: 'wrongbook', eventType: 'wrongbook_fix', processor: 'com.flink.realtime.topics.wrongbook.processor.WrongbookFixProcessor', enabled: true, priority: 10, config: '{"emit_fix_metrics":false}', outputs: '{"fix_metrics":null}' },
  { id: 3, domain: 'wrongbook', eventType: 'wrongbook_delete', processor: 'wrongbook-delete', enabled: true, priority: 10, config: '{"emit_audit":false}', outputs: '{"audit":null}' },
];

/** One run's database. */
export class RunDatabase {
  readonly name: string;
  readonly pool: Pool;
  readonly #server: PrivateMariaDb;

  private constructor(server: PrivateMariaDb, name: string) {
    this.#server = server;
    this.name = name;
    this.pool = createPool({
      uri: server.url(name, 'root'), connectionLimit: 3, connectTimeout: 3_000, timezone: 'Z', supportBigNumbers: true, bigNumberStrings: true, enableKeepAlive: true,
    });
  }

  /** Creates, migrates and seeds the database `name`. */
  static async create(server: PrivateMariaDb, name: string, routes: readonly RouteRow[] = WRONGBOOK_ROUTES): Promise<RunDatabase> {
    const admin = createPool({ uri: server.url('mysql', 'root'), connectionLimit: 1 });
    try {
      await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    } finally {
      await admin.end();
    }
    const db = new RunDatabase(server, name);
    await migrate(db.pool);
    await db.pool.query(`CREATE TABLE ${PROBE_TABLE} (event_id VARCHAR(128) NOT NULL PRIMARY KEY, version VARCHAR(32) NOT NULL)`);
    for (const route of routes) await db.putRoute(route);
    return db;
  }

  /** The URL routers use (user `evroute`, canary password). */
  get routerUrl(): string {
    return this.#server.url(this.name);
  }

  /** Inserts or replaces a routing row. */
  async putRoute(r: RouteRow): Promise<void> {
    await this.pool.query(
      'REPLACE INTO routing_configs (id, domain, event_type, processor_class, enabled, priority, config_json, outputs_json, fanout) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [r.id, r.domain, r.eventType, r.processor, r.enabled ? 1 : 0, r.priority, r.config, r.outputs ?? null, r.fanout === true ? 1 : 0],
    );
  }

  /** The time columns of the rows of `wrongIds`, as epoch ms. */
  async reflectingColumns(wrongIds: readonly string[]): Promise<Map<string, Record<ReflectingColumn, number | null>>> {
    const out = new Map<string, Record<ReflectingColumn, number | null>>();
    if (wrongIds.length === 0) return out;
    const [rows] = await this.pool.query<RowDataPacket[]>({ sql: `SELECT wrong_id, collect_time, fix_time, delete_time FROM ${WIDE_TABLE} WHERE wrong_id IN (?)`, timeout: 5_000 }, [[...new Set(wrongIds)]]);
    for (const row of rows) {
      out.set(String(row['wrong_id']), { collect_time: msOf(row['collect_time']), fix_time: msOf(row['fix_time']), delete_time: msOf(row['delete_time']) });
    }
    return out;
  }

  /** Dead letters of `topic`/`partition` with `from <= offset < to`: offset → codes. */
  async deadLettersBetween(topic: string, partition: number, from: bigint, to: bigint): Promise<Map<bigint, string[]>> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      { sql: 'SELECT `offset`, code FROM evroute_dead_letter WHERE topic = ? AND `partition` = ? AND CAST(`offset` AS UNSIGNED) >= ? AND CAST(`offset` AS UNSIGNED) < ?', timeout: 5_000 },
      [topic, partition, from.toString(), to.toString()],
    );
    const out = new Map<bigint, string[]>();
    for (const row of rows) {
      const offset = BigInt(String(row['offset']));
      out.set(offset, [...(out.get(offset) ?? []), String(row['code'])]);
    }
    return out;
  }

  /** The whole wide table. */
  async wideTable(): Promise<RowDataPacket[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>(`SELECT * FROM ${WIDE_TABLE}`);
    return rows;
  }

  /** wrong_ids with more than one row (the unique key forbids it; counted anyway). */
  async repeatedWrongIds(): Promise<number> {
    const [rows] = await this.pool.query<RowDataPacket[]>(`SELECT wrong_id FROM ${WIDE_TABLE} GROUP BY wrong_id HAVING COUNT(*) > 1`);
    return rows.length;
  }

  /** Every dead letter with what the fidelity check needs. */
  async deadLetters(): Promise<DeadLetterRow[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT topic, `partition`, `offset`, code, value, record_key, route, plugin, plugin_version FROM evroute_dead_letter');
    return rows.map((r) => ({
      topic: String(r['topic']), partition: Number(r['partition']), offset: BigInt(String(r['offset'])), code: String(r['code']),
      value: r['value'] === null ? null : Buffer.from(r['value'] as Buffer), key: r['record_key'] === null ? null : String(r['record_key']),
      route: r['route'] === null ? null : String(r['route']), plugin: r['plugin'] === null ? null : String(r['plugin']),
      pluginVersion: r['plugin_version'] === null ? null : String(r['plugin_version']),
    }));
  }

  /** The probe rows (plugin faults): event_id → version. */
  async probeRows(): Promise<Map<string, string>> {
    const [rows] = await this.pool.query<RowDataPacket[]>(`SELECT event_id, version FROM ${PROBE_TABLE}`);
    return new Map(rows.map((r) => [String(r['event_id']), String(r['version'])]));
  }

  /** Closes the pool; drops the database unless it is kept for a failure's post-mortem. */
  async close(drop: boolean): Promise<void> {
    if (drop) await this.pool.query(`DROP DATABASE IF EXISTS \`${this.name}\``).catch(() => undefined);
    await this.pool.end();
  }
}

/** A stored dead letter. */
export interface DeadLetterRow {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly code: string;
  readonly value: Buffer | null;
  readonly key: string | null;
  readonly route: string | null;
  readonly plugin: string | null;
  readonly pluginVersion: string | null;
}

function msOf(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  return typeof value === 'string' || typeof value === 'number' ? new Date(value).getTime() : null;
}
