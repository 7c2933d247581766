/**
 * The `wrongbook_delete` processor (spec §2, §4, §6): the question was removed from the wrongbook.
 * Validates the payload (an invalid one is rejected to the dead-letter output with every problem) and
 * marks the wide-table row deleted with the delete merge rules (newest delete's columns; the flag
 * sticks until an add or fix newer than it); an audit record goes to `audit`. Deletes are not enriched:
 * they write only their own columns, so the dimension service is not used.
 *
 * The original deployment ships this route disabled (`enabled = 0`) and enables it with an `UPDATE`.
 */
import { definePlugin, type Output } from '@evroute/core';
import { compileCodeTables, interpretDelete, noteAdvisoryConfig, rejectEvent, WIDE_TABLE_SPECS, wrongbookConfigSchema, type WrongbookConfig } from '@evroute/wrongbook';
import { auditMessage } from './audit-message.js';

/** The route config (`config_json`) of wrongbook-delete, defaults applied. */
export interface WrongbookDeleteConfig extends WrongbookConfig {
  /** Write an audit record to `audit` for every delete (default true). */
  readonly emit_audit: boolean;
}

/**
 * The processor class name for routing rows in the original deployment's style. The original never
 * implemented it; the name follows its add and fix processors.
 */
export const JAVA_CLASS = 'com.flink.realtime.topics.wrongbook.processor.WrongbookDeleteProcessor';

const NAME = 'wrongbook-delete';

/** The wrongbook-delete plugin manifest. */
const plugin = definePlugin<WrongbookDeleteConfig>({
  name: NAME,
  version: '1.0.0',
  core: '^0.1.0',
  aliases: [JAVA_CLASS],
  configSchema: wrongbookConfigSchema('emit_audit', 'Also write an audit record per delete to the audit output (default topic wrongbook-audit).'),
  outputs: {
    wide_table: WIDE_TABLE_SPECS.delete,
    audit: { description: 'One audit record per delete, as JSON; default topic wrongbook-audit.' },
  },
  create(config, ctx) {
    const tables = compileCodeTables(config);
    noteAdvisoryConfig(config, ctx);
    return {
      // Synchronous: nothing to look up, so the router's fast path allocates no promise.
      process(event): Output[] {
        const result = interpretDelete(event, { tables, now: Date.now() });
        if (!result.ok) {
          ctx.metrics.increment('rejected');
          throw rejectEvent(event.type, result.problems, NAME);
        }
        const outputs: Output[] = [{ to: 'wide_table', value: result.row }];
        if (config.emit_audit) outputs.push({ to: 'audit', key: result.row.user_id, value: auditMessage(result.row, result.payload) });
        return outputs;
      },
    };
  },
});

export default plugin;
