// The public API of @evroute/admin: Prometheus metrics, the admin HTTP server with its status page and
// alerts, the admin API client, and the `admin` section of a run config. Anything else is internal.

export { createAdmin, adminDefaults, type Admin, type AdminOptions } from './create-admin.js';
export { createAdminMetrics, type AdminMetrics, type AdminMetricsOptions } from './admin-metrics.js';
export type { MetricsTarget } from './scrape-target.js';
export { AlertEvaluator, type AlertOptions } from './alert-evaluator.js';
export { ALERT_NAMES, alertDefaults, type AlertName, type AlertRuleOptions } from './alert-rules.js';
export type { WebhookBody, WebhookOptions } from './alert-webhook.js';
export { Readiness } from './readiness.js';
export type { StatsHistoryOptions } from './stats-history.js';
export type { PluginsProvider } from './router-views.js';
export type { CacheStats, HealthCheck, LagProvider, PartitionLag } from './component-roles.js';
export { BucketHistogram, quantileOf, PROCESSING_BUCKETS, END_TO_END_BUCKETS, SINK_WRITE_BUCKETS, BATCH_SIZE_BUCKETS } from './bucket-histogram.js';
export { createAdminClient, type AdminClient, type AdminClientOptions } from './admin-client.js';
export { adminConfigSchema, adminOptionsFromConfig, type AdminConfig } from './admin-config.js';
export { adminErrors, type AdminErrorCode } from './errors.js';
export type * from './api-types.js';
