/**
 * The seed's `application.properties` (shared/spec/wrongbook.md §7) read into the production mode's
 * native settings. Every key of the original deployment is mapped (the table is in
 * docs/guides/wrongbook.md, "The seed's application.properties"); keys evroute adds are listed in
 * `EVROUTE_KEYS`; any other key is reported in `warnings`, never silently ignored. Secret values never
 * appear in `mapped` or in a message.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { EvrouteError, isolationFromSeedProperties, type TrustPolicy } from '@evroute/core';
import type { KafkaSaslOptions } from '@evroute/kafka';
import { parseJdbcUrl, redactUrl, type MySqlConnectionOptions } from '@evroute/mysql';
import { parseProperties } from './properties-file.js';
import type { HotDeploySettings, ProductionSettings } from './settings.js';

/** The seed's own keys, besides `fault.isolation.*` (mapped by core's `isolationFromSeedProperties`). */
export const SEED_KEYS = [
  'flink.parallelism', 'flink.checkpoint.interval', 'flink.checkpoint.timeout',
  'kafka.bootstrap.servers', 'kafka.username', 'kafka.password',
  'mysql.url', 'mysql.username', 'mysql.password',
  'routing.config.source.type', 'routing.config.database.url', 'routing.config.database.table', 'routing.config.refresh.interval',
  'metrics.reporter.type', 'metrics.reporter.interval',
  'hot.deploy.enabled', 'hot.deploy.jar.path', 'hot.deploy.check.interval', 'hot.deploy.class.path',
] as const;

/** Keys evroute adds for what the seed configured elsewhere (in code or on the Flink cluster). */
export const EVROUTE_KEYS = [
  'kafka.topic', 'kafka.group.id', 'kafka.sasl.mechanism', 'kafka.ssl',
  'hot.deploy.trust.policy', 'hot.deploy.trust.public.keys',
  'dead.letter.type', 'dead.letter.table', 'dead.letter.topic',
] as const;

/** Defaults of the evroute keys. */
export const SEED_DEFAULTS = Object.freeze({
  topic: 'wrongbook-events',
  groupId: 'evroute-wrongbook',
  routingTable: 'routing_configs',
  refreshIntervalMs: 30_000,
  deadLetterTable: 'evroute_dead_letter',
  deadLetterTopic: 'wrongbook-events-dlq',
});

/** How a key was mapped, for logs: the value is redacted when secret. */
export interface MappedKey {
  readonly key: string;
  readonly value: string;
  /** Where it went, e.g. `kafka.brokers`. */
  readonly to: string;
}

/** The result of {@link loadSeedProperties}. */
export interface SeedProperties {
  readonly settings: Omit<ProductionSettings, 'logger'>;
  /** Unknown keys and keys mapped with a caveat; log each at warn. */
  readonly warnings: readonly string[];
  readonly mapped: readonly MappedKey[];
}

/** Options of {@link loadSeedProperties}. */
export interface SeedPropertiesOptions {
  /** Values that replace the file's (`--set key=value`); an empty value unsets a key. */
  readonly overrides?: Readonly<Record<string, string>>;
  /** Values of `${NAME}` / `${NAME:default}` placeholders in the file (e.g. `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Relative paths (the plugin folder, key files) resolve against it; default the working directory. */
  readonly baseDir?: string;
}

const SECRET = /password|secret|token/i;

function invalid(key: string, why: string): never {
  throw new EvrouteError('EVR_ERR_OPTIONS_INVALID', `application.properties: ${key} ${why}`, { context: { key } });
}

/** Replaces `${NAME}` and `${NAME:default}` with values from `env`; a missing one without default throws. */
function expand(key: string, value: string, env: Readonly<Record<string, string | undefined>>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_.]*)(?::([^}]*))?\}/g, (_, name: string, fallback: string | undefined) => {
    const found = env[name] ?? fallback;
    return found ?? invalid(key, `refers to \${${name}}, which is not set and has no default (\${${name}:default})`);
  });
}

/**
 * Maps the text of an `application.properties` onto {@link ProductionSettings}. Throws
 * `EVR_ERR_OPTIONS_INVALID` naming the key for a value that cannot work (a bad number, an unsupported
 * `routing.config.source.type`, a MySQL URL that does not parse, an unreadable key file).
 */
