/**
 * The `wrongbook_add` processor (spec §2, §4, §6): a wrong answer was collected. Validates the payload
 * (an invalid one is rejected to the dead-letter output with every problem), enriches it through the
 * `wrongbook.dimensions` service, and writes the wrong question's wide-table row with the add merge
 * rules; an add with `result = 0` also goes to the `wrong_answers` output.
 */
import { definePlugin, type Output } from '@evroute/core';
import {
  compileCodeTables,
  interpretAdd,
  lookupCounter,
  noteAdvisoryConfig,
  rejectEvent,
  resolveDimensions,
  WIDE_TABLE_SPECS,
  wrongbookConfigSchema,
  type WrongbookConfig,
} from '@evroute/wrongbook';
import { wrongAnswerMessage } from './wrong-answer-message.js';

/** The route config (`config_json`) of wrongbook-add, defaults applied. */
export interface WrongbookAddConfig extends WrongbookConfig {
  /** Write adds with `result = 0` to `wrong_answers` too (default true). */
  readonly emit_wrong_answers: boolean;
}

/** The original Flink processor class, which routing rows of the original deployment name. */
export const JAVA_CLASS = 'com.flink.realtime.topics.wrongbook.processor.WrongbookAddProcessor';

const NAME = 'wrongbook-add';

/** The wrongbook-add plugin manifest. */
const plugin = definePlugin<WrongbookAddConfig>({
  name: NAME,
  version: '1.0.0',
  core: '^0.1.0',
  aliases: [JAVA_CLASS],
  configSchema: wrongbookConfigSchema('emit_wrong_answers', 'Also write adds with result = 0 to the wrong_answers output (default topic wrongbook-wide-table-output).'),
  outputs: {
    wide_table: WIDE_TABLE_SPECS.add,
    wrong_answers: { description: 'Wrong answers (result = 0): the wide-table row plus the answer fields, as JSON; default topic wrongbook-wide-table-output.' },
  },
  create(config, ctx) {
    const tables = compileCodeTables(config);
    const dimensions = resolveDimensions(ctx);
    const observe = lookupCounter(ctx.metrics);
    noteAdvisoryConfig(config, ctx);
    return {
      async process(event): Promise<Output[]> {
        const result = await interpretAdd(event, { tables, dimensions, now: Date.now(), observe });
        if (!result.ok) {
          ctx.metrics.increment('rejected');
          throw rejectEvent(event.type, result.problems, NAME);
        }
        const outputs: Output[] = [{ to: 'wide_table', value: result.row }];
        if (config.emit_wrong_answers && result.payload.result === 0) {
          outputs.push({ to: 'wrong_answers', key: result.row.user_id, value: wrongAnswerMessage(result.row, result.payload) });
        }
        return outputs;
      },
    };
  },
});

export default plugin;
