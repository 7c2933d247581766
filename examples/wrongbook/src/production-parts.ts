/**
 * Production mode's parts: a Kafka consumer group in, the seed's `routing_configs` table polled for
 * routes, the wide table and the dimension tables in MySQL/MariaDB, the side outputs on Kafka topics,
 * dead letters in a MySQL table or a Kafka topic.
 */
import type { DeadLetterSink } from '@evroute/core';
import { KafkaDeadLetterSink, KafkaSink, KafkaSource, type KafkaConnectionOptions } from '@evroute/kafka';
import { createMySqlPool, DEFAULT_MYSQL_BATCH_SIZE, describeConnection, MySqlConfigSource, MySqlDeadLetterSink, MySqlSink } from '@evroute/mysql';
import type { Logger } from 'pino';
import { mysqlDimensions } from './dimension-lookups.js';
import { sideTopics, type ModeParts } from './mode-parts.js';
import type { KafkaSettings, ProductionSettings } from './settings.js';

/** The connection part of the Kafka settings (without the source's topic, group and tuning). */
export function kafkaConnectionOf(settings: KafkaSettings): KafkaConnectionOptions {
  const { topic: _topic, groupId: _groupId, partitionsConsumedConcurrently: _p, commitIntervalMs: _c, fromBeginning: _f, ...connection } = settings;
  return connection;
}

/** Makes the production parts; the MySQL pools connect lazily and are closed by `close()`. */
export function productionParts(settings: ProductionSettings, logger: Logger): ModeParts {
  const { topic, groupId, partitionsConsumedConcurrently, commitIntervalMs, fromBeginning } = settings.kafka;
  const kafka = { ...kafkaConnectionOf(settings.kafka), logger: logger.child({ component: 'kafka' }) };
  const pool = createMySqlPool(settings.mysql);
  // One pool when the routing table lives in the business database, as in most deployments.
  const sameDatabase = describeConnection(settings.routing.connection) === describeConnection(settings.mysql);
  const routingPool = sameDatabase ? pool : createMySqlPool({ ...settings.routing.connection, connectionLimit: 1 });
  const topics = sideTopics(settings.outputTopics);
  const deadLetter: DeadLetterSink =
    settings.deadLetter.type === 'mysql'
      ? new MySqlDeadLetterSink({ pool, table: settings.deadLetter.table, createTable: true, logger: logger.child({ component: 'dead-letter' }) })
      : new KafkaDeadLetterSink({ ...kafka, topic: settings.deadLetter.topic });
  return {
    source: new KafkaSource({
      ...kafka,
      groupId,
      topics: [topic],
      fromBeginning: fromBeginning ?? true,
      ...(partitionsConsumedConcurrently === undefined ? {} : { partitionsConsumedConcurrently }),
      ...(commitIntervalMs === undefined ? {} : { commitIntervalMs }),
    }),
    config: new MySqlConfigSource({ pool: routingPool, table: settings.routing.table, intervalMs: settings.routing.intervalMs, logger: logger.child({ component: 'routing-configs' }) }),
    sinks: { db: new MySqlSink({ pool, logger: logger.child({ component: 'mysql-sink' }) }), kafka: new KafkaSink(kafka) },
    sideOutputs: {
      wrong_answers: { sink: 'kafka', target: topics.wrong_answers },
      fix_metrics: { sink: 'kafka', target: topics.fix_metrics },
      audit: { sink: 'kafka', target: topics.audit },
    },
    deadLetter,
    dimensions: mysqlDimensions(pool),
    tableBatchSize: DEFAULT_MYSQL_BATCH_SIZE,
    async close(): Promise<void> {
      await pool.end();
      if (routingPool !== pool) await routingPool.end();
    },
  };
}
