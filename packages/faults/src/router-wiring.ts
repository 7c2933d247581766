/**
 * The router a fault run tests, built from the packages the way an application builds it: a
 * `KafkaSource` → `createRouter` with the three wrongbook plugins → `MySqlSink` into the wide table,
 * dead letters into `MySqlDeadLetterSink`, routes from `MySqlConfigSource` over `routing_configs`.
 * No dimension service is registered: the plugins write without enrichment, and the oracle models the
 * same (it keeps the suite fast and leaves the lookups to their own tests).
 *
 * Optional parts: a `PluginLoader` on a watched folder (require-signature) and the admin server.
 */
import { createRouter, PluginLoader, type Router } from '@evroute/core';
import { createAdmin, type Admin } from '@evroute/admin';
import { KafkaSource } from '@evroute/kafka';
import { DEFAULT_MYSQL_BATCH_SIZE, MySqlConfigSource, MySqlDeadLetterSink, MySqlSink } from '@evroute/mysql';
import addPlugin from '@evroute/plugin-wrongbook-add';
import deletePlugin from '@evroute/plugin-wrongbook-delete';
import fixPlugin from '@evroute/plugin-wrongbook-fix';
import { WIDE_TABLE } from '@evroute/wrongbook';
import type { Logger } from 'pino';
import type { ChildGates } from './child-gates.js';
import { gatedClientFactory } from './gated-kafka-client.js';
import type { RouterProcessConfig } from './ipc.js';
import { GatedSink, ObservedSource } from './observed-parts.js';
import type { OrderTracker } from './order-tracker.js';

/** The table the fault-probe plugins of the plugin faults write to (see `probe-bundles.ts`). */
export const PROBE_TABLE = 'fault_probe';

/** A built router process: the router and what runs beside it. */
export interface WiredRouter {
  readonly router: Router;
  readonly loader: PluginLoader | undefined;
  readonly admin: Admin | undefined;
}

/** Builds the router of one process (nothing is started). */
export function wireRouter(config: RouterProcessConfig, logger: Logger, gates: ChildGates, order: OrderTracker): WiredRouter {
  const connection = { url: config.mysqlUrl };
  const kafka = new KafkaSource({
    brokers: config.brokers,
    ...(config.sasl === undefined ? {} : { sasl: config.sasl }),
    groupId: config.groupId,
    topics: [config.topic],
    fromBeginning: true,
    commitIntervalMs: config.commitIntervalMs,
    sessionTimeoutMs: config.sessionTimeoutMs,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    rebalanceTimeoutMs: config.rebalanceTimeoutMs,
    maxWaitTimeMs: 200,
    connectionTimeoutMs: 3_000,
    requestTimeoutMs: 10_000,
    logger: logger.child({ component: 'kafka-source' }),
    clientFactory: gatedClientFactory(gates, order),
  });
  const sink = new MySqlSink({ name: 'mysql', connection, logger: logger.child({ component: 'mysql-sink' }), queryTimeoutMs: 10_000 });
  const router = createRouter({
    source: new ObservedSource(kafka, order),
    config: new MySqlConfigSource({ connection, intervalMs: config.configIntervalMs, backoff: { initialMs: 200, maxMs: 2_000 }, logger: logger.child({ component: 'config-source' }) }),
    plugins: [addPlugin, fixPlugin, deletePlugin],
    sinks: { mysql: new GatedSink(sink, gates, order, config.sabotage) },
    outputs: { wide_table: { sink: 'mysql', target: WIDE_TABLE }, probe: { sink: 'mysql', target: PROBE_TABLE } },
    deadLetter: new MySqlDeadLetterSink({ connection, logger: logger.child({ component: 'dead-letter' }) }),
    logger,
    batchSizes: { mysql: DEFAULT_MYSQL_BATCH_SIZE },
    maxEventBytes: config.maxEventBytes,
    stopTimeoutMs: 10_000,
  });
  const loader =
    config.plugins === undefined
      ? undefined
      : new PluginLoader({
          dir: config.plugins.dir,
          registry: router.registry,
          trust: { policy: 'require-signature', publicKeys: [config.plugins.publicKey] },
          logger: logger.child({ component: 'plugin-loader' }),
          settleMs: 1_000,
          worker: { resourceLimits: { maxOldGenerationSizeMb: config.plugins.workerMaxOldMb }, batchTimeoutMs: config.plugins.workerBatchTimeoutMs },
        });
  const admin =
    config.admin === undefined
      ? undefined
      : createAdmin({
          router,
          port: 0,
          ...(config.admin.token === undefined ? {} : { token: config.admin.token }),
          ...(loader === undefined ? {} : { plugins: loader }),
          logger: logger.child({ component: 'admin' }),
        });
  return { router, loader, admin };
}
