/**
 * The error catalogue of `@evroute/core`. Every error the core raises or records carries one of these
 * codes. Identify errors by `code` (see {@link isEvrouteError}), never by `instanceof`: a hot-loaded
 * plugin may bring its own copy of this module.
 */

/** What each code means and whether retrying the same operation can succeed. */
export const coreErrors = {
  EVR_ERR_DECODE_NOT_JSON: { retriable: false, text: 'the message value is not valid UTF-8 JSON' },
  EVR_ERR_DECODE_ENVELOPE: { retriable: false, text: 'the message is JSON but not a valid event envelope' },
  EVR_ERR_DECODE_PAYLOAD: { retriable: false, text: 'the envelope payload is a string that does not hold a JSON object' },
  EVR_ERR_DECODE_TOO_LARGE: { retriable: false, text: 'the message value is larger than the configured maximum' },
  EVR_ERR_ROUTE_UNMATCHED: { retriable: false, text: 'no enabled route matches the event domain:type' },
  EVR_ERR_ROUTE_UNKNOWN_OUTPUT: { retriable: false, text: 'a processor addressed an output name its plugin does not declare' },
  EVR_ERR_ROUTE_PAUSED: { retriable: true, text: 'the route is paused by an operator; its events wait, parked, until it is resumed' },
  EVR_ERR_CONFIG_INVALID_ROW: { retriable: false, text: 'a routing config row is malformed' },
  EVR_ERR_CONFIG_UNKNOWN_PROCESSOR: { retriable: false, text: 'a routing config row names a processor that is not loaded' },
  EVR_ERR_CONFIG_SCHEMA: { retriable: false, text: 'a routing config row has config_json that fails the plugin config schema' },
  EVR_ERR_CONFIG_DUPLICATE_ROUTE: { retriable: false, text: 'two routing config rows have the same id' },
  EVR_ERR_CONFIG_SOURCE_FAILED: { retriable: true, text: 'the routing config source failed; the last good table keeps serving' },
  EVR_ERR_PLUGIN_INVALID_MANIFEST: { retriable: false, text: 'a plugin manifest is invalid' },
  EVR_ERR_PLUGIN_CREATE_FAILED: { retriable: false, text: 'a plugin create() threw or timed out' },
  EVR_ERR_PLUGIN_PAYLOAD_INVALID: { retriable: false, text: 'the event payload fails the plugin payload schema' },
  EVR_ERR_PROCESSOR_FAILED: { retriable: true, text: 'the processor threw while processing the event' },
  EVR_ERR_PROCESSOR_REJECTED: { retriable: false, text: 'the processor rejected the event as invalid' },
  EVR_ERR_PROCESSOR_INVALID_OUTPUT: { retriable: false, text: 'the processor returned something that is not a list of outputs' },
  EVR_ERR_PROCESSOR_TIMEOUT: { retriable: true, text: 'the processor did not answer within the route timeout' },
  EVR_ERR_PROCESSOR_CIRCUIT_OPEN: { retriable: true, text: "the processor's circuit breaker is open; the event followed the fallback" },
  EVR_ERR_SINK_WRITE_FAILED: { retriable: true, text: 'a sink failed to write a batch' },
  EVR_ERR_SINK_ROW_REJECTED: { retriable: false, text: 'a sink refused one record for good (for example data too long)' },
  EVR_ERR_SOURCE_FAILED: { retriable: true, text: 'the source failed' },
  EVR_ERR_PIPELINE_STOPPED: { retriable: false, text: 'the pipeline is stopped and takes no more work' },
  EVR_ERR_PIPELINE_STOP_TIMEOUT: { retriable: false, text: 'the pipeline did not drain before the stop deadline' },
  EVR_ERR_OPTIONS_INVALID: { retriable: false, text: 'router options are invalid' },
  EVR_ERR_PLUGIN_CORE_RANGE: { retriable: false, text: 'a plugin needs a @evroute/core version range this core is not in' },
  EVR_ERR_HOTDEPLOY_BUNDLE_INVALID: { retriable: false, text: 'a plugin bundle manifest (plugin.json) is not JSON or breaks the bundle format' },
  EVR_ERR_HOTDEPLOY_INCOMPLETE: { retriable: true, text: 'a plugin bundle file is missing or shorter than its manifest says (half-written drop)' },
  EVR_ERR_HOTDEPLOY_HASH_MISMATCH: { retriable: false, text: 'a plugin bundle file does not match the sha256 in its manifest' },
  EVR_ERR_HOTDEPLOY_SIGNATURE_MISSING: { retriable: false, text: 'a plugin bundle is unsigned and the trust policy requires a signature' },
  EVR_ERR_HOTDEPLOY_SIGNATURE_INVALID: { retriable: false, text: 'a plugin bundle signature does not verify against a trusted public key' },
  EVR_ERR_HOTDEPLOY_IMPORT_FAILED: { retriable: false, text: 'a plugin bundle entry module failed to import (syntax error, top-level throw, missing import)' },
  EVR_ERR_HOTDEPLOY_NO_DEFAULT_EXPORT: { retriable: false, text: 'a plugin bundle entry module has no default export' },
  EVR_ERR_HOTDEPLOY_MANIFEST_MISMATCH: { retriable: false, text: 'the plugin a bundle exports is not the name@version its plugin.json declares' },
  EVR_ERR_HOTDEPLOY_VERSION_CONFLICT: { retriable: false, text: 'a bundle has the name@version of a loaded plugin but different content' },
  EVR_ERR_HOTDEPLOY_RELOAD_LIMIT: { retriable: false, text: 'the in-process plugin reload limit of this process is reached' },
  EVR_ERR_HOTDEPLOY_WORKER_TIMEOUT: { retriable: false, text: 'a worker-isolated plugin missed its batch deadline and its worker was terminated' },
  EVR_ERR_HOTDEPLOY_WORKER_CRASHED: { retriable: true, text: 'the worker thread of an isolated plugin exited or ran out of memory' },
} as const satisfies Record<string, { retriable: boolean; text: string }>;

/** A code of the core catalogue. */
export type CoreErrorCode = keyof typeof coreErrors;

/** Any evroute code: the core's or an adapter package's, all spelled `EVR_ERR_<AREA>_<WHAT>`. */
export type ErrorCode = CoreErrorCode | `EVR_ERR_${string}`;

/** Where an error happened: enough to find the event, route or component again. */
export interface ErrorContext {
  plugin?: string;
  pluginVersion?: string;
  route?: string;
  output?: string;
  topic?: string;
  partition?: number;
  offset?: string;
  table?: string;
  [key: string]: unknown;
}

/** The base error of evroute. `retriable` tells the engine whether the same operation may succeed later. */
export class EvrouteError extends Error {
  override readonly name = 'EvrouteError';
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly context: ErrorContext;

  constructor(
    code: ErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown; context?: ErrorContext } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retriable = options.retriable ?? (code in coreErrors ? coreErrors[code as CoreErrorCode].retriable : false);
    this.context = options.context ?? {};
  }
}

/** True for any error carrying an `EVR_ERR_*` code, whichever copy of this module made it. */
export function isEvrouteError(error: unknown): error is EvrouteError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    (error as { code: string }).code.startsWith('EVR_ERR_')
  );
}

/** Wraps anything thrown into an {@link EvrouteError} with the given code, keeping the original as `cause`. */
export function toEvrouteError(error: unknown, code: ErrorCode, context: ErrorContext = {}): EvrouteError {
  if (isEvrouteError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new EvrouteError(code, message, { cause: error, context });
}
