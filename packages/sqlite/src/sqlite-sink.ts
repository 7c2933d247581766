/**
 * `SqliteSink`: the embedded default for table outputs, with the same contract and merge policies as
 * `MySqlSink`, on `node:sqlite`. Each `write` is one transaction (`BEGIN IMMEDIATE … COMMIT`), so it
 * resolves only when every row is committed; a row that fails for good is rolled back alone (SQLite keeps
 * the transaction after a failed statement) and returned in `rejected`.
 */
import { backoffDelay, sleep, type EvrouteError, type OutputSpec, type Sink, type SinkRecord, type WriteResult } from '@evroute/core';
import type { SQLInputValue, StatementSync } from 'node:sqlite';
import { releaseDatabase, resolveDatabase, type DatabaseHandle, type SqliteDatabaseOptions } from './database.js';
import { errorScope, fromSqliteError, sqliteError } from './errors.js';
import { compareKeys, keyOf } from '@evroute/sql-common';
import { silentLogger, type Logger } from './logger.js';
import { compileUpsert, rowParams, type UpsertStatement } from './upsert-statement.js';

/** Records per `write` suggested to the pipeline (`RouterOptions.batchSizes`); one transaction each. */
export const DEFAULT_SQLITE_BATCH_SIZE = 1000;

/** Options of {@link SqliteSink}: the database (shared or a path) and retry tuning. */
export interface SqliteSinkOptions extends SqliteDatabaseOptions {
  /** Name for logs and bindings; default `sqlite`. */
  readonly name?: string;
  /** Internal retries when the database is busy or an I/O error occurs, before `write` rejects. */
  readonly retry?: { readonly attempts?: number; readonly initialMs?: number; readonly maxMs?: number };
  readonly logger?: Logger;
}

interface Item {
  readonly index: number;
  readonly key: readonly unknown[];
  readonly params: SQLInputValue[];
}

type Rejection = { readonly index: number; readonly error: EvrouteError };

/** A `Sink` for table outputs on SQLite. */
export class SqliteSink implements Sink {
  readonly name: string;
  readonly #handle: DatabaseHandle;
  readonly #logger: Logger;
  readonly #attempts: number;
  readonly #backoff: { readonly initialMs: number; readonly maxMs: number };
  readonly #statements = new WeakMap<OutputSpec, Map<string, UpsertStatement | EvrouteError>>();
  readonly #prepared = new WeakMap<UpsertStatement, StatementSync>();
  #closed = false;
  #healthy = true;

  constructor(options: SqliteSinkOptions) {
    this.name = options.name ?? 'sqlite';
    this.#handle = resolveDatabase(options, `SqliteSink "${this.name}"`);
    this.#logger = options.logger ?? silentLogger;
    this.#attempts = options.retry?.attempts ?? 4;
    this.#backoff = { initialMs: options.retry?.initialMs ?? 20, maxMs: options.retry?.maxMs ?? 1_000 };
  }

