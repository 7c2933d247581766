/**
 * `@evroute/sqlite`: the embedded default for evroute on `node:sqlite`, with the MySQL adapters'
 * contracts — a routing table (`SqliteConfigSource`), a table sink with the same merge policies
 * (`SqliteSink`), cached dimension lookups, a dead-letter table and migrations. No server needed.
 */
export { SqliteSink, DEFAULT_SQLITE_BATCH_SIZE, type SqliteSinkOptions } from './sqlite-sink.js';
export { SqliteConfigSource, type SqliteConfigSourceOptions } from './sqlite-config-source.js';
export { SqliteDimensionLookup, SqliteDimensionListLookup, type SqliteDimensionLookupOptions } from './dimension-lookup.js';
export type {
  DimensionKey,
  DimensionListLookup,
  DimensionLookup,
  DimensionLookupMetrics,
  DimensionLookupStats,
  DimensionRow,
} from '@evroute/sql-common';
export {
  SqliteDeadLetterSink,
  DEFAULT_DEAD_LETTER_TABLE,
  deadLetterTableDdl,
  type SqliteDeadLetterSinkOptions,
} from './sqlite-dead-letter-sink.js';
export { migrate, readMigration, MIGRATIONS, type MigrateOptions, type MigrateResult, type MigrationGroup } from './migrate.js';
export { openSqliteDatabase, type SqliteDatabaseOptions } from './database.js';
export { compileUpsert, mergeExpression, quoteId, type UpsertStatement } from './upsert-statement.js';
export {
  sqliteErrors,
  sqliteError,
  classifySqliteError,
  fromSqliteError,
  type SqliteErrorCode,
  type SqliteErrorScope,
} from './errors.js';
export { silentLogger, type Logger } from './logger.js';
export { evrouteAdapters, type SqliteAdapters } from './adapters.js';
