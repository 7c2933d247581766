/**
 * The wrongbook pipeline as an application of the evroute library: the programmatic API, start to end.
 *
 *   events ──> router ──> wrongbook-add / -fix / -delete ──> wide table (SQLite or MySQL)
 *                 ^            (plugins: imported, or           + side outputs (files or Kafka topics)
 *          routing table        hot-deployed from a folder)     + dead letters with reasons
 *   (JSON file or routing_configs)
 *
 * `buildWrongbookRouter(settings)` wires one router for either mode; the mode only decides the parts
 * (`embedded-parts.ts`, `production-parts.ts`). Set the databases up first (`setup.ts`).
 */
import { createRouter, PluginLoader, type Router } from '@evroute/core';
import wrongbookAdd from '@evroute/plugin-wrongbook-add';
import wrongbookDelete from '@evroute/plugin-wrongbook-delete';
import wrongbookFix from '@evroute/plugin-wrongbook-fix';
import { DIMENSIONS_SERVICE, WIDE_TABLE } from '@evroute/wrongbook';
import { pino, type Logger } from 'pino';
import { embeddedParts } from './embedded-parts.js';
import type { ModeParts } from './mode-parts.js';
import { productionParts } from './production-parts.js';
import type { WrongbookSettings } from './settings.js';

/** A built pipeline: the router, its plugin loader (with hot deployment) and their lifecycle. */
export interface WrongbookApp {
  readonly router: Router;
  /** The loader watching the plugin folder; undefined without `plugins.hotDeploy`. */
  readonly loader: PluginLoader | undefined;
  readonly logger: Logger;
  /**
   * Starts the plugin loader first (so the first routing table already sees the folder's plugins), then
   * the router. Rejects when either fails to start; call `stop()` then.
   */
  start(): Promise<void>;
  /** Drains and stops the router, then the loader, then closes the databases. Idempotent. */
  stop(): Promise<void>;
}

/** Builds the wrongbook pipeline for `settings` (nothing connects until `start()`). */
export function buildWrongbookRouter(settings: WrongbookSettings): WrongbookApp {
  const logger = settings.logger ?? pino({ name: 'wrongbook', level: 'info' }, pino.destination(2));
  const parts: ModeParts = settings.mode === 'embedded' ? embeddedParts(settings, logger) : productionParts(settings, logger);

  const router = createRouter({
    source: parts.source,
    config: parts.config,
    // The plugins' own packages, imported like any library: their manifests are default exports.
    // With hot deployment only, they come from the watched folder instead (below).
    plugins: settings.plugins.builtIn ? [wrongbookAdd, wrongbookFix, wrongbookDelete] : [],
    sinks: parts.sinks,
    // Output names the plugins declare → sink and target. A routing row may override one (outputs_json).
    outputs: { wide_table: { sink: 'db', target: WIDE_TABLE }, ...parts.sideOutputs },
    deadLetter: parts.deadLetter,
    // The plugins look their dimension tables up through this service (ctx.services.get).
    services: { shared: { [DIMENSIONS_SERVICE]: parts.dimensions } },
    batchSizes: { db: parts.tableBatchSize },
    logger,
    ...(settings.faultIsolation ? { faultIsolation: settings.faultIsolation } : {}),
    ...(settings.stopTimeoutMs === undefined ? {} : { stopTimeoutMs: settings.stopTimeoutMs }),
  });

  const hotDeploy = settings.plugins.hotDeploy;
  // Bundles dropped into the folder are verified, imported and registered on router.registry: routes
  // naming a plugin move to its newest version between two events, with no restart.
  const loader = hotDeploy ? new PluginLoader({ dir: hotDeploy.dir, registry: router.registry, trust: hotDeploy.trust, logger }) : undefined;

  const timers: NodeJS.Timeout[] = [];
  let stopping: Promise<void> | undefined;
  return {
    router,
    loader,
    logger,
    async start(): Promise<void> {
      await loader?.start();
      await router.start();
      if (loader && hotDeploy?.rescanIntervalMs) {
        timers.push(setInterval(() => void loader.rescan().catch((error: unknown) => logger.error({ err: error }, 'plugin folder rescan failed')), hotDeploy.rescanIntervalMs).unref());
      }
      if (settings.mode === 'production' && settings.statsIntervalMs) {
        timers.push(setInterval(() => logger.info({ stats: router.stats() }, 'router stats'), settings.statsIntervalMs).unref());
      }
    },
    stop(): Promise<void> {
      stopping ??= (async () => {
        for (const timer of timers) clearInterval(timer);
        await router.stop();
        await loader?.close();
        await parts.close();
      })();
      return stopping;
    },
  };
}