  /**
   * Upserts every record in one transaction and resolves once it is committed. Records refused for good
   * (a constraint, a bad identifier in the spec, a value that cannot be written, a missing table) are
   * returned in `rejected`, the rest are written. Rejects with a retriable coded error when the database
   * stays busy or fails to write after the internal retries, when closed, or when aborted; nothing of the
   * batch is then committed.
   */
  async write(records: readonly SinkRecord[], signal: AbortSignal): Promise<WriteResult> {
    this.#check(signal);
    if (records.length === 0) return {};
    const rejected: Rejection[] = [];
    const groups = new Map<UpsertStatement, Item[]>();
    records.forEach((record, index) => {
      try {
        const statement = this.#statement(record);
        const item = { index, key: keyOf(statement.plan.key, record.value), params: rowParams(statement, record.value) };
        const group = groups.get(statement);
        if (group === undefined) groups.set(statement, [item]);
        else group.push(item);
      } catch (error) {
        rejected.push({ index, error: fromSqliteError(error, { table: record.target, output: record.output }) });
      }
    });
    const ordered = [...groups].sort(([a], [b]) => (a.sql < b.sql ? -1 : a.sql > b.sql ? 1 : 0));
    for (const [, items] of ordered) items.sort((a, b) => compareKeys(a.key, b.key));
    for (let attempt = 1; ; attempt++) {
      this.#check(signal);
      try {
        rejected.push(...this.#transaction(ordered));
        this.#healthy = true;
        return rejected.length === 0 ? {} : { rejected: rejected.sort((a, b) => a.index - b.index) };
      } catch (caught) {
        const error = fromSqliteError(caught);
        this.#healthy = false;
        if (!error.retriable || attempt >= this.#attempts) throw error;
        this.#logger.warn({ err: error, attempt }, 'SQLite write failed; retrying the transaction');
        await sleep(backoffDelay(attempt - 1, this.#backoff), signal).catch((reason: unknown) => {
          throw sqliteError('EVR_ERR_SQLITE_ABORTED', `SqliteSink "${this.name}": write aborted while waiting to retry`, { cause: reason });
        });
      }
    }
  }

  /** Stops taking writes (a write runs to its end synchronously) and closes the database if the sink opened it. */
  close(_signal: AbortSignal): Promise<void> {
    this.#closed = true;
    releaseDatabase(this.#handle);
    return Promise.resolve();
  }

  /** False after a failed transaction until the next one succeeds, and after close. */
  healthy(): boolean {
    return !this.#closed && this.#healthy && this.#handle.db.isOpen;
  }

  /** Refuses a target this sink could never write (bad identifiers, an invalid spec): see `Sink.checkTarget`. */
  checkTarget(target: string, spec: OutputSpec): void {
    this.#statement({ output: 'check', spec, target, key: null, value: {}, headers: {} });
  }

  /** Runs one transaction; returns the rows refused for good. Throws (after rolling back) on a transient error. */
  #transaction(groups: ReadonlyArray<readonly [UpsertStatement, readonly Item[]]>): Rejection[] {
    const { db } = this.#handle;
    const refused: Rejection[] = [];
    db.exec('BEGIN IMMEDIATE');
    try {
      for (const [statement, items] of groups) {
        const table = statement.plan.target;
        let prepared: StatementSync;
        try {
          prepared = this.#prepare(statement);
        } catch (caught) {
          const error = fromSqliteError(caught, { table });
          if (errorScope(error) === 'transient') throw error;
          this.#logger.warn({ err: error, table, rows: items.length }, 'rows refused by SQLite for good');
          refused.push(...items.map((item) => ({ index: item.index, error: rowRejected(error, table) })));
          continue;
        }
        for (const item of items) {
          try {
            prepared.run(...item.params);
          } catch (caught) {
            const error = fromSqliteError(caught, { table });
            if (errorScope(error) === 'transient' || !db.isTransaction) throw error;
            this.#logger.warn({ err: error, table }, 'row refused by SQLite');
            refused.push({ index: item.index, error: rowRejected(error, table) });
          }
        }
      }
      db.exec('COMMIT');
      return refused;
    } catch (error) {
      if (db.isOpen && db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }

  #statement(record: SinkRecord): UpsertStatement {
    let byTarget = this.#statements.get(record.spec);
    if (byTarget === undefined) {
      byTarget = new Map();
      this.#statements.set(record.spec, byTarget);
    }
    let compiled = byTarget.get(record.target);
    if (compiled === undefined) {
      try {
        compiled = compileUpsert(record.target, record.spec);
      } catch (error) {
        compiled = fromSqliteError(error, { table: record.target, output: record.output });
        this.#logger.error({ err: compiled, output: record.output, table: record.target }, 'table output spec refused');
      }
      byTarget.set(record.target, compiled);
    }
    if (compiled instanceof Error) throw compiled;
    return compiled;
  }

  /** The prepared statement, made once; a failure (e.g. a missing table) is not cached. */
  #prepare(statement: UpsertStatement): StatementSync {
    let prepared = this.#prepared.get(statement);
    if (prepared === undefined) {
      prepared = this.#handle.db.prepare(statement.sql);
      this.#prepared.set(statement, prepared);
    }
    return prepared;
  }

  #check(signal: AbortSignal): void {
    if (this.#closed) throw sqliteError('EVR_ERR_SQLITE_CLOSED', `SqliteSink "${this.name}" is closed`);
    if (signal.aborted) throw sqliteError('EVR_ERR_SQLITE_ABORTED', `SqliteSink "${this.name}": write aborted`, { cause: signal.reason });
  }
}

function rowRejected(error: EvrouteError, table: string): EvrouteError {
  return sqliteError('EVR_ERR_SQLITE_ROW_REJECTED', `table "${table}" refused the row: ${error.message}`, {
    cause: error,
    context: { table, reason: error.code },
  });
}
