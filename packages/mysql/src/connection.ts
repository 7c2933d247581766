/**
 * Connection options shared by every MySQL component, and the pool they make from them. A component is
 * given either a `pool` to share (the caller closes it) or `connection` options (the component makes a
 * pool, owns it and closes it in `close()`).
 */
import { createPool, type Pool, type PoolOptions } from 'mysql2/promise';
import { mysqlError } from './errors.js';
import { parseJdbcUrl, redactUrl } from './jdbc-url.js';

/** Where and how to connect. Fields given here win over the URL; `driver` wins over everything. */
export interface MySqlConnectionOptions {
  /** `mysql://user:pass@host:3306/db`, `mariadb://…` or the seed's `jdbc:mysql://host:3306/db?…`. */
  readonly url?: string;
  readonly host?: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  /** Pool size; default 4 (small on purpose: 1–2 in-flight batches per worker, see docs). */
  readonly connectionLimit?: number;
  /** Callers that may wait for a connection; beyond it a call fails with a retriable `EVR_ERR_MYSQL_BUSY`. Default 64. */
  readonly queueLimit?: number;
  /** Any other mysql2 pool option (ssl, charset, …). */
  readonly driver?: PoolOptions;
}

/** Pool defaults: small, bounded queue, UTC dates, big integers as strings only when unsafe as numbers. */
export const DEFAULT_POOL_OPTIONS = Object.freeze({
  connectionLimit: 4,
  queueLimit: 64,
  waitForConnections: true,
  connectTimeout: 5_000,
  enableKeepAlive: true,
  timezone: 'Z',
  supportBigNumbers: true,
  bigNumberStrings: false,
  multipleStatements: false,
} satisfies PoolOptions);

/** The mysql2 pool options for `options` (defaults, then URL, then explicit fields, then `driver`). */
export function toPoolOptions(options: MySqlConnectionOptions): PoolOptions {
  const fromUrl = options.url === undefined ? undefined : parseJdbcUrl(options.url);
  const merged: PoolOptions = {
    ...DEFAULT_POOL_OPTIONS,
    ...(fromUrl === undefined
      ? {}
      : {
          host: fromUrl.host,
          port: fromUrl.port,
          ...(fromUrl.database === undefined ? {} : { database: fromUrl.database }),
          ...(fromUrl.user === undefined ? {} : { user: fromUrl.user }),
          ...(fromUrl.password === undefined ? {} : { password: fromUrl.password }),
          ...(fromUrl.ssl === undefined ? {} : { ssl: fromUrl.ssl }),
          ...(fromUrl.connectTimeout === undefined ? {} : { connectTimeout: fromUrl.connectTimeout }),
        }),
  };
  for (const field of ['host', 'port', 'user', 'password', 'database', 'connectionLimit', 'queueLimit'] as const) {
    const value = options[field];
    if (value !== undefined) (merged as Record<string, unknown>)[field] = value;
  }
  const result: PoolOptions = { ...merged, ...options.driver };
  if (result.host === undefined && result.socketPath === undefined) {
    throw mysqlError('EVR_ERR_MYSQL_OPTIONS', 'connection options need `url`, `host` or `driver.socketPath`');
  }
  return result;
}

/** Makes a mysql2 promise pool from `options`; see {@link DEFAULT_POOL_OPTIONS}. Connects lazily. */
export function createMySqlPool(options: MySqlConnectionOptions): Pool {
  return createPool(toPoolOptions(options));
}

/** `user@host:port/database` for logs: never the password. */
export function describeConnection(options: MySqlConnectionOptions): string {
  if (options.url !== undefined && options.host === undefined) return redactUrl(options.url);
  const user = options.user ?? options.driver?.user;
  const host = options.host ?? options.driver?.host ?? 'localhost';
  const port = options.port ?? options.driver?.port ?? 3306;
  const database = options.database ?? options.driver?.database;
  return `${user === undefined ? '' : `${user}@`}${host}:${port}${database === undefined ? '' : `/${database}`}`;
}

/** The pool a component uses, and whether it must close it. */
export interface PoolHandle {
  readonly pool: Pool;
  readonly owned: boolean;
}

/**
 * Picks the shared `pool` or makes one from `connection`. Exactly one must be given, else
 * `EVR_ERR_MYSQL_OPTIONS` naming `component`.
 */
export function resolvePool(options: { readonly pool?: Pool | undefined; readonly connection?: MySqlConnectionOptions | undefined }, component: string): PoolHandle {
  if (options.pool !== undefined && options.connection !== undefined) {
    throw mysqlError('EVR_ERR_MYSQL_OPTIONS', `${component}: give either \`pool\` or \`connection\`, not both`);
  }
  if (options.pool !== undefined) return { pool: options.pool, owned: false };
  if (options.connection !== undefined) return { pool: createMySqlPool(options.connection), owned: true };
  throw mysqlError('EVR_ERR_MYSQL_OPTIONS', `${component}: needs \`pool\` (a mysql2/promise pool to share) or \`connection\` options`);
}

/**
 * Whether the server's session SQL mode has `NO_BACKSLASH_ESCAPES` (then quotes in strings must be
 * escaped by doubling, not with backslashes). Read once by each writer before it escapes values.
 */
export async function readNoBackslashEscapes(pool: Pool, timeoutMs: number): Promise<boolean> {
  const [rows] = await pool.query({ sql: 'SELECT @@SESSION.sql_mode AS mode', timeout: timeoutMs });
  const mode = (rows as Array<{ mode?: unknown }>)[0]?.mode;
  return typeof mode === 'string' && mode.includes('NO_BACKSLASH_ESCAPES');
}

/** The time zone the pool was made with (mysql2 keeps it in the core pool's connection config). */
export function poolTimezone(pool: Pool): string {
  const config = (pool as unknown as { pool?: { config?: { connectionConfig?: { timezone?: unknown } } } }).pool?.config;
  const timezone = config?.connectionConfig?.timezone;
  return typeof timezone === 'string' ? timezone : 'local';
}