export function loadSeedProperties(text: string, options: SeedPropertiesOptions = {}): SeedProperties {
  const env = options.env ?? {};
  const props: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...parseProperties(text), ...options.overrides })) {
    const expanded = expand(key, value, env).trim();
    if (expanded !== '') props[key] = expanded;
  }
  const warnings: string[] = [];
  const mapped: MappedKey[] = [];
  const used = new Set<string>();
  const get = (key: string, to: string): string | undefined => {
    used.add(key);
    const value = props[key];
    if (value !== undefined) mapped.push({ key, value: SECRET.test(key) ? '***' : key.endsWith('url') ? redactUrl(value) : value, to });
    return value;
  };
  const int = (key: string, to: string): number | undefined => {
    const value = get(key, to);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value) || Number(value) <= 0) invalid(key, `must be a positive integer, got '${value}'`);
    return Number(value);
  };

  // Kafka: the source, the side-output topics and a Kafka dead-letter topic share this connection.
  const servers = get('kafka.bootstrap.servers', 'kafka.brokers') ?? 'localhost:9092';
  const brokers = servers.split(',').map((b) => b.trim()).filter(Boolean);
  const username = get('kafka.username', 'kafka.sasl.username');
  const password = get('kafka.password', 'kafka.sasl.password');
  const mechanism = (get('kafka.sasl.mechanism', 'kafka.sasl.mechanism') ?? 'plain') as KafkaSaslOptions['mechanism'];
  if (!['plain', 'scram-sha-256', 'scram-sha-512'].includes(mechanism)) invalid('kafka.sasl.mechanism', `must be plain, scram-sha-256 or scram-sha-512, got '${mechanism}'`);
  if ((username === undefined) !== (password === undefined)) warnings.push('kafka.username and kafka.password must be given together: connecting without SASL');
  const sasl = username !== undefined && password !== undefined ? { sasl: { mechanism, username, password } } : {};
  const ssl = get('kafka.ssl', 'kafka.ssl') === 'true' ? { ssl: true } : {};
  const kafkaTopic = get('kafka.topic', 'kafka.topic') ?? SEED_DEFAULTS.topic;
  const groupId = get('kafka.group.id', 'kafka.groupId') ?? SEED_DEFAULTS.groupId;
  const parallelism = int('flink.parallelism', 'kafka.partitionsConsumedConcurrently');
  const commitInterval = int('flink.checkpoint.interval', 'kafka.commitIntervalMs');
  const stopTimeout = int('flink.checkpoint.timeout', 'stopTimeoutMs');

  // MySQL: the business database, and by default the routing table's too.
  const mysql = connection('mysql.url', get('mysql.url', 'mysql.url'), get('mysql.username', 'mysql.user'), get('mysql.password', 'mysql.password'));
  const sourceType = get('routing.config.source.type', 'config: MySqlConfigSource') ?? 'database';
  if (sourceType !== 'database') invalid('routing.config.source.type', `'${sourceType}' is not supported by the production mode: use database (MySqlConfigSource over routing_configs)`);
  const routingUrl = get('routing.config.database.url', 'routing.connection.url');
  // The routing database's own credentials come from its URL; else it shares mysql.username/password.
  const routingConnection = routingUrl === undefined ? mysql : connection('routing.config.database.url', routingUrl, props['mysql.username'], props['mysql.password'], false);
  const routingTable = get('routing.config.database.table', 'routing.table') ?? SEED_DEFAULTS.routingTable;
  const refreshMs = int('routing.config.refresh.interval', 'routing.intervalMs') ?? SEED_DEFAULTS.refreshIntervalMs;

  // Metrics: no Aliyun reporter here; the router's counters are logged every interval instead.
  const reporter = get('metrics.reporter.type', 'stats log line') ?? 'none';
  const reportEvery = int('metrics.reporter.interval', 'statsIntervalMs');
  if (reporter !== 'none' && reporter !== 'log') {
    warnings.push(`metrics.reporter.type=${reporter}: evroute has no ${reporter} reporter; the router's counters are logged every metrics.reporter.interval ms instead (Prometheus: @evroute/admin's /metrics)`);
  }

  const hotDeploy = hotDeploySettings(get, int, options.baseDir ?? '.', warnings);
  get('hot.deploy.class.path', 'informational: plugins declare the Java class names as aliases');

  const deadLetterType = get('dead.letter.type', 'deadLetter.type') ?? 'mysql';
  if (deadLetterType !== 'mysql' && deadLetterType !== 'kafka') invalid('dead.letter.type', `must be mysql or kafka, got '${deadLetterType}'`);
  const table = get('dead.letter.table', 'deadLetter.table') ?? SEED_DEFAULTS.deadLetterTable;
  const topic = get('dead.letter.topic', 'deadLetter.topic') ?? SEED_DEFAULTS.deadLetterTopic;

  const isolation = isolationFromSeedProperties(props);
  for (const key of Object.keys(props).filter((k) => k.startsWith('fault.isolation.') && !isolation.unknown.includes(k))) {
    mapped.push({ key, value: props[key] as string, to: 'faultIsolation' });
  }
  for (const key of Object.keys(props)) {
    if (used.has(key) || (key.startsWith('fault.isolation.') && !isolation.unknown.includes(key))) continue;
    warnings.push(`unknown key ${key}: ignored (see docs/guides/wrongbook.md for the keys evroute reads)`);
  }

  const settings: Omit<ProductionSettings, 'logger'> = {
    mode: 'production',
    kafka: {
      brokers,
      ...sasl,
      ...ssl,
      topic: kafkaTopic,
      groupId,
      ...(parallelism === undefined ? {} : { partitionsConsumedConcurrently: parallelism }),
      ...(commitInterval === undefined ? {} : { commitIntervalMs: commitInterval }),
    },
    mysql,
    routing: { connection: routingConnection, table: routingTable, intervalMs: refreshMs },
    deadLetter: deadLetterType === 'mysql' ? { type: 'mysql', table } : { type: 'kafka', topic },
    plugins: hotDeploy ? { builtIn: false, hotDeploy } : { builtIn: true },
    faultIsolation: isolation.options,
    ...(stopTimeout === undefined ? {} : { stopTimeoutMs: stopTimeout }),
    ...(reporter === 'none' || reportEvery === undefined ? {} : { statsIntervalMs: reportEvery }),
  };
  return { settings, warnings, mapped };
}

