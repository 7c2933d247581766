/**
 * `MySqlDeadLetterSink`: the dead-letter output as a table instead of a topic. One row per (topic,
 * partition, offset, code): writing the same failure again (a replay after a crash) updates that row
 * instead of adding one, so the table stays idempotent. The original value is kept byte for byte.
 */
import { backoffDelay, sleep, type DeadLetterRecord, type DeadLetterSink } from '@evroute/core';
import { escape, type Pool } from 'mysql2/promise';
import { readNoBackslashEscapes, resolvePool, type MySqlConnectionOptions, type PoolHandle } from './connection.js';
import { fromDriverError, mysqlError } from './errors.js';
import { checkQualifiedName } from '@evroute/sql-common';
import { silentLogger, type Logger } from './logger.js';
import { quoteId } from './upsert-statement.js';

/** The default dead-letter table (the one `migrate()` creates). */
export const DEFAULT_DEAD_LETTER_TABLE = 'evroute_dead_letter';

/** `CREATE TABLE IF NOT EXISTS` of a dead-letter table named `table` (checked identifier). */
export function deadLetterTableDdl(table: string = DEFAULT_DEAD_LETTER_TABLE): string {
  const name = checkQualifiedName(table, 'dead-letter table name', 'MYSQL').map(quoteId).join('.');
  return `CREATE TABLE IF NOT EXISTS ${name} (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  \`topic\` VARCHAR(249) NOT NULL,
  \`partition\` INT NOT NULL,
  \`offset\` VARCHAR(32) NOT NULL,
  \`code\` VARCHAR(96) NOT NULL,
  \`message\` MEDIUMTEXT NOT NULL,
  \`stack\` MEDIUMTEXT NULL,
  \`record_key\` MEDIUMTEXT NULL,
  \`value\` LONGBLOB NULL COMMENT 'original value, byte for byte',
  \`value_kind\` VARCHAR(8) NOT NULL COMMENT 'bytes | text | json | null: how to turn value back into what the source delivered',
  \`headers\` LONGTEXT NOT NULL COMMENT 'JSON object of the original headers',
  \`attempts\` INT NOT NULL,
  \`event_id\` VARCHAR(255) NULL,
  \`route\` VARCHAR(255) NULL,
  \`plugin\` VARCHAR(255) NULL,
  \`plugin_version\` VARCHAR(64) NULL,
  \`config_version\` BIGINT NULL,
  \`dead_lettered_at\` DATETIME(3) NOT NULL COMMENT 'first time this failure was dead-lettered (UTC)',
  \`last_dead_lettered_at\` DATETIME(3) NOT NULL COMMENT 'latest time (a replay of the same failure updates it)',
  UNIQUE KEY \`uq_dead_letter_position\` (\`topic\`, \`partition\`, \`offset\`, \`code\`),
  KEY \`ix_dead_letter_time\` (\`dead_lettered_at\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='evroute dead-letter output'`;
}

const COLUMNS = [
  'topic', 'partition', 'offset', 'code', 'message', 'stack', 'record_key', 'value', 'value_kind', 'headers',
  'attempts', 'event_id', 'route', 'plugin', 'plugin_version', 'config_version', 'dead_lettered_at', 'last_dead_lettered_at',
] as const;

/** Options of {@link MySqlDeadLetterSink}. Give `pool` (shared) or `connection` (the sink owns its pool). */
export interface MySqlDeadLetterSinkOptions {
  readonly name?: string;
  readonly pool?: Pool;
  readonly connection?: MySqlConnectionOptions;
  /** Default `evroute_dead_letter`. */
  readonly table?: string;
  /** Create the table in `start()` when missing; default false (run `migrate()` instead). */
  readonly createTable?: boolean;
  /** Internal retries of a transient failure before `write` rejects; default 4. */
  readonly retryAttempts?: number;
  /** Most bytes per INSERT statement; default 8 MiB (a larger record goes alone). */
  readonly maxStatementBytes?: number;
  readonly logger?: Logger;
}

function cut(text: string | undefined | null, max: number): string | null {
  if (text === undefined || text === null) return null;
  return text.length > max ? text.slice(0, max) : text;
}

function valueOf(value: DeadLetterRecord['value']): { bytes: Buffer | null; kind: string } {
  if (value === null) return { bytes: null, kind: 'null' };
  if (typeof value === 'string') return { bytes: Buffer.from(value, 'utf8'), kind: 'text' };
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength), kind: 'bytes' };
  return { bytes: Buffer.from(JSON.stringify(value) ?? 'null', 'utf8'), kind: 'json' };
}

/** A `DeadLetterSink` writing to a MySQL/MariaDB table. */
export class MySqlDeadLetterSink implements DeadLetterSink {
  readonly name: string;
  readonly #handle: PoolHandle;
  readonly #table: string;
  readonly #ddl: string;
  readonly #createTable: boolean;
  readonly #attempts: number;
  readonly #maxBytes: number;
  readonly #logger: Logger;
  #noBackslashEscapes: Promise<boolean> | undefined;
  #closed = false;

