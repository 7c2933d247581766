/**
 * Security faults (catalogue F32, F33):
 *
 * - The admin API of a live router under load: mutating endpoints answer 401 without the token or with
 *   a wrong one (and 403 when no token is configured), never act, never return a stack trace; read
 *   endpoints work; the server listens on loopback only; a large body does not change that.
 * - Secrets never in logs: every router of the suite connects to MariaDB with a canary password (the lab
 *   scans every captured line when it closes); here, routers are also given credentials that fail,
 *   a canary password for a MariaDB user that does not exist and canary Kafka SASL credentials against
 *   a broker without SASL, so the error paths run, and their lines are scanned too.
 */
import { randomBytes } from 'node:crypto';
import { note } from './counters.js';
import { ROUTER_DEFAULTS, type FaultRun, type FaultSpec } from './fault-run.js';
import type { RouterProcessConfig } from './ipc.js';
import type { Lab } from './lab.js';
import { RouterChild } from './router-child.js';

/** A recognisable secret that must never be logged. */
export function canary(what: string): string {
  return `evrCanary${what}${randomBytes(9).toString('hex')}`;
}


interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: Headers;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

/** The admin API checks, run while the pipeline works (see the module comment). */
export function adminChecks(fault: string, token: string): FaultSpec {
  return {
    fault,
    router: { admin: { token } },
    async inject(run: FaultRun): Promise<void> {
      const [router] = run.routers;
      const base = router?.adminUrl;
      const expect = (ok: boolean, problem: string): void => {
        if (ok) return;
        run.counters.failures++;
        note(run.counters, problem);
      };
      if (base === undefined) {
        expect(false, 'the router reported no admin URL');
        return;
      }
      expect(new URL(base).hostname === '127.0.0.1', `the admin server listens on ${base}, not on loopback only`);
      const reload = `${base}/config/reload`;
      const pause = `${base}/routes/1/pause`;
      const noToken = await call(pause, { method: 'POST' });
      expect(noToken.status === 401 && /EVR_ERR_ADMIN_UNAUTHORIZED/.test(noToken.body), `POST /routes/1/pause without a token: ${noToken.status} ${noToken.body}`);
      expect((noToken.headers.get('www-authenticate') ?? '').startsWith('Bearer'), 'a 401 names the Bearer scheme');
      const wrong = await call(reload, { method: 'POST', headers: { authorization: `Bearer ${token}x` } });
      expect(wrong.status === 401, `POST /config/reload with a wrong token: ${wrong.status}`);
      const basic = await call(reload, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`admin:${token}`).toString('base64')}` } });
      expect(basic.status === 401, `POST /config/reload with the token as Basic auth: ${basic.status}`);
      const big = await call(pause, { method: 'POST', body: 'x'.repeat(4 * 1024 * 1024) });
      expect(big.status === 401, `a 4 MiB body without a token: ${big.status}`);
      const table = await router?.table();
      expect(table !== undefined && table.paused.length === 0 && table.routes.every((r) => r.live), `no refused request paused or changed a route: ${JSON.stringify(table?.paused)}`);
      for (const answer of [noToken, wrong, basic, big]) expect(!/\n\s+at /.test(answer.body), `an error body carries a stack trace: ${answer.body.slice(0, 200)}`);
      const status = await call(`${base}/status`);
      expect(status.status === 200, `GET /status (read-only, no token needed): ${status.status}`);
      const authorized = await call(pause, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(authorized.status === 200, `POST /routes/1/pause with the token: ${authorized.status} ${authorized.body}`);
      expect((await router?.table())?.paused.includes('1') === true, 'the authorized pause took effect');
      const resumed = await call(`${base}/routes/1/resume`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(resumed.status === 200, `POST /routes/1/resume with the token: ${resumed.status}`);
      run.faultOver();
    },
  };
}

/**
 * Starts a router process that cannot start (bad credentials), waits until it gave up and exited, and
 * returns why. Its log lines stay in the lab's capture for the secrets scan.
 */
export async function failingRouter(lab: Lab, overrides: Partial<RouterProcessConfig> & Pick<RouterProcessConfig, 'mysqlUrl'>): Promise<string> {
  const config: RouterProcessConfig = {
    ...ROUTER_DEFAULTS, name: `failing-${Date.now().toString(36)}`, brokers: lab.brokers, topic: 'faults_never_created', groupId: 'faults_never_joined',
    gates: {}, startTimeoutMs: 20_000, ...overrides,
  };
  const child = new RouterChild(config, lab.logs, () => 'release');
  const why = await child.ready().then(() => 'started', (error: unknown) => (error as Error).message);
  await child.stop(30_000);
  return why;
}
