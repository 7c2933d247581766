/**
 * `MySqlSink`: writes table outputs to MySQL/MariaDB wide tables with multi-row `INSERT … ON DUPLICATE
 * KEY UPDATE`, the merge rules of each output rendered into the SQL (see `upsert-statement.ts`), so that
 * rows merge the same way in any arrival order, with duplicates and under concurrent writers.
 *
 * `write` writes exactly the records it is given and resolves only after every row is committed (or
 * refused for good and returned in `rejected`); the pipeline acknowledges events only then.
 */
import { backoffDelay, sleep, type EvrouteError, type OutputSpec, type Sink, type SinkRecord, type WriteResult } from '@evroute/core';
import type { Pool } from 'mysql2/promise';
import { poolTimezone, readNoBackslashEscapes, resolvePool, type MySqlConnectionOptions, type PoolHandle } from './connection.js';
import { asTransient, errorScope, fromDriverError, mysqlError, rowRejected } from './errors.js';
import { silentLogger, type Logger } from './logger.js';
import { compareKeys, keyOf } from '@evroute/sql-common';
import { compileUpsert, renderTuple, type UpsertStatement, type ValueFormat } from './upsert-statement.js';

/**
 * Rows per batch the pipeline should hand to `write` (`RouterOptions.batchSizes`), from the measured
 * batch-size curve (packages/mysql/bench, docs/reference/mysql.md "Batch size"): 1000 rows reach
 * 96 % of the 5000-row throughput locally and 71–79 % over 1 ms of round trip (where 100-row batches
 * reach 53–64 % of 1000's), at a fifth of the memory, lock footprint and latency per batch of 5000.
 */
export const DEFAULT_MYSQL_BATCH_SIZE = 1000;

/** How long the pipeline should wait to fill a batch before writing a partial one, in ms. */
export const DEFAULT_MYSQL_LINGER_MS = 50;

/** Options of {@link MySqlSink}. Give `pool` (shared) or `connection` (the sink owns its pool). */
export interface MySqlSinkOptions {
  /** Name for logs and bindings; default `mysql`. */
  readonly name?: string;
  readonly pool?: Pool;
  readonly connection?: MySqlConnectionOptions;
  /** Most rows in one INSERT statement; a larger batch is split. Default {@link DEFAULT_MYSQL_BATCH_SIZE}. */
  readonly maxRowsPerStatement?: number;
  /** Most bytes of one statement (keep it below the server's max_allowed_packet). Default 4 MiB. */
  readonly maxStatementBytes?: number;
  /** Internal retries of a statement on deadlock, lock wait or a lost connection before `write` rejects. */
  readonly retry?: { readonly attempts?: number; readonly initialMs?: number; readonly maxMs?: number };
  /** Per-statement timeout in ms; the connection is dropped when it fires. Default 30 000. */
  readonly queryTimeoutMs?: number;
  /** Time zone Dates are written in (mysql2 syntax: 'Z', 'local', '+08:00'). Default: the pool's, else 'Z'. */
  readonly timezone?: string;
  readonly logger?: Logger;
}

interface Item {
  readonly index: number;
  readonly key: readonly unknown[];
  readonly tuple: string;
}

type Rejection = { readonly index: number; readonly error: EvrouteError };

/** A `Sink` for table outputs on MySQL or MariaDB. */
export class MySqlSink implements Sink {
  readonly name: string;
  /** Batching hint for the pipeline: records per `write` and linger before a partial batch. */
  readonly batching: { readonly maxRecords: number; readonly lingerMs: number };
  readonly #handle: PoolHandle;
  readonly #logger: Logger;
  readonly #maxRows: number;
  readonly #maxBytes: number;
  readonly #attempts: number;
  readonly #backoff: { readonly initialMs: number; readonly maxMs: number };
  readonly #timeoutMs: number;
  readonly #timezone: string | undefined;
  readonly #statements = new WeakMap<OutputSpec, Map<string, UpsertStatement | EvrouteError>>();
  readonly #inflight = new Set<Promise<unknown>>();
  #format: Promise<ValueFormat> | undefined;
  #closed = false;
  #healthy = true;

