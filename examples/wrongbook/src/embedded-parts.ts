/**
 * Embedded mode's parts: no servers. Events from a JSONL file (optionally replayed at a steady rate),
 * routes from a watched JSON file, the wide table, the dimension tables and the dead letters in one
 * SQLite file, and each side output in a JSONL file named after its topic.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { JsonFileConfigSource, JsonlFileSink, JsonlFileSource, type Sink } from '@evroute/core';
import { DEFAULT_SQLITE_BATCH_SIZE, openSqliteDatabase, SqliteDeadLetterSink, SqliteSink } from '@evroute/sqlite';
import type { Logger } from 'pino';
import { sqliteDimensions } from './dimension-lookups.js';
import { sideTopics, type ModeParts, type SideOutput } from './mode-parts.js';
import { PacedSource } from './paced-source.js';
import type { EmbeddedSettings } from './settings.js';

/** Opens the SQLite file (set up by `setupSqlite`) and makes the embedded parts over it. */
export function embeddedParts(settings: EmbeddedSettings, logger: Logger): ModeParts {
  const database = openSqliteDatabase(settings.database, { synchronous: 'NORMAL' });
  const events = new JsonlFileSource({ path: settings.eventsFile });
  mkdirSync(settings.outputsDir, { recursive: true });
  const topics = sideTopics(settings.outputTopics);
  // One file sink per topic, named after it: wrongbook-metrics.jsonl holds what Kafka's topic would.
  const topicSinks: Record<string, Sink> = {};
  const sideOutputs = {} as Record<SideOutput, { sink: string; target: string }>;
  for (const [output, topic] of Object.entries(topics) as [SideOutput, string][]) {
    topicSinks[topic] ??= new JsonlFileSink({ path: join(settings.outputsDir, `${topic}.jsonl`) });
    sideOutputs[output] = { sink: topic, target: topic };
  }
  return {
    source: settings.rate === undefined ? events : new PacedSource(events, settings.rate),
    config: new JsonFileConfigSource({ path: settings.routingFile, watch: true }),
    sinks: { db: new SqliteSink({ database, logger: logger.child({ component: 'sqlite-sink' }) }), ...topicSinks },
    sideOutputs,
    deadLetter: new SqliteDeadLetterSink({ database }),
    dimensions: sqliteDimensions(database),
    tableBatchSize: DEFAULT_SQLITE_BATCH_SIZE,
    close(): Promise<void> {
      if (database.isOpen) database.close();
      return Promise.resolve();
    },
  };
}
