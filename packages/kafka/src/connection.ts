/**
 * How the adapters reach a Kafka cluster: brokers, TLS and SASL (the seed's `kafka.bootstrap.servers`,
 * `kafka.username`, `kafka.password`), timeouts, and which client implementation to use.
 */
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { KafkaClient } from './client.js';
import { kafkaError } from './errors.js';
import type { KafkaLogger } from './logger.js';

/** SASL credentials. `plain` and the SCRAM mechanisms; `plain` needs TLS on any untrusted network. */
export interface KafkaSaslOptions {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

/** TLS settings passed to `tls.connect` (PEM strings or buffers). */
export type KafkaTlsOptions = Pick<
  TlsConnectionOptions,
  'ca' | 'cert' | 'key' | 'passphrase' | 'rejectUnauthorized' | 'servername'
>;

/** The client's own log chatter forwarded to {@link KafkaConnectionOptions.logger}, at this level or above. */
export type ClientLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

/** Connection options shared by every Kafka adapter. */
export interface KafkaConnectionOptions {
  /** Bootstrap brokers, `host:port` each (the seed's `kafka.bootstrap.servers`, split on commas). */
  readonly brokers: readonly string[];
  /** Client id the broker sees in its logs and quotas; default `evroute`. */
  readonly clientId?: string;
  /** `true` for TLS with the system CAs, or explicit TLS options. Default: plaintext. */
  readonly ssl?: boolean | KafkaTlsOptions;
  /** SASL credentials (the seed's `kafka.username` / `kafka.password`). Default: none. */
  readonly sasl?: KafkaSaslOptions;
  /** TCP connect timeout per broker, ms; default 3000. */
  readonly connectionTimeoutMs?: number;
  /** Timeout of one request, ms; default 30000. */
  readonly requestTimeoutMs?: number;
  /** pino-compatible logger; default silent. */
  readonly logger?: KafkaLogger;
  /** Level of the client's own messages forwarded to `logger`; default `warn`. */
  readonly clientLogLevel?: ClientLogLevel;
  /**
   * Makes the client the adapter talks through (the seam, see `client.ts`). Default: the kafkajs client,
   * `createKafkajsClient`. Tests wrap it; a faster client replaces it.
   */
  readonly clientFactory?: (connection: KafkaConnectionOptions) => KafkaClient;
}

const BROKER = /^[^\s:/]+:\d{1,5}$/;
const MECHANISMS = new Set(['plain', 'scram-sha-256', 'scram-sha-512']);

/** Throws `EVR_ERR_KAFKA_OPTIONS_INVALID` naming the first bad connection option; never echoes a password. */
export function validateConnection(options: KafkaConnectionOptions, adapter: string): void {
  const fail = (what: string): never => {
    throw kafkaError('EVR_ERR_KAFKA_OPTIONS_INVALID', `${adapter}: ${what}`, { context: { adapter } });
  };
  if (!Array.isArray(options.brokers) || options.brokers.length === 0) {
    fail('`brokers` must be a non-empty array of "host:port" strings');
  }
  for (const broker of options.brokers) {
    if (typeof broker !== 'string' || !BROKER.test(broker)) fail(`broker ${JSON.stringify(broker)} is not "host:port"`);
  }
  const sasl = options.sasl;
  if (sasl !== undefined) {
    if (typeof sasl !== 'object' || sasl === null || !MECHANISMS.has(sasl.mechanism)) {
      fail('`sasl.mechanism` must be one of plain, scram-sha-256, scram-sha-512');
    } else if (typeof sasl.username !== 'string' || sasl.username === '' || typeof sasl.password !== 'string') {
      fail('`sasl.username` must be a non-empty string and `sasl.password` a string');
    }
  }
  for (const key of ['connectionTimeoutMs', 'requestTimeoutMs'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) fail(`\`${key}\` must be a positive number`);
  }
}

/** What may be logged about a connection: no password, no key material. */
export function describeConnection(options: KafkaConnectionOptions): Record<string, unknown> {
  return {
    brokers: options.brokers,
    clientId: options.clientId ?? 'evroute',
    ssl: options.ssl !== undefined && options.ssl !== false,
    sasl: options.sasl?.mechanism ?? 'none',
  };
}

/** Positive number option or its default; throws `EVR_ERR_KAFKA_OPTIONS_INVALID` otherwise. */
export function positive(value: number | undefined, fallback: number, name: string, adapter: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw kafkaError('EVR_ERR_KAFKA_OPTIONS_INVALID', `${adapter}: \`${name}\` must be a positive number, got ${String(value)}`);
  }
  return value;
}