  constructor(options: MySqlSinkOptions) {
    this.name = options.name ?? 'mysql';
    this.#handle = resolvePool(options, `MySqlSink "${this.name}"`);
    this.#logger = options.logger ?? silentLogger;
    this.#maxRows = positive(options.maxRowsPerStatement ?? DEFAULT_MYSQL_BATCH_SIZE, 'maxRowsPerStatement');
    this.#maxBytes = positive(options.maxStatementBytes ?? 4 * 1024 * 1024, 'maxStatementBytes');
    this.#attempts = positive(options.retry?.attempts ?? 4, 'retry.attempts');
    this.#backoff = { initialMs: options.retry?.initialMs ?? 50, maxMs: options.retry?.maxMs ?? 1_000 };
    this.#timeoutMs = positive(options.queryTimeoutMs ?? 30_000, 'queryTimeoutMs');
    this.#timezone = options.timezone;
    this.batching = { maxRecords: this.#maxRows, lingerMs: DEFAULT_MYSQL_LINGER_MS };
  }

  /** Checks the server is reachable and reads its SQL mode. Rejects with a retriable coded error when not. */
  async start(signal: AbortSignal): Promise<void> {
    this.#checkOpen(signal);
    await this.#valueFormat();
  }

  /**
   * Upserts every record (grouped by target table and output spec, sorted by key) and resolves once
   * all are committed. Records refused for good (a value too long for its column, a bad identifier in
   * the spec, a value that cannot be written) are returned in `rejected`, the rest are written. Rejects
   * with a retriable coded error (deadlock, lock wait, lost connection after the internal retries, close,
   * abort): rows written before are idempotent to write again.
   */
  write(records: readonly SinkRecord[], signal: AbortSignal): Promise<WriteResult> {
    const work = this.#write(records, signal);
    this.#inflight.add(work);
    const forget = (): void => {
      this.#inflight.delete(work);
    };
    work.then(forget, forget);
    return work;
  }

  /** Waits for writes in flight (until `signal` aborts), then closes the pool if the sink made it. */
  async close(signal: AbortSignal): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#inflight.size > 0) {
      await Promise.race([
        Promise.allSettled(this.#inflight),
        new Promise<void>((resolve) => {
          if (signal.aborted) resolve();
          signal.addEventListener('abort', () => resolve(), { once: true });
        }),
      ]);
    }
    if (this.#handle.owned) await this.#handle.pool.end();
  }

  /** False after a failed statement until the next one succeeds, and after close. */
  healthy(): boolean {
    return !this.#closed && this.#healthy;
  }

  async #write(records: readonly SinkRecord[], signal: AbortSignal): Promise<WriteResult> {
    this.#checkOpen(signal);
    if (records.length === 0) return {};
    const format = await this.#valueFormat().catch((error: unknown) => {
      throw asTransient(error); // no connection yet: retry later, never dead-letter the batch for it
    });
    const rejected: Rejection[] = [];
    const groups = new Map<UpsertStatement, Item[]>();
    records.forEach((record, index) => {
      try {
        const statement = this.#statement(record);
        const item = { index, key: keyOf(statement.plan.key, record.value), tuple: renderTuple(statement, record.value, format) };
        const group = groups.get(statement);
        if (group === undefined) groups.set(statement, [item]);
        else group.push(item);
      } catch (error) {
        rejected.push({ index, error: fromDriverError(error, { table: record.target, output: record.output }) });
      }
    });
    const ordered = [...groups].sort(([a], [b]) => (a.head < b.head ? -1 : a.head > b.head ? 1 : a.tail < b.tail ? -1 : 1));
    for (const [statement, items] of ordered) {
      items.sort((a, b) => compareKeys(a.key, b.key)); // stable: equal keys keep their arrival order
      for (const chunk of this.#chunks(statement, items)) {
        rejected.push(...(await this.#runChunk(statement, chunk, signal)));
      }
    }
    return rejected.length === 0 ? {} : { rejected: rejected.sort((a, b) => a.index - b.index) };
  }

  /** Refuses a target this sink could never write (bad identifiers, an invalid spec): see `Sink.checkTarget`. */
  checkTarget(target: string, spec: OutputSpec): void {
    this.#statement({ output: 'check', spec, target, key: null, value: {}, headers: {} });
  }

  /** The compiled statement of a record's (spec, target), cached; a compile error is cached too. */
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
        compiled = fromDriverError(error, { table: record.target, output: record.output });
        this.#logger.error({ err: compiled, output: record.output, table: record.target }, 'table output spec refused');
      }
      byTarget.set(record.target, compiled);
    }
    if (compiled instanceof Error) throw compiled;
    return compiled;
  }

  #chunks(statement: UpsertStatement, items: readonly Item[]): Item[][] {
    const fixed = Buffer.byteLength(statement.head) + Buffer.byteLength(statement.tail);
    const chunks: Item[][] = [];
    let current: Item[] = [];
    let bytes = fixed;
    for (const item of items) {
      const size = Buffer.byteLength(item.tuple) + 2;
      if (current.length > 0 && (current.length >= this.#maxRows || bytes + size > this.#maxBytes)) {
        chunks.push(current);
        current = [];
        bytes = fixed;
      }
      current.push(item);
      bytes += size;
    }
    if (current.length > 0) chunks.push(current);
    return chunks;
  }

  /**
   * Runs one statement with internal retries for transient errors. A row-scoped permanent error splits
   * the chunk in halves until the bad rows are alone (the good ones are written); a statement-scoped
   * one refuses every row of the chunk.
   */
  async #runChunk(statement: UpsertStatement, items: readonly Item[], signal: AbortSignal): Promise<Rejection[]> {
    const table = statement.plan.target;
    for (let attempt = 1; ; attempt++) {
      this.#checkSignal(signal);
      try {
        await this.#execute(statement, items);
        this.#healthy = true;
        return [];
      } catch (caught) {
        const error = fromDriverError(caught, { table });
        const scope = errorScope(error);
        if (scope === 'row' && items.length > 1) {
          const middle = items.length >> 1;
          const left = await this.#runChunk(statement, items.slice(0, middle), signal);
          return [...left, ...(await this.#runChunk(statement, items.slice(middle), signal))];
        }
        if (scope === 'row' || scope === 'statement') {
          this.#logger.warn({ err: error, table, rows: items.length }, 'rows refused by the server for good');
          return items.map((item) => ({ index: item.index, error: rowRejected(error, table) }));
        }
        this.#healthy = false;
        if (attempt >= this.#attempts) throw error;
        this.#logger.warn({ err: error, table, attempt }, 'transient MySQL error; retrying the statement');
        try {
          await sleep(backoffDelay(attempt - 1, this.#backoff), signal);
        } catch {
          throw mysqlError('EVR_ERR_MYSQL_ABORTED', `write to "${table}" aborted while waiting to retry`, { cause: error });
        }
      }
    }
  }

  async #execute(statement: UpsertStatement, items: readonly Item[]): Promise<void> {
    const sql = statement.head + items.map((item) => item.tuple).join(', ') + statement.tail;
    const connection = await this.#handle.pool.getConnection().catch((error: unknown) => {
      throw asTransient(error); // e.g. a wrong password after a rotation: the rows are not at fault
    });
    let broken = false;
    try {
      await connection.query({ sql, timeout: this.#timeoutMs });
    } catch (error) {
      const { code } = fromDriverError(error);
      broken = code === 'EVR_ERR_MYSQL_TIMEOUT' || code === 'EVR_ERR_MYSQL_CONNECTION';
      throw error;
    } finally {
      if (broken) connection.destroy();
      else connection.release();
    }
  }

  /** The escaping settings, read once from the server (NO_BACKSLASH_ESCAPES) and the pool (time zone). */
  #valueFormat(): Promise<ValueFormat> {
    this.#format ??= (async () => {
      try {
        const noBackslashEscapes = await readNoBackslashEscapes(this.#handle.pool, this.#timeoutMs);
        return { timezone: this.#timezone ?? poolTimezone(this.#handle.pool), noBackslashEscapes };
      } catch (error) {
        this.#format = undefined;
        this.#healthy = false;
        throw fromDriverError(error);
      }
    })();
    return this.#format;
  }

  /** Refuses new work after close (work already in flight finishes: close waits for it). */
  #checkOpen(signal: AbortSignal): void {
    if (this.#closed) throw mysqlError('EVR_ERR_MYSQL_CLOSED', `MySqlSink "${this.name}" is closed`);
    this.#checkSignal(signal);
  }

  #checkSignal(signal: AbortSignal): void {
    if (signal.aborted) throw mysqlError('EVR_ERR_MYSQL_ABORTED', `MySqlSink "${this.name}": write aborted`, { cause: signal.reason });
  }
}

function positive(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw mysqlError('EVR_ERR_MYSQL_OPTIONS', `${what} must be a positive integer, got ${value}`);
  return value;
}
