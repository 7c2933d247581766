/**
 * `@evroute/mysql`: MySQL/MariaDB adapters for evroute — the live routing table (`MySqlConfigSource`),
 * the wide-table upsert sink with merge policies (`MySqlSink`), cached dimension lookups, a dead-letter
 * table, migrations, and connection helpers (including the seed's `jdbc:mysql://` URLs).
 */
export { MySqlSink, DEFAULT_MYSQL_BATCH_SIZE, DEFAULT_MYSQL_LINGER_MS, type MySqlSinkOptions } from './mysql-sink.js';
export { MySqlConfigSource, DEFAULT_CONFIG_POLL_INTERVAL_MS, type MySqlConfigSourceOptions } from './mysql-config-source.js';
export { MySqlDimensionLookup, MySqlDimensionListLookup, type MySqlDimensionLookupOptions } from './dimension-lookup.js';
export type {
  DimensionKey,
  DimensionListLookup,
  DimensionLookup,
  DimensionLookupMetrics,
  DimensionLookupStats,
  DimensionRow,
} from '@evroute/sql-common';
export {
  MySqlDeadLetterSink,
  DEFAULT_DEAD_LETTER_TABLE,
  deadLetterTableDdl,
  type MySqlDeadLetterSinkOptions,
} from './mysql-dead-letter-sink.js';
export {
  migrate,
  readMigration,
  splitSqlStatements,
  MIGRATIONS,
  type MigrateOptions,
  type MigrateResult,
  type MigrationGroup,
} from './migrate.js';
export {
  createMySqlPool,
  describeConnection,
  toPoolOptions,
  DEFAULT_POOL_OPTIONS,
  type MySqlConnectionOptions,
} from './connection.js';
export { parseJdbcUrl, redactUrl, type ParsedMySqlUrl } from './jdbc-url.js';
export { compileUpsert, mergeExpression, quoteId, type UpsertStatement } from './upsert-statement.js';
export {
  mysqlErrors,
  mysqlError,
  classifyMySqlError,
  fromDriverError,
  type MySqlErrorCode,
  type MySqlErrorScope,
} from './errors.js';
export { silentLogger, type Logger } from './logger.js';
export { evrouteAdapters, type MySqlAdapters } from './adapters.js';
