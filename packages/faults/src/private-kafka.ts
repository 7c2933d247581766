/**
 * A Kafka broker of the suite's own, for the broker faults: `scripts/services.sh up` with a private
 * `EVROUTE_STATE` folder starts a separate KRaft broker on free ports (the shared broker is never
 * touched). To restart it on the same log folder and ports, the harness reads the broker's command line
 * from /proc before stopping it and runs that command again itself (services.sh has no restart), then
 * records the new pid in the state folder so `services.sh down` stops it.
 */
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import type { LogCapture } from './log-capture.js';
import { commandLineOf, pidExited, runTool, waitUntil } from './processes.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SERVICES = join(REPO_ROOT, 'scripts', 'services.sh');

/** One private broker (see the module comment). */
export class PrivateKafka {
  readonly #logs: LogCapture;
  #state = '';
  #brokers: string[] = [];
  #pid = 0;
  #argv: string[] = [];
  #logDir = '';
  #frozen = false;
  #exitHook = (): void => {
    if (this.#pid === 0 || pidExited(this.#pid)) return;
    if (this.#frozen) process.kill(this.#pid, 'SIGCONT');
    process.kill(this.#pid, 'SIGKILL');
  };

  constructor(logs: LogCapture) {
    this.#logs = logs;
  }

  get brokers(): string[] {
    return this.#brokers;
  }

  /** Starts the broker through services.sh (deadline 180 s: a cold JVM on a busy machine). */
  async up(): Promise<void> {
    this.#state = await mkdtemp(join(tmpdir(), 'evroute-faults-kafka-'));
    const env: NodeJS.ProcessEnv = { ...process.env, EVROUTE_STATE: this.#state, EVROUTE_MYSQL_URL: process.env['EVROUTE_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306' };
    delete env['EVROUTE_KAFKA_BROKERS'];
    delete env['EVROUTE_KAFKA_VERSION'];
    const out = await runTool('bash', [SERVICES, 'up'], this.#logs, 180_000, env);
    const line = out.split('\n').find((l) => l.startsWith('export EVROUTE_KAFKA_BROKERS='));
    if (line === undefined) throw new Error(`services.sh up printed no broker address (see ${this.#logs.file})`);
    this.#brokers = line.slice('export EVROUTE_KAFKA_BROKERS='.length).replace(/^'|'$/g, '').split(',');
    this.#pid = Number(readFileSync(join(this.#state, 'kafka.pid'), 'utf8').trim());
    this.#argv = commandLineOf(this.#pid);
    this.#logDir = join(readFileSync(join(this.#state, 'kafka.dir'), 'utf8').trim(), 'logs');
    process.on('exit', this.#exitHook);
  }

  /** SIGTERM (a clean shutdown) and waits until the JVM is gone; SIGKILL after 60 s. */
  async stop(): Promise<void> {
    if (this.#frozen) this.thaw();
    const pid = this.#pid;
    if (pidExited(pid)) return;
    process.kill(pid, 'SIGTERM');
    try {
      await waitUntil(() => pidExited(pid), { timeoutMs: 60_000, what: `the private broker (pid ${pid}) exits` });
    } catch {
      process.kill(pid, 'SIGKILL');
      await waitUntil(() => pidExited(pid), { timeoutMs: 10_000, what: `the private broker (pid ${pid}) dies` });
    }
  }

  /** SIGKILL (a crash: no clean shutdown, the log is recovered on the next start) and waits until it is gone. */
  async kill(): Promise<void> {
    if (this.#frozen) this.thaw();
    const pid = this.#pid;
    if (pidExited(pid)) return;
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => pidExited(pid), { timeoutMs: 10_000, what: `the private broker (pid ${pid}) dies` });
  }

  /** Starts the broker again with the same command (same log folder and ports) and waits until it serves. */
  async start(): Promise<void> {
    const [java, ...args] = this.#argv;
    if (java === undefined) throw new Error('the private broker was never started');
    const out = openSync(join(this.#logDir, 'stdout.log'), 'a');
    const child = spawn(java, args, { detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    child.unref();
    this.#pid = child.pid ?? 0;
    writeFileSync(join(this.#state, 'kafka.pid'), `${this.#pid}\n`);
    await this.ready(120_000);
  }

  /** Resolves once the broker answers a metadata request with a live controller. */
  async ready(timeoutMs: number): Promise<void> {
    const kafka = new kafkajs.Kafka({ brokers: this.#brokers, clientId: 'evroute-faults-probe', logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1_000, requestTimeout: 3_000 });
    await waitUntil(
      async () => {
        if (pidExited(this.#pid)) throw new Error(`the private broker exited (see ${this.#logDir})`);
        const admin = kafka.admin();
        try {
          await admin.connect();
          const cluster = await admin.describeCluster();
          return cluster.controller !== null && cluster.brokers.length > 0;
        } finally {
          await admin.disconnect();
        }
      },
      { timeoutMs, what: 'the private broker serves', intervalMs: 250 },
    );
  }

  /** SIGSTOP: the broker keeps its sockets but answers nothing. */
  freeze(): void {
    process.kill(this.#pid, 'SIGSTOP');
    this.#frozen = true;
  }

  /** SIGCONT after {@link freeze}. */
  thaw(): void {
    process.kill(this.#pid, 'SIGCONT');
    this.#frozen = false;
  }

  /** Stops the broker through services.sh and removes its state. */
  async down(): Promise<void> {
    if (this.#state === '') return;
    if (this.#frozen) this.thaw();
    const env: NodeJS.ProcessEnv = { ...process.env, EVROUTE_STATE: this.#state };
    await runTool('bash', [SERVICES, 'down'], this.#logs, 90_000, env);
    process.off('exit', this.#exitHook);
    await rm(this.#state, { recursive: true, force: true });
  }
}