/**
 * A MySQL connection from a `jdbc:mysql://` URL and separate credentials: these win over the URL's
 * (`mysql.username`), or, with `override` false, apply only where the URL has none.
 */
function connection(key: string, url: string | undefined, user: string | undefined, password: string | undefined, override = true): MySqlConnectionOptions {
  if (url === undefined) invalid(key, 'is required (jdbc:mysql://host:3306/database)');
  let parsed: ReturnType<typeof parseJdbcUrl>;
  try {
    parsed = parseJdbcUrl(url);
  } catch (error) {
    return invalid(key, (error as Error).message);
  }
  const u = override ? (user ?? parsed.user) : (parsed.user ?? user);
  const p = override ? (password ?? parsed.password) : (parsed.password ?? password);
  return { url, ...(u === undefined ? {} : { user: u }), ...(p === undefined ? {} : { password: p }) };
}

/** `hot.deploy.*`: the watched folder, its rescan interval and the trust policy; undefined when disabled. */
function hotDeploySettings(
  get: (key: string, to: string) => string | undefined,
  int: (key: string, to: string) => number | undefined,
  baseDir: string,
  warnings: string[],
): HotDeploySettings | undefined {
  const enabled = get('hot.deploy.enabled', 'PluginLoader on/off') === 'true';
  const path = get('hot.deploy.jar.path', 'plugins.hotDeploy.dir');
  const rescan = int('hot.deploy.check.interval', 'plugins.hotDeploy.rescanIntervalMs');
  const policy = (get('hot.deploy.trust.policy', 'plugins.hotDeploy.trust.policy') ?? 'require-signature') as TrustPolicy;
  const keyFiles = get('hot.deploy.trust.public.keys', 'plugins.hotDeploy.trust.publicKeys');
  if (!enabled) return undefined;
  if (path === undefined) invalid('hot.deploy.jar.path', 'is required when hot.deploy.enabled=true: the folder plugin bundles are dropped into');
  let dir = resolve(baseDir, path);
  if (path.endsWith('.jar')) {
    dir = dirname(dir);
    warnings.push(`hot.deploy.jar.path names a jar (${basename(path)}): evroute watches a folder of plugin bundles (evroute plugin pack), so it watches ${dir}`);
  }
  if (!['require-signature', 'hash-only', 'dev'].includes(policy)) invalid('hot.deploy.trust.policy', `must be require-signature, hash-only or dev, got '${policy}'`);
  const publicKeys = (keyFiles ?? '').split(',').map((f) => f.trim()).filter(Boolean).map((file) => {
    try {
      return readFileSync(resolve(baseDir, file), 'utf8');
    } catch (error) {
      return invalid('hot.deploy.trust.public.keys', `cannot read ${file}: ${(error as Error).message}`);
    }
  });
  if (policy === 'require-signature' && publicKeys.length === 0) {
    warnings.push('hot.deploy.trust.policy is require-signature (the default) but hot.deploy.trust.public.keys names no public key: the plugin loader will not start; add one (evroute plugin keygen), or set hot.deploy.trust.policy=hash-only for a folder only trusted people can write to');
  }
  return { dir, trust: { policy, publicKeys }, ...(rescan === undefined ? {} : { rescanIntervalMs: rescan }) };
}

/**
 * Reads and maps properties files (see {@link loadSeedProperties}); a key in a later file wins, so a
 * second file can hold local overrides. `baseDir` defaults to the working directory.
 */
export function readSeedProperties(paths: string | readonly string[], options: SeedPropertiesOptions = {}): SeedProperties {
  const texts = (typeof paths === 'string' ? [paths] : paths).map((path) => readFileSync(path, 'utf8'));
  return loadSeedProperties(texts.join('\n\n'), options);
}
