/**
 * The native settings of the wrongbook application, for both modes. `main.ts` makes them from command-line
 * flags (embedded) or from the seed's `application.properties` (production, see `seed-properties.ts`);
 * a host embedding the example builds them in code. Everything is plain data except the logger and the
 * progress callback.
 */
import type { FaultIsolationOptions, TrustOptions } from '@evroute/core';
import type { KafkaConnectionOptions } from '@evroute/kafka';
import type { MySqlConnectionOptions } from '@evroute/mysql';
import type { DEFAULT_OUTPUT_TARGETS } from '@evroute/wrongbook';
import type { Logger } from 'pino';

/** Where the router's plugins come from. */
export interface PluginSettings {
  /**
   * Register the three wrongbook plugins imported from their packages (`@evroute/plugin-wrongbook-*`).
   * Production mode with hot deployment turns this off: every plugin then comes from the folder.
   */
  readonly builtIn: boolean;
  /** Hot deployment: a `PluginLoader` watching this folder for plugin bundles (`evroute plugin pack`). */
  readonly hotDeploy?: HotDeploySettings;
}

/** The plugin folder and who may drop bundles into it. */
export interface HotDeploySettings {
  /** The watched folder (created if missing). */
  readonly dir: string;
  /** `require-signature` in production; `hash-only` or `dev` only for folders nobody else can write to. */
  readonly trust: TrustOptions;
  /** Also look at the whole folder this often, ms, for filesystems whose change events are unreliable. */
  readonly rescanIntervalMs?: number;
}

/** The side outputs' Kafka topics (embedded mode: file names); default `DEFAULT_OUTPUT_TARGETS`. */
export type OutputTopics = Partial<Record<Exclude<keyof typeof DEFAULT_OUTPUT_TARGETS, 'wide_table'>, string>>;

/** What both modes share. */
export interface CommonSettings {
  /** Where the plugins come from: their packages, a watched folder, or both. */
  readonly plugins: PluginSettings;
  /** Router-wide fault isolation (the seed's `fault.isolation.*`); routes override it in `config_json`. */
  readonly faultIsolation?: FaultIsolationOptions;
  /** How long `stop()` drains, ms (the seed's `flink.checkpoint.timeout`); default the router's 30 000. */
  readonly stopTimeoutMs?: number;
  /** Topics of the side outputs (embedded: their file names); default the spec's. */
  readonly outputTopics?: OutputTopics;
  /** Default: pino at `info` on stderr. */
  readonly logger?: Logger;
}

/** Embedded mode: no servers. SQLite, a JSON routing file, events from a JSONL file. */
export interface EmbeddedSettings extends CommonSettings {
  readonly mode: 'embedded';
  /** The SQLite file holding the wide table, the dimension tables and the dead letters (see `setupSqlite`). */
  readonly database: string;
  /** The routing table, watched: rows in the seed's column names (`routing.json`). */
  readonly routingFile: string;
  /** The events, one JSON envelope per line. */
  readonly eventsFile: string;
  /** Where the side outputs go, one JSONL file per topic (`wrongbook-metrics.jsonl`, ...). */
  readonly outputsDir: string;
  /** Replay the file at most this many events per second, like a live stream; default as fast as possible. */
  readonly rate?: number;
}

/** Production mode: Kafka in, MySQL routing table, dimension tables and wide table, Kafka side outputs. */
export interface ProductionSettings extends CommonSettings {
  readonly mode: 'production';
  /** The source, and the connection of the side outputs' Kafka sink. */
  readonly kafka: KafkaSettings;
  /** The business database: wide table, dimension tables and (by default) the dead-letter table. */
  readonly mysql: MySqlConnectionOptions;
  readonly routing: RoutingSettings;
  /** Where dead letters go: a table in the business database (`evroute_dead_letter`) or a Kafka topic. */
  readonly deadLetter: { readonly type: 'mysql'; readonly table: string } | { readonly type: 'kafka'; readonly topic: string };
  /** Log a line of router counters this often, ms (the seed's `metrics.reporter.interval`); none when absent. */
  readonly statsIntervalMs?: number;
}

/** The Kafka source (and the connection the side outputs and a Kafka dead-letter topic use). */
export interface KafkaSettings extends KafkaConnectionOptions {
  /** Default `wrongbook-events` (the guide's `<domain>-events`). */
  readonly topic: string;
  /** The consumer group; instances with the same group share the partitions. */
  readonly groupId: string;
  /** Partitions handled at once (the seed's `flink.parallelism`). */
  readonly partitionsConsumedConcurrently?: number;
  /** How often acknowledged offsets are committed, ms (the seed's `flink.checkpoint.interval`). */
  readonly commitIntervalMs?: number;
  /** Where a group with no committed offset starts; default true (the earliest record). */
  readonly fromBeginning?: boolean;
}

/** The `routing_configs` table. */
export interface RoutingSettings {
  readonly connection: MySqlConnectionOptions;
  /** Default `routing_configs`. */
  readonly table: string;
  /** Poll interval, ms (the seed's `routing.config.refresh.interval`, 30 000). */
  readonly intervalMs: number;
}

/** Either mode. */
export type WrongbookSettings = EmbeddedSettings | ProductionSettings;
