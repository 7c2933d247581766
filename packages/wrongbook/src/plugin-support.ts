/**
 * What the three wrongbook plugins do alike in `create` and `process`: find the dimension service,
 * count lookups in the plugin's metrics, report advisory config, and reject invalid events so they go to
 * the dead-letter output with the reason.
 */
import { EvrouteError, type CreateContext, type PluginMetrics } from '@evroute/core';
import { DIMENSIONS_SERVICE, type DimensionLookups } from './dimensions.js';
import type { LookupObserver } from './enrich.js';
import { ADVISORY_DEFAULTS, type WrongbookConfig } from './plugin-config.js';
import { WIDE_TABLE } from './wide-table.js';

/** Default targets of the wrongbook outputs (spec §4 and §6), for the host's output bindings. */
export const DEFAULT_OUTPUT_TARGETS = Object.freeze({
  wide_table: WIDE_TABLE,
  wrong_answers: 'wrongbook-wide-table-output',
  fix_metrics: 'wrongbook-metrics',
  audit: 'wrongbook-audit',
});

/**
 * The dimension service of a processor instance, or `undefined` (then the plugin runs without
 * enrichment: derived columns NULL). Logs a warning once per instance when it is missing.
 */
export function resolveDimensions(ctx: CreateContext): DimensionLookups | undefined {
  const dimensions = ctx.services.get<DimensionLookups>(DIMENSIONS_SERVICE);
  if (dimensions === undefined) {
    ctx.logger.warn(
      { service: DIMENSIONS_SERVICE },
      `no '${DIMENSIONS_SERVICE}' service is registered: events are written without enrichment (pattern and teaching-type columns stay NULL); ` +
        `register one with createRouter({ services: { shared: { '${DIMENSIONS_SERVICE}': lookups } } })`,
    );
  }
  return dimensions;
}

/** Logs once (at create) that the original deployment's advisory keys were given and change nothing. */
export function noteAdvisoryConfig(config: WrongbookConfig, ctx: CreateContext): void {
  const given = (Object.keys(ADVISORY_DEFAULTS) as (keyof typeof ADVISORY_DEFAULTS)[]).filter((key) => config[key] !== ADVISORY_DEFAULTS[key]);
  if (given.length > 0) {
    ctx.logger.info(
      { keys: given },
      'config keys from the original deployment are accepted but advisory: dimension caching, batching and retries are configured on the host',
    );
  }
}

/**
 * A {@link LookupObserver} that counts each lookup as `dimension_lookups{table, outcome}` in the
 * plugin's metrics (hit, miss, error), the numbers behind the spec's hit-rate and join-rate targets.
 */
export function lookupCounter(metrics: PluginMetrics): LookupObserver {
  return (table, outcome) => metrics.increment('dimension_lookups', 1, { table, outcome });
}

/**
 * The error that sends an invalid event to the dead-letter output, not retried:
 * `EVR_ERR_PROCESSOR_REJECTED` with every problem in the message.
 */
export function rejectEvent(eventType: string, problems: readonly string[], plugin: string): EvrouteError {
  return new EvrouteError('EVR_ERR_PROCESSOR_REJECTED', `invalid ${eventType} payload: ${problems.join('; ')}`, {
    retriable: false,
    context: { plugin, problems: [...problems] },
  });
}
