/**
 * The JSON Schema of an `evroute run` config file, published as `run-config.schema.json` and printed
 * by `evroute config-schema`. Validation messages point at the bad key (`/sinks/db/type: ...`).
 */
import { adminConfigSchema, type AdminConfig } from '@evroute/admin';

const adapter = (what: string) =>
  ({
    type: 'object',
    description: `A ${what}: \`type\` names the adapter; \`package\` the npm package exporting \`evrouteAdapters\` (default: @evroute/<type>, or built in).`,
    required: ['type'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', minLength: 1, description: 'Adapter name, e.g. kafka, mysql, sqlite, jsonl, json-file, memory.' },
      package: { type: 'string', minLength: 1, description: 'Package (or path) that exports evrouteAdapters.' },
      options: { type: 'object', description: "The adapter's own options; see its reference page." },
    },
  }) as const;

/** The JSON Schema of run configs (draft-07), as published in run-config.schema.json. */
export const runConfigSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://evroute.dev/schemas/run-config.schema.json',
  title: 'evroute run config',
  type: 'object',
  required: ['source', 'config'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    source: adapter('source of events'),
    config: adapter('routing config source'),
    sinks: { type: 'object', description: 'Sinks by name; outputs bind to these names.', additionalProperties: adapter('sink') },
    deadLetter: adapter('dead-letter sink'),
    outputs: {
      type: 'object',
      description: 'Default binding of each plugin output name to a sink and a table or topic.',
      additionalProperties: {
        type: 'object',
        required: ['sink'],
        additionalProperties: false,
        properties: { sink: { type: 'string', minLength: 1 }, target: { type: 'string', minLength: 1 } },
      },
    },
    plugins: {
      type: 'object',
      additionalProperties: false,
      properties: {
        modules: { type: 'array', description: 'Plugin modules (package names or paths) whose default export is a definePlugin manifest.', items: { type: 'string', minLength: 1 } },
        dir: { type: 'string', minLength: 1, description: 'A folder watched for plugin bundles (evroute plugin pack): drop one in to hot-deploy it. See docs/guides/hot-deploy.md.' },
        cacheDir: { type: 'string', minLength: 1, description: 'Where verified bundles are copied and imported from (default <dir>/.cache).' },
        trust: {
          type: 'object',
          required: ['policy'],
          additionalProperties: false,
          description: 'Which bundles may run. Required with dir.',
          properties: {
            policy: { enum: ['require-signature', 'hash-only', 'dev'], description: 'require-signature: only bundles signed by publicKeys; hash-only: hashes checked, signatures not; dev: unsigned allowed, logged at warn.' },
            publicKeys: { type: 'array', description: 'Ed25519 public key files (PEM), relative to this config.', items: { type: 'string', minLength: 1 } },
          },
        },
        isolation: { enum: ['in-process', 'worker'], default: 'in-process', description: 'Where bundles run unless their manifest asks for worker.' },
        maxReloads: { type: 'integer', minimum: 1, default: 200, description: 'In-process bundle loads before further ones are refused (each keeps its module in memory until restart).' },
        keepVersions: { type: 'integer', minimum: 1, default: 2, description: 'Versions of one plugin kept registered.' },
      },
      dependencies: { dir: ['trust'] },
    },
    services: { type: 'object', description: 'Services for plugins by name (e.g. dimension lookups).', additionalProperties: adapter('service') },
    unmatched: { enum: ['dead-letter', 'drop'], default: 'dead-letter' },
    configPolicy: { enum: ['per-route', 'all-or-nothing'], default: 'per-route' },
    batch: {
      type: 'object',
      additionalProperties: false,
      properties: { size: { type: 'integer', minimum: 1, default: 500 }, lingerMs: { type: 'integer', minimum: 0, default: 20 } },
    },
    batchSizes: { type: 'object', additionalProperties: { type: 'integer', minimum: 1 } },
    maxInFlight: { type: 'integer', minimum: 1, default: 10000 },
    maxEventBytes: { type: 'integer', minimum: 1, default: 1048576 },
    createTimeoutMs: { type: 'integer', minimum: 1, default: 10000 },
    stopTimeoutMs: { type: 'integer', minimum: 1, default: 30000 },
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    admin: adminConfigSchema,
  },
} as const;

/** One adapter in a run config: its type name, the package providing it, and its own options. */
export interface AdapterSpec {
  readonly type: string;
  readonly package?: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

/** A run config after schema validation: what `evroute run` builds a router from. */
export interface RunConfig {
  readonly source: AdapterSpec;
  readonly config: AdapterSpec;
  readonly sinks?: Readonly<Record<string, AdapterSpec>>;
  readonly deadLetter?: AdapterSpec;
  readonly outputs?: Readonly<Record<string, { readonly sink: string; readonly target?: string }>>;
  readonly plugins?: {
    readonly modules?: readonly string[];
    readonly dir?: string;
    readonly cacheDir?: string;
    readonly trust?: { readonly policy: 'require-signature' | 'hash-only' | 'dev'; readonly publicKeys?: readonly string[] };
    readonly isolation?: 'in-process' | 'worker';
    readonly maxReloads?: number;
    readonly keepVersions?: number;
  };
  readonly services?: Readonly<Record<string, AdapterSpec>>;
  readonly unmatched?: 'dead-letter' | 'drop';
  readonly configPolicy?: 'per-route' | 'all-or-nothing';
  readonly batch?: { readonly size?: number; readonly lingerMs?: number };
  readonly batchSizes?: Readonly<Record<string, number>>;
  readonly maxInFlight?: number;
  readonly maxEventBytes?: number;
  readonly createTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
  readonly logLevel?: string;
  /** The admin server of `evroute run` (on unless `enabled` is false); see docs/guides/operations.md. */
  readonly admin?: AdminConfig;
}
