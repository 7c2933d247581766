/**
 * The `admin` section of an `evroute run` config: its JSON Schema (the CLI's run-config schema embeds
 * it) and its mapping to {@link AdminOptions}. Durations are in ms like the rest of the run config.
 */
import type { AlertRuleOptions } from './alert-rules.js';
import type { AlertOptions } from './alert-evaluator.js';
import type { WebhookOptions } from './alert-webhook.js';
import { adminDefaults, type AdminOptions } from './create-admin.js';

const rule = {
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean', default: true },
    threshold: { type: 'number', minimum: 0, description: 'The rule fires while its value is greater than this.' },
    windowMs: { type: 'integer', minimum: 0, description: 'Sliding window of the value, ms (default 300000).' },
    forMs: { type: 'integer', minimum: 0, description: 'How long the condition must hold before firing, ms.' },
    severity: { enum: ['warning', 'critical'] },
    quantile: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'processing_latency_high only (default 0.95).' },
    minEvents: { type: 'integer', minimum: 0, description: 'error_rate_high only: fewer route runs in the window never fire (default 20).' },
  },
} as const;

/** JSON Schema of the `admin` section. */
export const adminConfigSchema = {
  type: 'object',
  description: 'The admin HTTP server of evroute run: /metrics, /healthz, /readyz, the JSON API, the status page at /, and in-process alerts (docs/guides/operations.md).',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean', default: true, description: 'false runs without the admin server and alerts.' },
    host: { type: 'string', minLength: 1, default: adminDefaults.host, description: 'Interface to bind; 0.0.0.0 opens it to the network.' },
    port: { type: 'integer', minimum: 0, maximum: 65535, default: adminDefaults.port, description: '0 picks a free port.' },
    token: { type: 'string', minLength: 8, description: 'Bearer token of the mutating endpoints (pause, resume, reload). Default: the EVROUTE_ADMIN_TOKEN environment variable; without either they are disabled.' },
    required: { type: 'boolean', default: false, description: 'true: evroute run exits 1 when the admin server cannot listen; false: it logs the error and runs without it.' },
    alerts: {
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean', default: true },
        intervalMs: { type: 'integer', minimum: 100, default: 5000, description: 'Evaluate the rules every this many ms.' },
        rules: {
          type: 'object',
          additionalProperties: false,
          properties: { processing_latency_high: rule, error_rate_high: rule, processor_failure: rule, dead_letter_growth: rule, breaker_open: rule },
        },
      },
    },
    webhook: {
      type: 'object',
      required: ['url'],
      additionalProperties: false,
      description: 'POST every alert transition as JSON here.',
      properties: {
        url: { type: 'string', pattern: '^https?://', description: 'An http(s) URL.' },
        timeoutMs: { type: 'integer', minimum: 1, default: 5000 },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  },
} as const;

/** The `admin` section as parsed from a run config. */
export interface AdminConfig {
  readonly enabled?: boolean;
  readonly host?: string;
  readonly port?: number;
  readonly token?: string;
  readonly required?: boolean;
  readonly alerts?: { readonly enabled?: boolean; readonly intervalMs?: number; readonly rules?: Readonly<Record<string, AlertRuleOptions>> };
  readonly webhook?: WebhookOptions;
}

/**
 * The {@link AdminOptions} (less router, metrics and parts) of an `admin` section; `envToken` (the
 * host reads `EVROUTE_ADMIN_TOKEN`) is used when the section has no token.
 */
export function adminOptionsFromConfig(config: AdminConfig = {}, envToken?: string): Omit<AdminOptions, 'router'> {
  const token = config.token ?? (envToken || undefined);
  const alerts: AlertOptions | undefined = config.alerts;
  return {
    host: config.host ?? adminDefaults.host,
    port: config.port ?? adminDefaults.port,
    ...(token ? { token } : {}),
    ...(alerts ? { alerts } : {}),
    ...(config.webhook ? { webhook: config.webhook } : {}),
  };
}
