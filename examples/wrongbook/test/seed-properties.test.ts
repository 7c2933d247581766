// The seed's application.properties, as shipped (the guide's blocks verbatim, local addresses), mapped
// onto the production settings: every key, the caveats as warnings, unknown keys warned, no secret shown.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSigningKeys, isEvrouteError } from '@evroute/core';
import { APPLICATION_PROPERTIES, EVROUTE_KEYS, loadSeedProperties, readSeedProperties, SEED_KEYS } from '../src/index.js';
import { ADDRESS_SUBSTITUTIONS, SEED_APPLICATION_PROPERTIES, SEED_FAULT_ISOLATION_PROPERTIES, SEED_HOT_DEPLOY_PROPERTIES } from './fixtures/seed.js';

const shipped = readFileSync(APPLICATION_PROPERTIES, 'utf8');

describe('config/application.properties', () => {
  it("is the guide's three blocks verbatim, with only the addresses changed", () => {
    let expected = [SEED_APPLICATION_PROPERTIES, SEED_HOT_DEPLOY_PROPERTIES, SEED_FAULT_ISOLATION_PROPERTIES].join('\n');
    for (const [from, to] of ADDRESS_SUBSTITUTIONS) expected = expected.replace(from, to);
    expect(shipped).toContain(expected);
  });
});

