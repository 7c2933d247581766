/**
 * Getting a database ready for the pipeline: the tables (the migrations of `@evroute/sqlite` or
 * `@evroute/mysql`), the dimension sample data (`sql/dimension-data.sql`) and, for MySQL, the routing
 * rows (`sql/routing-configs.sql`: the seed's own SQL plus the disabled delete route). Each step is
 * skipped when already done, so setup can run before every start.
 */
import { readFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createPool, type Pool } from 'mysql2/promise';
import { createMySqlPool, describeConnection, migrate as migrateMysql, quoteId, splitSqlStatements, toPoolOptions, type MySqlConnectionOptions } from '@evroute/mysql';
import { migrate as migrateSqlite, openSqliteDatabase } from '@evroute/sqlite';
import { createKafkajsClient } from '@evroute/kafka';
import { DIMENSION_DATA_SQL, ROUTING_CONFIGS_SQL } from './example-files.js';
import { sideTopics } from './mode-parts.js';
import { kafkaConnectionOf } from './production-parts.js';
import type { ProductionSettings } from './settings.js';

/** What a setup did. */
export interface SetupResult {
  /** Migration files applied now. */
  readonly migrations: readonly string[];
  /** True when the dimension sample data was loaded now (the tables were empty). */
  readonly dimensionsLoaded: boolean;
  /** True when the routing rows were inserted now (MySQL only; the table was empty). */
  readonly routingLoaded: boolean;
}

/**
 * Creates or updates the embedded mode's SQLite file: the wide table, the dimension tables and the
 * dead-letter table, and the sample dimension rows when the tables are empty. Closes it again.
 */
export async function setupSqlite(path: string): Promise<SetupResult> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = openSqliteDatabase(path, { synchronous: 'NORMAL' });
  try {
    const { applied } = await migrateSqlite(database, { groups: ['wrongbook', 'dimensions', 'dead-letter'] });
    let dimensionsLoaded = false;
    if (isEmpty(database.prepare('SELECT COUNT(*) AS n FROM tower_pattern').get())) {
      const sql = await readFile(DIMENSION_DATA_SQL, 'utf8');
      database.exec('BEGIN');
      try {
        database.exec(sql);
        database.exec('COMMIT');
      } catch (error) {
        database.exec('ROLLBACK');
        throw error;
      }
      dimensionsLoaded = true;
    }
    return { migrations: applied, dimensionsLoaded, routingLoaded: false };
  } finally {
    database.close();
  }
}

/**
 * Sets up production: the Kafka topics (the source topic with {@link SOURCE_TOPIC_PARTITIONS} partitions,
 * the side outputs' topics, a dead-letter topic) where missing, then {@link setupMysql} on the settings'
 * connections (pools made and closed here), after creating their databases when missing (as the
 * guide's `CREATE DATABASE IF NOT EXISTS config_db`).
 */
export async function setupProduction(settings: Pick<ProductionSettings, 'mysql' | 'routing' | 'kafka' | 'deadLetter' | 'outputTopics'>): Promise<SetupResult> {
  await createTopics(settings);
  await ensureDatabase(settings.mysql);
  await ensureDatabase(settings.routing.connection);
  const business = createMySqlPool({ ...settings.mysql, connectionLimit: 1 });
  const sameDatabase = describeConnection(settings.routing.connection) === describeConnection(settings.mysql);
  const routing = sameDatabase ? business : createMySqlPool({ ...settings.routing.connection, connectionLimit: 1 });
  try {
    return await setupMysql(business, routing);
  } finally {
    await business.end();
    if (routing !== business) await routing.end();
  }
}

/**
 * Prepares the production databases: on `routing` (the `routing.config.database.url` database) the
 * seed's `routing_configs` table with its rows when it has none; on `business` (`mysql.url`) the wide
 * table, the dimension tables with the sample rows when they are empty, and the dead-letter table. The
 * two pools may be the same. Rejects with the coded MySQL error of the first statement that fails.
 */
