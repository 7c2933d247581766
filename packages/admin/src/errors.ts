/**
 * The error catalogue of `@evroute/admin`. The admin HTTP API answers every error as
 * `{ "error": { "code", "message" } }` with one of these codes (never a stack trace); the admin client
 * and the `evroute status|routes|plugins` commands raise them too. Identify errors by `code`
 * (`isEvrouteError` from `@evroute/core`), never by `instanceof`.
 */
import { EvrouteError, type ErrorContext } from '@evroute/core';

/** What each code means and whether retrying the same operation can succeed. */
export const adminErrors = {
  EVR_ERR_ADMIN_OPTIONS_INVALID: { retriable: false, text: 'admin options are invalid (port, alert thresholds, webhook URL)' },
  EVR_ERR_ADMIN_LISTEN_FAILED: { retriable: true, text: 'the admin server cannot listen on its host and port (in use, or not allowed)' },
  EVR_ERR_ADMIN_UNAUTHORIZED: { retriable: false, text: 'a mutating admin request has no bearer token or a wrong one' },
  EVR_ERR_ADMIN_TOKEN_NOT_SET: { retriable: false, text: 'mutating admin requests are disabled because no admin token is configured' },
  EVR_ERR_ADMIN_NOT_FOUND: { retriable: false, text: 'the admin API has no such endpoint' },
  EVR_ERR_ADMIN_METHOD_NOT_ALLOWED: { retriable: false, text: 'the admin endpoint exists but not for this HTTP method' },
  EVR_ERR_ADMIN_ROUTE_UNKNOWN: { retriable: false, text: 'no route with this id is in the live routing table (nor paused)' },
  EVR_ERR_ADMIN_RELOAD_FAILED: { retriable: true, text: 'the config source failed to reload; the last good routing table keeps serving' },
  EVR_ERR_ADMIN_INTERNAL: { retriable: true, text: 'the admin server failed while answering; details are in its log' },
  EVR_ERR_ADMIN_UNREACHABLE: { retriable: true, text: 'the admin API cannot be reached at the given URL' },
  EVR_ERR_ADMIN_BAD_RESPONSE: { retriable: false, text: 'the admin API answered with something that is not the expected JSON' },
} as const satisfies Record<`EVR_ERR_ADMIN_${string}`, { retriable: boolean; text: string }>;

/** A code of the admin catalogue. */
export type AdminErrorCode = keyof typeof adminErrors;

/** Makes an {@link EvrouteError} with an admin code; `retriable` comes from the catalogue. */
export function adminError(code: AdminErrorCode, message: string, options: { cause?: unknown; context?: ErrorContext } = {}): EvrouteError {
  return new EvrouteError(code, message, { retriable: adminErrors[code].retriable, ...options });
}

/** The HTTP status the admin API answers each code with. Codes of other catalogues answer 500. */
export const httpStatusOf: Readonly<Record<AdminErrorCode, number>> = {
  EVR_ERR_ADMIN_OPTIONS_INVALID: 400,
  EVR_ERR_ADMIN_LISTEN_FAILED: 500,
  EVR_ERR_ADMIN_UNAUTHORIZED: 401,
  EVR_ERR_ADMIN_TOKEN_NOT_SET: 403,
  EVR_ERR_ADMIN_NOT_FOUND: 404,
  EVR_ERR_ADMIN_METHOD_NOT_ALLOWED: 405,
  EVR_ERR_ADMIN_ROUTE_UNKNOWN: 404,
  EVR_ERR_ADMIN_RELOAD_FAILED: 502,
  EVR_ERR_ADMIN_INTERNAL: 500,
  EVR_ERR_ADMIN_UNREACHABLE: 502,
  EVR_ERR_ADMIN_BAD_RESPONSE: 502,
};
