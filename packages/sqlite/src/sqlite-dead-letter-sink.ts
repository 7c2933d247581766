/**
 * `SqliteDeadLetterSink`: the dead-letter output as a SQLite table. One row per (topic, partition,
 * offset, code), so dead-lettering the same failure again (a replay) updates that row instead of adding
 * one. The original value is kept byte for byte.
 */
import type { DeadLetterRecord, DeadLetterSink } from '@evroute/core';
import type { SQLInputValue } from 'node:sqlite';
import { releaseDatabase, resolveDatabase, type DatabaseHandle, type SqliteDatabaseOptions } from './database.js';
import { fromSqliteError, sqliteError } from './errors.js';
import { checkQualifiedName } from '@evroute/sql-common';
import { quoteId } from './upsert-statement.js';

/** The default dead-letter table (the one `migrate()` creates). */
export const DEFAULT_DEAD_LETTER_TABLE = 'evroute_dead_letter';

/** `CREATE TABLE IF NOT EXISTS` of a SQLite dead-letter table named `table` (checked identifier). */
export function deadLetterTableDdl(table: string = DEFAULT_DEAD_LETTER_TABLE): string {
  const parts = checkQualifiedName(table, 'dead-letter table name', 'SQLITE');
  return `CREATE TABLE IF NOT EXISTS ${parts.map(quoteId).join('.')} (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "topic" TEXT NOT NULL,
  "partition" INTEGER NOT NULL,
  "offset" TEXT NOT NULL,
  "code" TEXT NOT NULL,
  "message" TEXT NOT NULL,
  "stack" TEXT NULL,
  "record_key" TEXT NULL,
  "value" BLOB NULL,
  "value_kind" TEXT NOT NULL,
  "headers" TEXT NOT NULL,
  "attempts" INTEGER NOT NULL,
  "event_id" TEXT NULL,
  "route" TEXT NULL,
  "plugin" TEXT NULL,
  "plugin_version" TEXT NULL,
  "config_version" INTEGER NULL,
  "dead_lettered_at" TEXT NOT NULL,
  "last_dead_lettered_at" TEXT NOT NULL,
  UNIQUE ("topic", "partition", "offset", "code")
)`;
}

const COLUMNS = [
  'topic', 'partition', 'offset', 'code', 'message', 'stack', 'record_key', 'value', 'value_kind', 'headers',
  'attempts', 'event_id', 'route', 'plugin', 'plugin_version', 'config_version', 'dead_lettered_at', 'last_dead_lettered_at',
] as const;

/** Options of {@link SqliteDeadLetterSink}. */
export interface SqliteDeadLetterSinkOptions extends SqliteDatabaseOptions {
  readonly name?: string;
  /** Default `evroute_dead_letter`. */
  readonly table?: string;
  /** Create the table in `start()` when missing; default false (run `migrate()` instead). */
  readonly createTable?: boolean;
}

function valueOf(value: DeadLetterRecord['value']): { bytes: Uint8Array | null; kind: string } {
  if (value === null) return { bytes: null, kind: 'null' };
  if (typeof value === 'string') return { bytes: Buffer.from(value, 'utf8'), kind: 'text' };
  if (value instanceof Uint8Array) return { bytes: value, kind: 'bytes' };
  return { bytes: Buffer.from(JSON.stringify(value) ?? 'null', 'utf8'), kind: 'json' };
}

/** A `DeadLetterSink` writing to a SQLite table, one transaction per `write`. */
export class SqliteDeadLetterSink implements DeadLetterSink {
  readonly name: string;
  readonly #handle: DatabaseHandle;
  readonly #table: string;
  readonly #ddl: string;
  readonly #createTable: boolean;
  #closed = false;

  constructor(options: SqliteDeadLetterSinkOptions) {
    this.name = options.name ?? 'sqlite-dead-letter';
    const table = options.table ?? DEFAULT_DEAD_LETTER_TABLE;
    this.#ddl = deadLetterTableDdl(table);
    this.#table = checkQualifiedName(table, 'dead-letter table name', 'SQLITE').map(quoteId).join('.');
    this.#createTable = options.createTable ?? false;
    this.#handle = resolveDatabase(options, `SqliteDeadLetterSink "${this.name}"`);
  }

  /** Creates the table when `createTable` is set. */
  start(_signal: AbortSignal): Promise<void> {
    try {
      if (this.#createTable) this.#handle.db.exec(this.#ddl);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(fromSqliteError(error, { table: this.#table }));
    }
  }

  /** Writes the records in one transaction and resolves once committed; rejects with a coded error otherwise. */
  write(records: readonly DeadLetterRecord[], _signal: AbortSignal): Promise<void> {
    if (this.#closed) return Promise.reject(sqliteError('EVR_ERR_SQLITE_CLOSED', `SqliteDeadLetterSink "${this.name}" is closed`));
    if (records.length === 0) return Promise.resolve();
    const { db } = this.#handle;
    try {
      const statement = db.prepare(
        `INSERT INTO ${this.#table} (${COLUMNS.map(quoteId).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')}) ` +
          'ON CONFLICT ("topic", "partition", "offset", "code") DO UPDATE SET "message" = excluded."message", "stack" = excluded."stack", ' +
          '"attempts" = max("attempts", excluded."attempts"), "last_dead_lettered_at" = max("last_dead_lettered_at", excluded."last_dead_lettered_at")',
      );
      db.exec('BEGIN IMMEDIATE');
      try {
        for (const r of records) {
          const { bytes, kind } = valueOf(r.value);
          const at = new Date(Number.isFinite(r.timestamp) ? r.timestamp : Date.now()).toISOString();
          const values: SQLInputValue[] = [
            r.topic, r.partition, r.offset, r.code, r.message, r.stack ?? null, r.key, bytes, kind, JSON.stringify(r.headers ?? {}),
            r.attempts, r.eventId ?? null, r.route ?? null, r.plugin ?? null, r.pluginVersion ?? null, r.configVersion ?? null, at, at,
          ];
          statement.run(...values);
        }
        db.exec('COMMIT');
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw error;
      }
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(fromSqliteError(error, { table: this.#table }));
    }
  }

  /** Closes the database if the sink opened it. */
  close(_signal: AbortSignal): Promise<void> {
    this.#closed = true;
    releaseDatabase(this.#handle);
    return Promise.resolve();
  }
}