describe('loadSeedProperties', () => {
  it('maps every key of the shipped file onto the native settings', () => {
    const { settings, warnings, mapped } = loadSeedProperties(shipped, { baseDir: '/srv/app', overrides: { 'hot.deploy.trust.policy': 'hash-only' } });
    expect(settings.kafka).toEqual({
      brokers: ['localhost:9092'],
      sasl: { mechanism: 'plain', username: 'your_username', password: 'your_password' },
      topic: 'wrongbook-events',
      groupId: 'evroute-wrongbook',
      partitionsConsumedConcurrently: 4,
      commitIntervalMs: 60_000,
    });
    expect(settings.stopTimeoutMs).toBe(30_000);
    expect(settings.mysql).toEqual({ url: 'jdbc:mysql://127.0.0.1:3306/shuxue', user: 'zstt_server', password: '******' });
    expect(settings.routing).toEqual({
      connection: { url: 'jdbc:mysql://localhost:3306/config_db', user: 'zstt_server', password: '******' },
      table: 'routing_configs',
      intervalMs: 30_000,
    });
    expect(settings.statsIntervalMs).toBe(60_000);
    expect(settings.plugins).toEqual({
      builtIn: false,
      hotDeploy: { dir: '/srv/app/.evroute/production/plugins', trust: { policy: 'hash-only', publicKeys: [] }, rescanIntervalMs: 30_000 },
    });
    expect(settings.faultIsolation).toEqual({ breaker: { failureThreshold: 5, successThreshold: 3, openMs: 30_000 }, fallback: 'dead-letter' });
    expect(settings.deadLetter).toEqual({ type: 'mysql', table: 'evroute_dead_letter' });
    // Every key of the file is accounted for: mapped, and the only warning is the missing Aliyun reporter.
    const keys = Object.keys(Object.fromEntries(shipped.split('\n').filter((l) => /^[a-z]/.test(l)).map((l) => [l.split('=')[0], 1])));
    expect(new Set(mapped.map((m) => m.key))).toEqual(new Set([...keys, 'hot.deploy.trust.policy']));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/metrics\.reporter\.type=aliyun: evroute has no aliyun reporter/);
  });

  it("gives the routing database the URL's own credentials, else mysql.username/password", () => {
    const own = loadSeedProperties(`${SEED_APPLICATION_PROPERTIES}\nrouting.config.database.url=jdbc:mysql://cfg:3306/config_db?user=router&password=r\n`);
    expect(own.settings.routing.connection).toMatchObject({ user: 'router', password: 'r' });
    expect(own.settings.mysql).toMatchObject({ user: 'zstt_server', password: '******' });
  });

  it('never shows a secret in the mapping or the warnings', () => {
    const { mapped, warnings } = loadSeedProperties(`${shipped}\nmysql.url=jdbc:mysql://u:hunter2@db:3306/x\n`, { overrides: { 'kafka.password': 'sekret' } });
    const text = JSON.stringify({ mapped, warnings });
    for (const secret of ['hunter2', 'sekret', '******']) expect(text).not.toContain(secret);
    expect(mapped.find((m) => m.key === 'kafka.password')?.value).toBe('***');
  });

  it('warns about unknown keys, including unknown fault.isolation.* keys, and ignores them', () => {
    const { warnings } = loadSeedProperties(`${SEED_APPLICATION_PROPERTIES}\nflink.state.backend=rocksdb\nfault.isolation.bulkhead=8\n`);
    expect(warnings.filter((w) => w.startsWith('unknown key'))).toEqual([
      expect.stringContaining('flink.state.backend'),
      expect.stringContaining('fault.isolation.bulkhead'),
    ]);
  });

  it('maps a jar path to its folder, with a warning saying so', () => {
    const { settings, warnings } = loadSeedProperties(SEED_HOT_DEPLOY_PROPERTIES + SEED_APPLICATION_PROPERTIES, { overrides: { 'hot.deploy.trust.policy': 'dev' } });
    expect(settings.plugins.hotDeploy?.dir).toBe(resolve('/path/to'));
    expect(warnings).toContainEqual(expect.stringContaining('hot.deploy.jar.path names a jar (processor-jar.jar)'));
  });

  it('reads public keys for require-signature, and warns when there are none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wrongbook-keys-'));
    writeFileSync(join(dir, 'ops.pub'), generateSigningKeys().publicKey);
    const signed = loadSeedProperties(`${shipped}\nhot.deploy.trust.public.keys=ops.pub\n`, { baseDir: dir });
    expect(signed.settings.plugins.hotDeploy?.trust.policy).toBe('require-signature');
    expect(signed.settings.plugins.hotDeploy?.trust.publicKeys).toHaveLength(1);
    expect(loadSeedProperties(shipped).warnings).toContainEqual(expect.stringContaining('names no public key: the plugin loader will not start'));
  });

  it('takes --set overrides (an empty value unsets a key) and ${NAME} placeholders from the environment', () => {
    const text = `${SEED_APPLICATION_PROPERTIES}\nmysql.password=\${DB_PASSWORD}\nkafka.topic=\${TOPIC:wrongbook-events}\n`;
    const { settings } = loadSeedProperties(text, { overrides: { 'kafka.username': '', 'kafka.password': '', 'hot.deploy.enabled': 'false' }, env: { DB_PASSWORD: 'from-env' } });
    expect(settings.kafka.sasl).toBeUndefined();
    expect(settings.mysql.password).toBe('from-env');
    expect(settings.kafka.topic).toBe('wrongbook-events');
    expect(settings.plugins).toEqual({ builtIn: true });
    expect(() => loadSeedProperties(text)).toThrow(/mysql.password refers to \$\{DB_PASSWORD\}, which is not set/);
  });

  it('refuses values that cannot work, naming the key', () => {
    const cases: Array<[string, RegExp]> = [
      ['flink.parallelism=four', /flink.parallelism must be a positive integer/],
      ['routing.config.source.type=zookeeper', /routing.config.source.type 'zookeeper' is not supported/],
      ['mysql.url=postgres://x/y', /mysql.url .*is not a MySQL URL/],
      ['dead.letter.type=s3', /dead.letter.type must be mysql or kafka/],
    ];
    for (const [line, message] of cases) {
      const thrown = ((): unknown => {
        try {
          loadSeedProperties(`${SEED_APPLICATION_PROPERTIES}\n${line}\n`);
          return undefined;
        } catch (error) {
          return error;
        }
      })();
      expect(isEvrouteError(thrown) && thrown.code).toBe('EVR_ERR_OPTIONS_INVALID');
      expect((thrown as Error).message).toMatch(message);
    }
  });

  it('knows the seed keys of spec §7 and lists its own additions', () => {
    for (const key of ['kafka.bootstrap.servers', 'mysql.url', 'routing.config.source.type', 'hot.deploy.jar.path', 'metrics.reporter.type', 'flink.parallelism', 'flink.checkpoint.interval']) {
      expect(SEED_KEYS).toContain(key);
    }
    expect(EVROUTE_KEYS).toContain('kafka.topic');
    expect(readSeedProperties(APPLICATION_PROPERTIES).settings.mode).toBe('production');
  });
});
