/**
 * The logger the Kafka adapters write to: the subset of a pino logger they use. Pass a pino child logger
 * (`logger.child({ component: 'kafka' })`); without one the adapters log nothing. They never write to
 * the console, and they never log connection secrets.
 */

/** A pino-compatible logger. */
export interface KafkaLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  isLevelEnabled(level: string): boolean;
}

const noop = (): void => {};

/** A logger that drops everything; the default when no logger is passed. */
export const silentLogger: KafkaLogger = Object.freeze({
  error: noop,
  warn: noop,
  info: noop,
  debug: noop,
  isLevelEnabled: () => false,
});
