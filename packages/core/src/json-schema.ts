/**
 * One ajv instance for the core. Validators are compiled when a plugin or config is registered, never
 * per event (fastify's build-validation rule).
 */
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import { stableStringify } from './stable-hash.js';

/** ajv with defaults applied (config schemas fill their defaults) and all errors reported. */
export const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, coerceTypes: false });

/** ajv that never changes the data it validates: for event payloads shared by several routes. */
const pureAjv = new Ajv({ allErrors: true, useDefaults: false, strict: false, coerceTypes: false });

/** Compiles a schema whose validation must not modify the data (no defaults filled in). */
export function compilePureSchema<T = unknown>(schema: object): ValidateFunction<T> {
  return cachedCompile<T>(compiledPure, pureAjv, schema);
}

// ajv caches compiled validators by schema object identity, so each registration of a freshly parsed
// schema (a hot-loaded bundle) would keep one more compiled validator forever. Caching by the schema's
// text instead makes an identical schema compile once, however many bundles bring it.
const compiled = new Map<string, ValidateFunction>();
const compiledPure = new Map<string, ValidateFunction>();

function cachedCompile<T>(cache: Map<string, ValidateFunction>, instance: Ajv, schema: object): ValidateFunction<T> {
  const key = stableStringify(schema);
  let validate = cache.get(key);
  if (!validate) {
    validate = instance.compile(schema);
    cache.set(key, validate);
  }
  return validate as ValidateFunction<T>;
}

/** Compiles a schema (once per distinct schema text); throws ajv's own error when the schema is invalid. */
export function compileSchema<T = unknown>(schema: object): ValidateFunction<T> {
  return cachedCompile<T>(compiled, ajv, schema);
}

/** ajv errors as one readable line, each pointing at the bad key: `/batch_size must be integer`. */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'invalid';
  return errors
    .map((e) => {
      const at = e.instancePath || '/';
      const extra = e.keyword === 'additionalProperties' ? ` '${String(e.params['additionalProperty'])}'` : '';
      return `${at} ${e.message ?? 'is invalid'}${extra}`;
    })
    .join('; ');
}
