/**
 * The route config (`config_json`) shared by the three wrongbook plugins: the original deployment's keys,
 * accepted so its SQL works unchanged (spec §7), the code tables of spec §5 with their defaults, and one
 * `emit_*` switch per side output. Unknown keys are refused (`additionalProperties: false`), so a typo
 * in an operator's `UPDATE routing_configs SET config_json = ...` is reported instead of ignored.
 */
import type { JsonSchema } from '@evroute/core';
import { DEFAULT_FIX_RESULT_NAMES, DEFAULT_SUBJECT_ALIASES, DEFAULT_SUBJECT_NAMES } from './code-tables.js';

/**
 * The config keys every wrongbook plugin accepts (after schema defaults are applied).
 *
 * `cache_ttl`, `batch_size` and `retry_times` come from the original Flink deployment. In evroute the
 * host owns dimension caching (its lookup service), sink batching and retries, so the plugins accept
 * and validate these keys but they change nothing; the plugins log that once when they differ from the
 * defaults.
 */
export interface WrongbookConfig {
  /** Dimension cache TTL as the guide wrote it (`"10min"`, `"15min"`, `"30s"`). Advisory. */
  readonly cache_ttl: string;
  /** Rows per sink batch in the original job. Advisory. */
  readonly batch_size: number;
  /** Retries in the original job. Advisory. */
  readonly retry_times: number;
  /** Subject code → name (spec §5 by default). Replaces the whole table when given. */
  readonly subject_names: Readonly<Record<string, string>>;
  /** Alias (pinyin) → subject code (spec §5 by default). Replaces the whole table when given. */
  readonly subject_aliases: Readonly<Record<string, string>>;
  /** `"0"`/`"1"` → fix_result description (spec §5 by default). */
  readonly fix_result_names: Readonly<Record<string, string>>;
}

/** Defaults of the advisory keys: the guide's example `config_json`. */
export const ADVISORY_DEFAULTS = Object.freeze({ cache_ttl: '10min', batch_size: 1000, retry_times: 3 });

const nameTable = (description: string, defaults: Readonly<Record<string, string>>): JsonSchema => ({
  type: 'object',
  description,
  propertyNames: { minLength: 1, maxLength: 64 },
  additionalProperties: { type: 'string', maxLength: 64 },
  default: { ...defaults },
});

/**
 * The JSON Schema of a wrongbook plugin's config: the shared keys plus the plugin's `emit_*` switch for
 * its side output (default on).
 * @param emitKey e.g. `emit_wrong_answers`
 * @param emitDescription what the switch turns on, for the schema
 */
export function wrongbookConfigSchema(emitKey: string, emitDescription: string): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      cache_ttl: {
        type: 'string',
        pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?)\\s*$',
        default: ADVISORY_DEFAULTS.cache_ttl,
        description: 'Dimension cache TTL, e.g. "10min" (from the original deployment; caching is the host lookup service\'s, so advisory here).',
      },
      batch_size: { type: 'integer', minimum: 1, default: ADVISORY_DEFAULTS.batch_size, description: 'Advisory (sink batching is the host\'s).' },
      retry_times: { type: 'integer', minimum: 0, default: ADVISORY_DEFAULTS.retry_times, description: 'Advisory (retries are the engine\'s).' },
      subject_names: nameTable('Subject code → name; codes match in any letter case.', DEFAULT_SUBJECT_NAMES),
      subject_aliases: nameTable('Alias (e.g. pinyin) → subject code.', DEFAULT_SUBJECT_ALIASES),
      fix_result_names: {
        ...nameTable('fix_result → description.', DEFAULT_FIX_RESULT_NAMES),
        propertyNames: { enum: ['0', '1'] },
      },
      [emitKey]: { type: 'boolean', default: true, description: emitDescription },
    },
  };
}