export async function setupMysql(business: Pool, routing: Pool = business): Promise<SetupResult> {
  // Statements without their leading comment lines, so each starts with its verb.
  const routingSql = splitSqlStatements(await readFile(ROUTING_CONFIGS_SQL, 'utf8')).map((s) => s.replace(/^(?:\s*--[^\n]*\n)+/, '').trim());
  let routingLoaded = false;
  // The seed's CREATE TABLE first (verbatim from the file), so the table is the guide's own; migrate()
  // then finds it there (1050 counts as applied) and adds evroute's optional columns.
  const create = routingSql.filter((s) => /^CREATE TABLE/i.test(s));
  for (const statement of create) await queryTolerating(routing, statement, 1050);
  const applied = [...(await migrateMysql(routing, { groups: ['routing'] })).applied];
  if (isEmpty(await first(routing, 'SELECT COUNT(*) AS n FROM routing_configs'))) {
    for (const statement of routingSql.filter((s) => /^INSERT/i.test(s))) await routing.query(statement);
    routingLoaded = true;
  }
  applied.push(...(await migrateMysql(business, { groups: ['wrongbook', 'dimensions', 'dead-letter'] })).applied);
  let dimensionsLoaded = false;
  if (isEmpty(await first(business, 'SELECT COUNT(*) AS n FROM tower_pattern'))) {
    const statements = splitSqlStatements(await readFile(DIMENSION_DATA_SQL, 'utf8'));
    const connection = await business.getConnection();
    try {
      await connection.beginTransaction();
      for (const statement of statements) await connection.query(statement);
      await connection.commit();
    } catch (error) {
      await connection.rollback().catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
    dimensionsLoaded = true;
  }
  return { migrations: applied, dimensionsLoaded, routingLoaded };
}

/** Partitions of a source topic that setup creates: the seed's `flink.parallelism` default. */
export const SOURCE_TOPIC_PARTITIONS = 4;

/** Creates the topics the pipeline reads and writes, where missing. */
async function createTopics(settings: Pick<ProductionSettings, 'kafka' | 'deadLetter' | 'outputTopics'>): Promise<void> {
  const { topic, partitionsConsumedConcurrently } = settings.kafka;
  const topics = [{ topic, partitions: Math.max(SOURCE_TOPIC_PARTITIONS, partitionsConsumedConcurrently ?? 1) }];
  for (const side of Object.values(sideTopics(settings.outputTopics))) topics.push({ topic: side, partitions: 1 });
  if (settings.deadLetter.type === 'kafka') topics.push({ topic: settings.deadLetter.topic, partitions: 1 });
  const admin = createKafkajsClient(kafkaConnectionOf(settings.kafka)).admin();
  await admin.connect();
  try {
    for (const spec of topics) await admin.createTopic(spec);
  } finally {
    await admin.disconnect();
  }
}

/** `CREATE DATABASE IF NOT EXISTS` for the database a connection names. */
async function ensureDatabase(connection: MySqlConnectionOptions): Promise<void> {
  const { database, ...server } = toPoolOptions(connection);
  if (database === undefined) return;
  const pool = createPool({ ...server, connectionLimit: 1 });
  try {
    await pool.query(`CREATE DATABASE IF NOT EXISTS ${quoteId(database)} CHARACTER SET utf8mb4`);
  } finally {
    await pool.end();
  }
}

async function first(pool: Pool, sql: string): Promise<unknown> {
  const [rows] = await pool.query(sql);
  return (rows as unknown[])[0];
}

async function queryTolerating(pool: Pool, sql: string, errno: number): Promise<void> {
  try {
    await pool.query(sql);
  } catch (error) {
    if ((error as { errno?: unknown }).errno !== errno) throw error;
  }
}

function isEmpty(row: unknown): boolean {
  return Number((row as { n?: unknown } | undefined)?.n ?? 0) === 0;
}
