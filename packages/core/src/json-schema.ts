/**
 * One ajv instance for the core. Validators are compiled when a plugin or config is registered, never
 * per event (fastify's build-validation rule).
 */
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';

/** ajv with defaults applied (config schemas fill their defaults) and all errors reported. */
export const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, coerceTypes: false });

/** ajv that never changes the data it validates: for event payloads shared by several routes. */
const pureAjv = new Ajv({ allErrors: true, useDefaults: false, strict: false, coerceTypes: false });

/** Compiles a schema whose validation must not modify the data (no defaults filled in). */
export function compilePureSchema<T = unknown>(schema: object): ValidateFunction<T> {
  return pureAjv.compile<T>(schema);
}

/** Compiles a schema; throws ajv's own error when the schema itself is invalid. */
export function compileSchema<T = unknown>(schema: object): ValidateFunction<T> {
  return ajv.compile<T>(schema);
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
