// The public API of @evroute/example-wrongbook: the wrongbook application's building blocks, for its
// tests and for hosts that embed the pipeline. Run it with `node dist/main.js` (see docs/guides/wrongbook.md).
export { buildWrongbookRouter, type WrongbookApp } from './app.js';
export type {
  CommonSettings,
  EmbeddedSettings,
  HotDeploySettings,
  KafkaSettings,
  OutputTopics,
  PluginSettings,
  ProductionSettings,
  RoutingSettings,
  WrongbookSettings,
} from './settings.js';
export { setupMysql, setupProduction, setupSqlite, SOURCE_TOPIC_PARTITIONS, type SetupResult } from './setup.js';
export { kafkaConnectionOf } from './production-parts.js';
export { mysqlDimensions, sqliteDimensions } from './dimension-lookups.js';
export { PacedSource } from './paced-source.js';
export { parseProperties, parsePropertyEntries, type PropertyEntry } from './properties-file.js';
export { EVROUTE_KEYS, loadSeedProperties, readSeedProperties, SEED_DEFAULTS, SEED_KEYS, type MappedKey, type SeedProperties, type SeedPropertiesOptions } from './seed-properties.js';
export { renderDimensionSql, renderMysqlTablesSql, SAMPLE_DATA_OPTIONS, sampleDimensionData } from './sample-sql.js';
export { APPLICATION_PROPERTIES, DIMENSION_DATA_SQL, EXAMPLE_ROOT, exampleFile, FIX_PLUGIN_NEXT, ROUTING_CONFIGS_SQL, ROUTING_FILE } from './example-files.js';
