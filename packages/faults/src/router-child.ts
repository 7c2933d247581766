/**
 * The suite's handle on one router process: spawns `dist/router-process.js` with an IPC channel, sends
 * its config, captures its output, answers its gates through a policy, records its memory reports, and
 * kills or stops it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMessage, type ChildMessage, type GatePoint, type LoaderRow, type RouterProcessConfig, type TableView } from './ipc.js';
import type { LogCapture } from './log-capture.js';

const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(PACKAGE_ROOT, 'dist', 'router-process.js');

/** A gate as the parent sees it. */
export interface Gate {
  readonly child: RouterChild;
  readonly point: GatePoint;
  readonly records?: number;
  readonly offsets?: readonly { readonly topic: string; readonly partition: number; readonly offset: string }[];
}

/** What the parent does at a gate: let it go, or SIGKILL the process right there. */
export type GateDecision = 'release' | 'kill';

/** Decides gates; may take its time (the child waits). */
export type GatePolicy = (gate: Gate) => GateDecision | Promise<GateDecision>;

/** One memory report. */
export interface MemorySample {
  readonly at: number;
  readonly rss: number;
}

/** Throws when the built router process is missing or older than its sources (tests run the build). */
export function assertBuilt(): void {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: build the suite first (pnpm tsc -b packages/faults)`);
  const info = join(PACKAGE_ROOT, 'dist', '.tsbuildinfo');
  const built = existsSync(info) ? statSync(info).mtimeMs : 0; // tsc -b rewrites it on every build that changed something
  const src = join(PACKAGE_ROOT, 'src');
  const stale = readdirSync(src).filter((f) => f.endsWith('.ts') && statSync(join(src, f)).mtimeMs > built);
  if (stale.length > 0) throw new Error(`packages/faults/dist is older than src (${stale.join(', ')}): rebuild with pnpm tsc -b packages/faults`);
}

/** A running (or finished) router process. */
export class RouterChild {
  readonly name: string;
  readonly memory: MemorySample[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Set once the process reported `ready`. */
  adminUrl: string | undefined;
  outOfOrder = 0;
  orderDetails: readonly string[] = [];
  assignments: (readonly number[])[] = [];
  /** True when the suite killed or stopped it (an exit it did not ask for is a failure). */
  intended = false;
  readonly #process: ChildProcess;
  readonly #ready: Promise<void>;
  readonly #waiters = new Map<number, (rows: readonly LoaderRow[]) => void>();
  readonly #tableWaiters = new Map<number, (table: TableView) => void>();
  #policy: GatePolicy;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  #nextId = 0;

  constructor(config: RouterProcessConfig, logs: LogCapture, policy: GatePolicy) {
    this.name = config.name;
    this.#policy = policy;
    const env: NodeJS.ProcessEnv = { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' };
    delete env['NODE_OPTIONS'];
    this.#process = fork(ENTRY, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env, execArgv: [] });
    this.#process.on('error', (error) => logs.write('suite', `${this.name}: ${error.message}\n`)); // send() after the exit
    this.#process.stdout?.on('data', (chunk: Buffer) => logs.write(this.name, chunk));
    this.#process.stderr?.on('data', (chunk: Buffer) => logs.write(`${this.name}:stderr`, chunk));
    this.exited = new Promise((resolve) => {
      this.#process.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        logs.flush(this.name);
        logs.flush(`${this.name}:stderr`);
        resolve({ code, signal });
      });
    });
    this.#ready = new Promise((resolve, reject) => {
      this.#process.on('message', (raw: unknown) => {
        if (!isMessage<ChildMessage>(raw)) return;
        if (raw.t === 'ready') {
          this.adminUrl = raw.adminUrl;
          resolve();
        } else if (raw.t === 'start-failed') reject(Object.assign(new Error(`${this.name} could not start: ${raw.code}: ${raw.message}`), { code: raw.code }));
        else this.#onMessage(raw);
      });
      void this.exited.then(({ code, signal }) => reject(new Error(`${this.name} exited before it was ready (${signal ?? `exit ${code}`})`)));
    });
    this.#ready.catch(() => undefined); // observed by ready()
    this.#process.send({ t: 'config', config });
  }

  /** The pid (for logs). */
  get pid(): number | undefined {
    return this.#process.pid;
  }

  /** True while the process runs. */
  get alive(): boolean {
    return this.#exit === undefined;
  }

  /** Resolves when the router started; rejects when it failed to or exited. */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Replaces the gate policy (applies to gates reported from now on). */
  setPolicy(policy: GatePolicy): void {
    this.#policy = policy;
  }

  #onMessage(message: ChildMessage): void {
    switch (message.t) {
      case 'gate':
        void this.#decide(message.id, { child: this, point: message.point, ...(message.records === undefined ? {} : { records: message.records }), ...(message.offsets === undefined ? {} : { offsets: message.offsets }) });
        return;
      case 'memory':
        this.memory.push({ at: message.at, rss: message.rss });
        return;
      case 'assigned':
        this.assignments.push(message.partitions);
        return;
      case 'order':
        this.outOfOrder = message.outOfOrder;
        this.orderDetails = message.details;
        return;
      case 'table':
        this.#tableWaiters.get(message.id)?.(message.table);
        this.#tableWaiters.delete(message.id);
        return;
      case 'loader':
        this.#waiters.get(message.id)?.(message.bundles);
        this.#waiters.delete(message.id);
        return;
      case 'ready':
      case 'start-failed':
      case 'stopped':
        return;
    }
  }

  async #decide(id: number, gate: Gate): Promise<void> {
    const decision = await this.#policy(gate);
    if (!this.alive) return;
    if (decision === 'kill') this.kill();
    else this.#process.send({ t: 'release', id });
  }

  /** SIGSTOP: the process stays, frozen (heartbeats, fetches and writes stop mid-flight). */
  freeze(): void {
    this.#process.kill('SIGSTOP');
  }

  /** SIGCONT after {@link freeze}. */
  thaw(): void {
    this.#process.kill('SIGCONT');
  }

  /** SIGKILL, now. */
  kill(): void {
    this.intended = true;
    this.#process.kill('SIGKILL');
  }

  /** Graceful stop (SIGTERM: drain, commit, leave the group); SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 40_000): Promise<void> {
    if (!this.alive) return;
    this.intended = true;
    this.#process.kill('SIGTERM');
    const timer = setTimeout(() => this.#process.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** The live routing table, as the child reports it. */
  table(): Promise<TableView> {
    const id = ++this.#nextId;
    return new Promise((resolve) => {
      this.#tableWaiters.set(id, resolve);
      this.#process.send({ t: 'table', id });
    });
  }

  /** The plugin loader's bundles, as the child lists them. */
  bundles(): Promise<readonly LoaderRow[]> {
    const id = ++this.#nextId;
    return new Promise((resolve) => {
      this.#waiters.set(id, resolve);
      this.#process.send({ t: 'list-bundles', id });
    });
  }
}
