/**
 * The logger the adapters accept: the subset of a pino logger they call. Pass the host's pino logger
 * (or a child of it); the adapters never print to the console and never log passwords.
 */
import type { PluginLogger } from '@evroute/core';

/** A pino-compatible logger: `logger.warn({ table, err }, 'message')`. */
export type Logger = Pick<PluginLogger, 'debug' | 'info' | 'warn' | 'error'>;

/** Discards everything; the default when no logger is passed. */
export const silentLogger: Logger = Object.freeze({
  debug(): void {},
  info(): void {},
  warn(): void {},
  error(): void {},
});
