/**
 * The `wrongbook_fix` processor (spec §2, §4, §6): the student submitted a correction. Validates the
 * payload (an invalid one is rejected to the dead-letter output with every problem), enriches it
 * through the `wrongbook.dimensions` service, and writes the fix into the wide-table row with the fix
 * merge rules (newest fix wins, add-side columns only filled); a fix-outcome record goes to
 * `fix_metrics`. A fix record withdrawn upstream (`is_delete = 1`) is acknowledged and writes nothing.
 */
import { definePlugin, type Output } from '@evroute/core';
import {
  compileCodeTables,
  interpretFix,
  lookupCounter,
  noteAdvisoryConfig,
  rejectEvent,
  resolveDimensions,
  WIDE_TABLE_SPECS,
  wrongbookConfigSchema,
  type WrongbookConfig,
} from '@evroute/wrongbook';
import { fixOutcomeMessage } from './fix-outcome-message.js';

/** The route config (`config_json`) of wrongbook-fix, defaults applied. */
export interface WrongbookFixConfig extends WrongbookConfig {
  /** Write a fix-outcome record to `fix_metrics` for every fix (default true). */
  readonly emit_fix_metrics: boolean;
}

/** The original Flink processor class, which routing rows of the original deployment name. */
export const JAVA_CLASS = 'com.flink.realtime.topics.wrongbook.processor.WrongbookFixProcessor';

const NAME = 'wrongbook-fix';
const NOTHING: readonly Output[] = Object.freeze([]);

/** The wrongbook-fix plugin manifest. */
const plugin = definePlugin<WrongbookFixConfig>({
  name: NAME,
  version: '1.0.0',
  core: '^0.1.0',
  aliases: [JAVA_CLASS],
  configSchema: wrongbookConfigSchema('emit_fix_metrics', 'Also write a fix-outcome record per fix to the fix_metrics output (default topic wrongbook-metrics).'),
  outputs: {
    wide_table: WIDE_TABLE_SPECS.fix,
    fix_metrics: { description: 'One fix-outcome record per fix, as JSON; default topic wrongbook-metrics.' },
  },
  create(config, ctx) {
    const tables = compileCodeTables(config);
    const dimensions = resolveDimensions(ctx);
    const observe = lookupCounter(ctx.metrics);
    noteAdvisoryConfig(config, ctx);
    return {
      async process(event): Promise<readonly Output[]> {
        const result = await interpretFix(event, { tables, dimensions, now: Date.now(), observe });
        if (!result.ok) {
          ctx.metrics.increment('rejected');
          throw rejectEvent(event.type, result.problems, NAME);
        }
        if (result.row === null) {
          ctx.metrics.increment('withdrawn');
          return NOTHING;
        }
        const outputs: Output[] = [{ to: 'wide_table', value: result.row }];
        if (config.emit_fix_metrics) outputs.push({ to: 'fix_metrics', key: result.row.user_id, value: fixOutcomeMessage(result.row, result.payload) });
        return outputs;
      },
    };
  },
});

export default plugin;
