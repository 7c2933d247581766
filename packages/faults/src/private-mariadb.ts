/**
 * A MariaDB server of the suite's own: `mariadb-install-db` into a temp folder, then `mariadbd` as a
 * child process on a free loopback port. Only this server is ever stopped, frozen or restarted; the
 * shared MariaDB on 3306 is never touched. Routers connect as `evroute` with a canary password (the
 * secrets check looks for it in every log line); the suite itself connects as root without one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { LogCapture } from './log-capture.js';
import { freePort, runTool, waitUntil } from './processes.js';

const MARIADBD = '/usr/sbin/mariadbd';

/** The canary password's recognisable prefix. */
export const CANARY_PREFIX = 'evrCanaryPw';

/** One private MariaDB server. */
export class PrivateMariaDb {
  /** The password of the `evroute` user: a canary that must never appear in a log line. */
  readonly password = `${CANARY_PREFIX}${randomBytes(9).toString('hex')}`;
  readonly #logs: LogCapture;
  #dir = '';
  #port = 0;
  #process: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #frozen = false;
  #exitHook = (): void => {
    if (this.#frozen) this.#process?.kill('SIGCONT');
    this.#process?.kill('SIGKILL');
  };

  constructor(logs: LogCapture) {
    this.#logs = logs;
  }

  get port(): number {
    return this.#port;
  }

  /** The mysqld pid (for the report); undefined while stopped. */
  get pid(): number | undefined {
    return this.#process?.pid;
  }

  /** `mysql://…` for `database`: as `evroute` (canary password) or as root. */
  url(database: string, as: 'evroute' | 'root' = 'evroute'): string {
    const auth = as === 'root' ? 'root' : `evroute:${this.password}`;
    return `mysql://${auth}@127.0.0.1:${this.#port}/${database}`;
  }

  /** Creates the data folder, starts the server and the `evroute` user. */
  async start(): Promise<void> {
    this.#dir = await mkdtemp(join(tmpdir(), 'evroute-faults-mariadb-'));
    await runTool('mariadb-install-db', ['--no-defaults', `--datadir=${join(this.#dir, 'data')}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--user=root'], this.#logs, 60_000);
    this.#port = await freePort();
    process.on('exit', this.#exitHook);
    await this.restart();
    const root = await createConnection({ host: '127.0.0.1', port: this.#port, user: 'root' });
    try {
      await root.query(`CREATE USER 'evroute'@'%' IDENTIFIED BY ${root.escape(this.password)}`);
      await root.query(`CREATE USER 'evroute'@'localhost' IDENTIFIED BY ${root.escape(this.password)}`);
      await root.query(`GRANT ALL PRIVILEGES ON *.* TO 'evroute'@'%'`);
      await root.query(`GRANT ALL PRIVILEGES ON *.* TO 'evroute'@'localhost'`);
    } finally {
      await root.end();
    }
  }

  /** Starts `mariadbd` on the existing data folder and waits until it answers (after `stop`). */
  async restart(): Promise<void> {
    const dir = this.#dir;
    const child = spawn(
      MARIADBD,
      [
        '--no-defaults', `--datadir=${join(dir, 'data')}`, `--port=${this.#port}`, `--socket=${join(dir, 'mysqld.sock')}`,
        '--bind-address=127.0.0.1', '--user=root', '--innodb-buffer-pool-size=64M', '--skip-log-bin', `--pid-file=${join(dir, 'mysqld.pid')}`,
        '--max-connections=300', '--innodb-flush-log-at-trx-commit=1',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.#process = child;
    this.#frozen = false;
    child.stdout?.on('data', (chunk: Buffer) => this.#logs.write('mariadbd', chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.#logs.write('mariadbd', chunk));
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let gone = false;
    void this.#exited.then(() => {
      gone = true;
    });
    await waitUntil(
      async () => {
        if (gone) throw new Error(`mariadbd exited during startup (see ${this.#logs.file})`);
        const c = await createConnection({ host: '127.0.0.1', port: this.#port, user: 'root', connectTimeout: 1_000 });
        await c.end();
        return true;
      },
      { timeoutMs: 60_000, what: `the private MariaDB on port ${this.#port} answers` },
    );
  }

  /** SIGTERM (a clean shutdown) and waits for the exit; SIGKILL after 60 s. */
  async stop(): Promise<void> {
    const child = this.#process;
    if (child === undefined) return;
    if (this.#frozen) this.thaw();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    await this.#exited;
    clearTimeout(timer);
    this.#process = undefined;
  }

  /** Kills every connection of the `evroute` user (KILL CONNECTION from a root session); resolves how many. */
  async killConnections(): Promise<number> {
    const root = await createConnection({ host: '127.0.0.1', port: this.#port, user: 'root', connectTimeout: 2_000 });
    try {
      const [rows] = await root.query("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'evroute'");
      const ids = (rows as { ID: unknown }[]).map((r) => Number(r.ID));
      for (const id of ids) await root.query(`KILL CONNECTION ${id}`).catch(() => undefined); // it may have ended meanwhile
      return ids.length;
    } finally {
      await root.end();
    }
  }

  /** SIGSTOP: the server keeps its sockets but answers nothing. */
  freeze(): void {
    this.#process?.kill('SIGSTOP');
    this.#frozen = true;
  }

  /** SIGCONT after {@link freeze}. */
  thaw(): void {
    this.#process?.kill('SIGCONT');
    this.#frozen = false;
  }

  /** Stops the server and removes its data. */
  async close(): Promise<void> {
    await this.stop();
    process.off('exit', this.#exitHook);
    if (this.#dir !== '') await rm(this.#dir, { recursive: true, force: true });
  }
}