  constructor(options: MySqlDeadLetterSinkOptions = {}) {
    this.name = options.name ?? 'mysql-dead-letter';
    const table = options.table ?? DEFAULT_DEAD_LETTER_TABLE;
    this.#ddl = deadLetterTableDdl(table);
    this.#table = checkQualifiedName(table, 'dead-letter table name', 'MYSQL').map(quoteId).join('.');
    this.#createTable = options.createTable ?? false;
    this.#attempts = options.retryAttempts ?? 4;
    this.#maxBytes = options.maxStatementBytes ?? 8 * 1024 * 1024;
    this.#logger = options.logger ?? silentLogger;
    this.#handle = resolvePool(options, `MySqlDeadLetterSink "${this.name}"`);
  }

  /** Creates the table when `createTable` is set. Rejects with a coded error when the server refuses. */
  async start(_signal: AbortSignal): Promise<void> {
    if (!this.#createTable) return;
    try {
      await this.#handle.pool.query(this.#ddl);
    } catch (error) {
      throw fromDriverError(error, { table: this.#table });
    }
  }

  /**
   * Writes the records (one statement per ≤ `maxStatementBytes`) and resolves once committed. Long
   * texts are cut to their columns so a record is never refused. Rejects with a retriable coded error
   * after the internal retries; the pipeline retries until it succeeds.
   */
  async write(records: readonly DeadLetterRecord[], signal: AbortSignal): Promise<void> {
    if (this.#closed) throw mysqlError('EVR_ERR_MYSQL_CLOSED', `MySqlDeadLetterSink "${this.name}" is closed`);
    if (records.length === 0) return;
    this.#noBackslashEscapes ??= readNoBackslashEscapes(this.#handle.pool, 10_000).catch((error: unknown) => {
      this.#noBackslashEscapes = undefined;
      throw fromDriverError(error, { table: this.#table });
    });
    const sqlMode = { noBackslashEscapes: await this.#noBackslashEscapes };
    const tuples = records.map((record) => this.#tuple(record, sqlMode));
    const head = `INSERT INTO ${this.#table} (${COLUMNS.map(quoteId).join(', ')}) VALUES `;
    const tail =
      ' ON DUPLICATE KEY UPDATE `message` = VALUES(`message`), `stack` = VALUES(`stack`), ' +
      '`attempts` = GREATEST(`attempts`, VALUES(`attempts`)), ' +
      '`last_dead_lettered_at` = GREATEST(`last_dead_lettered_at`, VALUES(`last_dead_lettered_at`))';
    let batch: string[] = [];
    let bytes = 0;
    for (const tuple of tuples) {
      const size = Buffer.byteLength(tuple) + 2;
      if (batch.length > 0 && bytes + size > this.#maxBytes) {
        await this.#run(head + batch.join(', ') + tail, signal);
        batch = [];
        bytes = 0;
      }
      batch.push(tuple);
      bytes += size;
    }
    if (batch.length > 0) await this.#run(head + batch.join(', ') + tail, signal);
  }

  /** Closes the pool if the sink made it. */
  async close(_signal: AbortSignal): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#handle.owned) await this.#handle.pool.end();
  }

  #tuple(r: DeadLetterRecord, sqlMode: { noBackslashEscapes: boolean }): string {
    const { bytes, kind } = valueOf(r.value);
    const at = new Date(Number.isFinite(r.timestamp) ? r.timestamp : Date.now());
    const values = [
      cut(r.topic, 249) ?? '', r.partition, cut(r.offset, 32) ?? '', cut(r.code, 96) ?? '', cut(r.message, 4_000_000) ?? '',
      cut(r.stack, 4_000_000), cut(r.key, 4_000_000), bytes, kind, JSON.stringify(r.headers ?? {}),
      r.attempts, cut(r.eventId, 255), cut(r.route, 255), cut(r.plugin, 255), cut(r.pluginVersion, 64),
      r.configVersion ?? null, at, at,
    ];
    return `(${values.map((v) => escape(v, false, 'Z', sqlMode)).join(', ')})`;
  }

  async #run(sql: string, signal: AbortSignal): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#handle.pool.query(sql);
        return;
      } catch (caught) {
        const error = fromDriverError(caught, { table: this.#table });
        if (!error.retriable || attempt >= this.#attempts) throw error;
        this.#logger.warn({ err: error, attempt }, 'dead-letter write failed; retrying');
        await sleep(backoffDelay(attempt - 1, { initialMs: 50, maxMs: 1_000 }), signal).catch((reason: unknown) => {
          throw mysqlError('EVR_ERR_MYSQL_ABORTED', 'dead-letter write aborted while waiting to retry', { cause: reason });
        });
      }
    }
  }
}
