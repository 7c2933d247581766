// The public API of @evroute/core. Everything a user or plugin author may rely on is listed here by
// name; anything else is internal and may change in any release.

export { createRouter } from './create-router.js';
export type { Router } from './router.js';
export { routerDefaults, type RouterOptions } from './router-options.js';
export { definePlugin } from './plugin.js';
export type {
  ColumnSpec,
  CreateContext,
  EventProcessor,
  JsonSchema,
  MergePolicy,
  Output,
  OutputSpec,
  Plugin,
  PluginLogger,
  PluginManifest,
  PluginMetrics,
  ProcessContext,
  ProcessResult,
  ServiceLookup,
} from './plugin.js';
export { coreErrors, EvrouteError, isEvrouteError, toEvrouteError } from './errors.js';
export type { CoreErrorCode, ErrorCode, ErrorContext } from './errors.js';
export { routingKey } from './event.js';
export type { Event, EventEnvelope, EventMeta, Headers, SourceRecord } from './event.js';
export type { Source, SourceHandler } from './source.js';
export type { DeadLetterReader, DeadLetterRecord, DeadLetterSink, Sink, SinkRecord, WriteResult } from './sink.js';
export type { ConfigSnapshot, ConfigSource, ConfigSourceHandler, OutputBinding, RouteRow } from './config-source.js';
export { InMemoryConfigSource } from './memory-config-source.js';
export { JsonFileConfigSource, type JsonFileConfigSourceOptions } from './json-file-config-source.js';
export { routeFromColumns } from './route-row.js';
export { decodeRecord, type DecodeOptions, type DecodeResult } from './decode.js';
export { PluginRegistry, checkPlugin, parseProcessorRef, type RegisteredPlugin } from './plugin-registry.js';
export { RoutingTable, type CompiledRoute, type ResolvedOutput, type RouteRefusal } from './routing-table.js';
export type { ConfigPolicy } from './config-router.js';
export type { UnmatchedPolicy } from './pipeline.js';
export type { StatsSnapshot } from './stats.js';
export type { ServiceOptions } from './service-scope.js';
export { deadLetterOf, type FailureSite } from './dead-letter.js';
export { channel, type InstrumentationEvent, type InstrumentationEvents } from './instrumentation.js';
export { backoffDelay, sleep, type BackoffOptions } from './backoff.js';
export { stableHash, stableStringify } from './stable-hash.js';
export { CORE_VERSION } from './version.js';
export { JsonlFileSource, type JsonlFileSourceOptions } from './jsonl-file-source.js';
export type { AdapterContext, AdapterFactory, EvrouteAdapters } from './adapters.js';
export { JsonlDeadLetterReader, JsonlDeadLetterSink, deadLetterFromJson, deadLetterToJson } from './jsonl-dead-letter-sink.js';
export { coreAdapters } from './builtin-adapters.js';
export { JsonlFileSink } from './jsonl-file-sink.js';
export { CircuitBreaker, type BreakerOptions, type BreakerState } from './circuit-breaker.js';
export type { BreakerView } from './guard.js';
export { RESERVED_CONFIG_KEYS, isolationFromSeedProperties, type FallbackPolicy, type FaultIsolationOptions, type IsolationSettings } from './isolation-settings.js';
export type { RouterMetrics } from './metrics.js';
export type { Explanation, RouteExplanation } from './explain.js';
export { PluginLoader } from './plugin-loader.js';
export { loaderDefaults, type BundleState, type BundleStatus, type PluginLoaderOptions, type PluginLoaderStats } from './hot-deploy/loader-types.js';
export {
  BUNDLE_MANIFEST,
  bundleDigest,
  canonicalManifestBytes,
  describeBundle,
  parseBundleManifest,
  readBundle,
  writeBundle,
  writeManifest,
  type BundleFile,
  type BundleInput,
  type BundleManifest,
  type BundleSignature,
  type IsolationMode,
  type VerifiedBundle,
} from './plugin-bundle.js';
export { TrustChecker, generateSigningKeys, keyIdOf, signBundleManifest, type TrustOptions, type TrustPolicy, type TrustVerdict } from './hot-deploy/bundle-trust.js';
export { inspectBundle, type BundleInspection, type InspectBundleOptions } from './hot-deploy/inspect-bundle.js';
export { WorkerPluginHost, workerDefaults, type WorkerIsolationOptions } from './worker-processor.js';
