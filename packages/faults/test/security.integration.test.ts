// Security (catalogue F32, F33): the admin API of a live router refuses mutating calls without the
// right token (401) and never leaks a stack trace; secrets never reach a log line, even on the error
// paths of bad MariaDB credentials and of Kafka SASL against a broker that does not speak it. Every
// line this file captured (router processes, private servers, the suite itself) is scanned when the
// lab closes; every other test file scans its own lines for the MariaDB canary password the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminChecks, canary, failingRouter } from '../src/security-checks.js';
import { brokenInvariants, openLab, runFault, RunDatabase, type Lab } from '../src/index.js';

let lab: Lab;
beforeAll(async () => {
  lab = await openLab({ testFile: 'packages/faults/test/security.integration.test.ts', privateKafka: false });
}, 180_000);
afterAll(async () => {
  await lab?.close(); // throws if any captured line holds a secret
}, 120_000);

describe('security: admin API and secrets', () => {
  it('admin API: 401 without or with a wrong token, loopback only, no stack traces', async () => {
    const token = canary('Token');
    lab.addSecret(token);
    expect(brokenInvariants(await runFault(lab, adminChecks('admin API without a token', token), 0))).toEqual([]);
  }, 300_000);

  it('secrets from mysql.url and Kafka SASL never reach a log line, also when authentication fails', async () => {
    const password = canary('MysqlPw');
    const username = canary('SaslUser');
    const saslPassword = canary('SaslPw');
    for (const secret of [password, username, saslPassword]) lab.addSecret(secret);
    const before = lab.logs.lines.length;
    const badMysql = await failingRouter(lab, { mysqlUrl: `mysql://evroute_nobody:${password}@127.0.0.1:${lab.mariadb.port}/mysql` });
    expect(badMysql).toMatch(/could not start/);
    const db = await RunDatabase.create(lab.mariadb, `faults_sasl_${Date.now().toString(36)}`);
    try {
      const badSasl = await failingRouter(lab, { mysqlUrl: db.routerUrl, sasl: { mechanism: 'plain', username, password: saslPassword } });
      expect(badSasl).toMatch(/could not start/);
    } finally {
      await db.close(true);
    }
    // The error paths ran and were logged (and the scan below reads those very lines).
    const lines = lab.logs.lines.slice(before).map((l) => l.line).join('\n');
    expect(lines).toMatch(/Access denied|ACCESS_DENIED/);
    expect(lines).toMatch(/SASL|sasl|KAFKA_AUTH|KAFKA_CONNECT/);
    expect(lab.leakedSecrets()).toEqual([]);
  }, 300_000);
});
