/**
 * The plugins a router can use: several versions of one plugin may be loaded at once. Routes name a
 * processor by plugin name, alias (such as the original Java class name) or `name@range`; the newest
 * version that satisfies the range wins.
 */
import semver from 'semver';
import { EvrouteError } from './errors.js';
import { compilePureSchema, compileSchema, describeErrors } from './json-schema.js';
import type { Plugin } from './plugin.js';
import { CORE_VERSION } from './version.js';
import type { ValidateFunction } from 'ajv';

/** A registered plugin with its validators compiled once. */
export interface RegisteredPlugin {
  readonly plugin: Plugin;
  /** `name@version`. */
  readonly id: string;
  readonly validateConfig: ValidateFunction | undefined;
  readonly validatePayload: ValidateFunction | undefined;
}

const manifestSchema = {
  type: 'object',
  required: ['name', 'version', 'core', 'create'],
  properties: {
    name: { type: 'string', pattern: '^(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*$', maxLength: 214 },
    version: { type: 'string', minLength: 1 },
    core: { type: 'string', minLength: 1 },
    aliases: { type: 'array', items: { type: 'string', minLength: 1 } },
    configSchema: { type: 'object' },
    payloadSchema: { type: 'object' },
    outputs: { type: 'object' },
  },
} as const;
const validateManifest = compileSchema(manifestSchema);

/**
 * Checks a candidate manifest (anything a module default-exported) and compiles its schemas. Throws a
 * coded `EVR_ERR_PLUGIN_INVALID_MANIFEST` error saying what is wrong.
 */
export function checkPlugin(candidate: unknown, coreVersion: string = CORE_VERSION): RegisteredPlugin {
  const fail = (why: string): never => {
    throw new EvrouteError('EVR_ERR_PLUGIN_INVALID_MANIFEST', `invalid plugin manifest: ${why}`);
  };
  if (!validateManifest(candidate)) fail(describeErrors(validateManifest.errors));
  const plugin = candidate as Plugin;
  if (typeof plugin.create !== 'function') fail('create must be a function');
  if (!semver.valid(plugin.version)) fail(`version '${plugin.version}' is not a semver version`);
  if (!semver.validRange(plugin.core)) fail(`core '${plugin.core}' is not a semver range`);
  if (!semver.satisfies(coreVersion, plugin.core, { includePrerelease: true })) {
    throw new EvrouteError(
      'EVR_ERR_PLUGIN_CORE_RANGE',
      `plugin ${plugin.name}@${plugin.version} needs @evroute/core ${plugin.core}, this is ${coreVersion}`,
      { context: { plugin: plugin.name, pluginVersion: plugin.version, reason: 'core-range' } },
    );
  }
  let validateConfig: ValidateFunction | undefined;
  let validatePayload: ValidateFunction | undefined;
  try {
    validateConfig = plugin.configSchema ? compileSchema(plugin.configSchema) : undefined;
    // Payloads are shared by every route of an event: validating one must not fill in defaults.
    validatePayload = plugin.payloadSchema ? compilePureSchema(plugin.payloadSchema) : undefined;
  } catch (error) {
    fail(`schema does not compile: ${(error as Error).message}`);
  }
  return { plugin, id: `${plugin.name}@${plugin.version}`, validateConfig, validatePayload };
}

/** Splits `name@range` (scoped names keep their leading `@`). */
export function parseProcessorRef(ref: string): { name: string; range: string | undefined } {
  const at = ref.lastIndexOf('@');
  if (at <= 0) return { name: ref, range: undefined };
  return { name: ref.slice(0, at), range: ref.slice(at + 1) };
}

/** Holds the loaded plugins by name and version, and their aliases. */
export class PluginRegistry {
  readonly #byName = new Map<string, RegisteredPlugin[]>();
  readonly #aliases = new Map<string, string>();
  readonly #listeners = new Set<() => void>();

  /** Registers a plugin version (replacing the same name@version). Returns what was registered. */
  register(candidate: unknown): RegisteredPlugin {
    const entry = checkPlugin(candidate);
    const { name, version, aliases = [] } = entry.plugin;
    const versions = (this.#byName.get(name) ?? []).filter((p) => p.plugin.version !== version);
    versions.push(entry);
    versions.sort((a, b) => semver.rcompare(a.plugin.version, b.plugin.version));
    this.#byName.set(name, versions);
    for (const alias of aliases) this.#aliases.set(alias, name);
    this.#changed();
    return entry;
  }

  /** Removes one version, or every version when `version` is omitted. True when something was removed. */
  unregister(name: string, version?: string): boolean {
    const versions = this.#byName.get(name);
    if (!versions) return false;
    const kept = version === undefined ? [] : versions.filter((p) => p.plugin.version !== version);
    if (kept.length === versions.length) return false;
    if (kept.length > 0) this.#byName.set(name, kept);
    else {
      this.#byName.delete(name);
      for (const [alias, target] of this.#aliases) if (target === name) this.#aliases.delete(alias);
    }
    this.#changed();
    return true;
  }

  /**
   * The plugin a route's `processor` names: by name, alias or `name@range`, newest matching version.
   * `undefined` when nothing matches.
   */
  resolve(ref: string): RegisteredPlugin | undefined {
    const { name, range } = parseProcessorRef(ref);
    const versions = this.#byName.get(name) ?? this.#byName.get(this.#aliases.get(name) ?? '');
    if (!versions) return undefined;
    if (range === undefined || range === '' || range === 'latest') return versions[0];
    return versions.find((p) => semver.satisfies(p.plugin.version, range, { includePrerelease: true }));
  }

  /** Every registered plugin version, newest first per name. */
  list(): RegisteredPlugin[] {
    return [...this.#byName.values()].flat();
  }

  /** Calls `listener` after every register/unregister. Returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
