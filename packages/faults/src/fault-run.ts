/**
 * One run of one fault: a fresh database, topic and consumer group; the seeded workload produced
 * (paced) while the first router process runs; the fault injected by the spec's `inject`; then recovery
 * is timed (fault end, or the last input if later, to every offset committed), the invariants are
 * checked, the counters recorded, and the run fails with its counters and seed if any invariant broke.
 */
import { createRandom, type Random } from '@evroute/wrongbook';
import { CommitChecker } from './commit-check.js';
import { assertInvariants, brokenInvariants, newCounters, note, type Counters } from './counters.js';
import { expectationOf, type Expected } from './expectations.js';
import { finalCheck, type PlannedDeadLetter } from './final-check.js';
import type { GateMode, GatePoint, RouterProcessConfig } from './ipc.js';
import type { Lab } from './lab.js';
import { waitUntil } from './processes.js';
import { recordResult } from './results.js';
import { RouterChild, type Gate, type GateDecision } from './router-child.js';
import { RunDatabase, WRONGBOOK_ROUTES, type RouteRow } from './run-database.js';
import { readTopic } from './topic-admin.js';
import { Ledger, WorkloadProducer, wrongbookWorkload, type WorkloadMessage } from './workload.js';

/** Partitions of every run's topic. */
export const PARTITIONS = 3;

/** What a fault is and how to inject it. */
export interface FaultSpec {
  /** The fault's name: the test title, the results key. */
  readonly fault: string;
  /** Injects the fault into a running run; resolves when the fault is over (call `run.faultOver()`). */
  readonly inject: (run: FaultRun) => Promise<void>;
  /** Crafted messages mixed into the generated stream. */
  readonly extraMessages?: (random: Random) => WorkloadMessage[];
  /** Produce in this many chunks, one every `intervalMs` (default 8 × 400 ms). */
  readonly pacing?: { readonly chunks: number; readonly intervalMs: number };
  /** Gates of every router process besides the commit check's. */
  readonly gates?: Readonly<Partial<Record<GatePoint, GateMode>>>;
  /** Router process settings. */
  readonly router?: Partial<RouterProcessConfig>;
  readonly routes?: readonly RouteRow[];
  /** Recovery grace (default the settings'). */
  readonly graceMs?: number;
  /** RSS bound of every router process, MiB (default 400). */
  readonly rssBoundMb?: number;
  readonly plannedDeadLetters?: PlannedDeadLetter;
  /** Record the outcome in the results file (default true; the oracle's self-checks do not). */
  readonly record?: boolean;
}

/** What `inject` gets. */
export interface FaultRun {
  readonly lab: Lab;
  readonly seed: number;
  readonly random: Random;
  readonly db: RunDatabase;
  readonly topic: string;
  readonly counters: Counters;
  /** The router processes started so far (the first is running when `inject` is called). */
  readonly routers: RouterChild[];
  /** Resolves once every message is produced. */
  readonly produced: Promise<void>;
  /** How many messages are produced so far. */
  producedCount(): number;
  /** Starts another router process of the same group and waits until it runs. */
  startRouter(overrides?: Partial<RouterProcessConfig>): Promise<RouterChild>;
  /** Decides the gates of every process: return a decision, or undefined for the default (release). */
  onGate(policy: ((gate: Gate) => GateDecision | undefined | Promise<GateDecision | undefined>) | undefined): void;
  /** SIGKILLs a router process and waits for it to be gone. */
  kill(router: RouterChild): Promise<void>;
  /** Marks the fault's end (recovery is timed from here). */
  faultOver(): void;
}

/** Router process settings of every run (a spec's `router` overrides them). */
export const ROUTER_DEFAULTS: Omit<RouterProcessConfig, 'name' | 'brokers' | 'topic' | 'groupId' | 'mysqlUrl' | 'gates'> = {
  commitIntervalMs: 500, sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1_000, rebalanceTimeoutMs: 10_000, rssIntervalMs: 250,
  maxEventBytes: 256 * 1024, configIntervalMs: 1_000, startTimeoutMs: 60_000,
};

/** Runs `spec` once as run number `run` (seed = base seed + run) and asserts the invariants. */
export async function runFault(lab: Lab, spec: FaultSpec, run: number): Promise<Counters> {
  const seed = lab.settings.baseSeed + run;
  const random = createRandom(seed);
  const counters = newCounters(spec.fault, run, seed, spec.graceMs ?? lab.settings.graceMs, spec.rssBoundMb ?? 400);
  const tag = `${spec.fault.replace(/[^a-z0-9]+/gi, '_').toLowerCase().slice(0, 24)}_${run}_${Date.now().toString(36)}`;
  const topic = `faults_${tag}`;
  const groupId = `faults_group_${tag}`;
  const log = lab.logger.child({ fault: spec.fault, run, seed, topic });
  log.info('run starting');
  const db = await RunDatabase.create(lab.mariadb, `faults_${tag}`.slice(0, 64), spec.routes ?? WRONGBOOK_ROUTES);
  await lab.topics.createTopic(topic, PARTITIONS);
  const checker = new CommitChecker(db, topic);
  const ledger = new Ledger();
  const expected: Expected[] = [];
  const maxEventBytes = spec.router?.maxEventBytes ?? ROUTER_DEFAULTS.maxEventBytes;
  let expecting: Promise<void> = Promise.resolve();
  const watch = ledger.onAdd((produced) => {
    expecting = expecting.then(async () => {
      const e = await expectationOf(produced, topic, maxEventBytes);
      expected.push(e);
      checker.add([e]);
    });
  });
  const messages = [...wrongbookWorkload(seed, lab.settings.questions), ...(spec.extraMessages?.(random) ?? [])];
  shuffleInto(messages, random);
  const producer = new WorkloadProducer(lab.brokers, log);
  await producer.connect();

  let custom: Parameters<FaultRun['onGate']>[0];
  const policy = async (gate: Gate): Promise<GateDecision> => {
    const decision = await custom?.(gate);
    if (decision !== undefined) return decision;
    if (gate.point === 'before-commit' && gate.offsets !== undefined) await checker.check(gate.offsets);
    return 'release';
  };
  const routers: RouterChild[] = [];
  const startRouter = async (overrides: Partial<RouterProcessConfig> = {}): Promise<RouterChild> => {
    const config: RouterProcessConfig = {
      ...ROUTER_DEFAULTS, name: `router-${routers.length + 1}`, brokers: lab.brokers, topic, groupId, mysqlUrl: db.routerUrl,
      ...spec.router, ...overrides, gates: { 'before-commit': 'hold', ...spec.gates, ...overrides.gates },
    };
    const child = new RouterChild(config, lab.logs, policy);
    routers.push(child);
    counters.starts++;
    await child.ready();
    return child;
  };
  let faultEnd: number | undefined;
  let backlog: Promise<Map<number, bigint>> | undefined;
  let passed = false;
  try {
    await startRouter();
    const pacing = spec.pacing ?? { chunks: 8, intervalMs: 400 };
    const produced = producer.produce(topic, PARTITIONS, messages, ledger, { ...pacing, deadline: Date.now() + 300_000 });
    produced.catch(() => undefined); // awaited below
    await spec.inject({
      lab, seed, random, db, topic, counters, routers, produced,
      producedCount: () => ledger.size,
      startRouter,
      onGate: (p) => {
        custom = p;
      },
      kill: async (child) => {
        counters.kills++;
        child.kill();
        await child.exited;
      },
      faultOver: () => {
        faultEnd = Date.now();
        // The backlog at the fault's end: what was in the topic then must be committed to recover.
        backlog = waitUntil(() => lab.topics.endOffsets(topic), { timeoutMs: 120_000, what: 'the topic answers its end offsets' });
        backlog.catch(() => undefined); // awaited below
      },
    });
    custom = undefined;
    await measureRecovery(lab, { groupId, topic }, counters, faultEnd ?? Date.now(), backlog, produced);
    await expecting;
    const input = ledger.retried ? await readBack(lab, topic, messages, maxEventBytes) : expected;
    if (ledger.retried) note(counters, `a produce was retried: the input was read back from the topic (${input.length} records, ${expected.length} in the ledger)`);
    await finalCheck(db, topic, input, counters, spec.plannedDeadLetters);
    const commits = checker.stats();
    counters.commitsChecked = commits.checked;
    counters.commitsAhead = commits.ahead;
    for (const detail of commits.details) note(counters, detail);
    await routerCounters(routers, counters);
    passed = true;
  } finally {
    watch();
    await Promise.allSettled(routers.map((c) => c.stop()));
    await producer.disconnect().catch(() => undefined);
    if (spec.record !== false) recordResult(counters, passed ? undefined : 'the run did not finish (see the error)');
    log.info({ counters }, 'run finished');
    const clean = passed && counters.problems.length === 0;
    await db.close(clean);
    if (clean) await lab.topics.deleteTopic(topic);
  }
  assertInvariants(counters, { testFile: lab.testFile, logFile: lab.logs.file });
  return counters;
}

/**
 * Recovery: from the fault's end until the backlog the topic held then is committed (the lag back to
 * zero), then the rest of the input must be committed too; either failing within the wait (the grace,
 * plus as much again up to 30 s, to measure a late recovery) leaves `recoveryMs` null.
 */
async function measureRecovery(
  lab: Lab, group: { groupId: string; topic: string }, counters: Counters, faultEnd: number, backlog: Promise<Map<number, bigint>> | undefined, produced: Promise<void>,
): Promise<void> {
  const wait = counters.graceMs + Math.min(counters.graceMs, 30_000);
  try {
    const ends = await (backlog ?? lab.topics.endOffsets(group.topic));
    await waitUntil(() => lab.topics.caughtUp(group.groupId, group.topic, ends), { timeoutMs: wait, what: "the backlog at the fault's end is committed", intervalMs: 100 });
    counters.recoveryMs = Date.now() - faultEnd;
    await produced;
    await waitUntil(() => lab.topics.caughtUp(group.groupId, group.topic), { timeoutMs: wait, what: 'every offset is committed', intervalMs: 200 });
  } catch (error) {
    counters.recoveryMs = null;
    note(counters, (error as Error).message);
  }
}

/** What the router processes reported: write order, memory, and exits nobody asked for. */
async function routerCounters(routers: readonly RouterChild[], counters: Counters): Promise<void> {
  for (const child of routers) {
    counters.outOfOrder += child.outOfOrder;
    for (const detail of child.orderDetails) note(counters, `${child.name}: ${detail}`);
    counters.maxRssMb = Math.max(counters.maxRssMb, ...child.memory.map((m) => Math.round(m.rss / 1024 / 1024)));
    if (!child.alive && !child.intended) {
      counters.failures++;
      note(counters, `${child.name} exited on its own: ${JSON.stringify(await child.exited)}`);
    }
  }
}

/**
 * Runs `spec` `lab.settings.runs` times (seeds base + 0, 1, …); each run throws its failure report when
 * an invariant breaks. Resolves with the broken invariants of every run (empty: all passed), for the
 * test's own assertion.
 */
export async function runFaults(lab: Lab, spec: FaultSpec): Promise<string[]> {
  const broken: string[] = [];
  for (let run = 0; run < lab.settings.runs; run++) broken.push(...brokenInvariants(await runFault(lab, spec, run)));
  return broken;
}

/** The expectations of what the topic really holds (labels matched by value). */
async function readBack(lab: Lab, topic: string, messages: readonly WorkloadMessage[], maxEventBytes: number): Promise<Expected[]> {
  const labels = new Map(messages.map((m) => [m.value?.toString('base64') ?? 'null', m]));
  const records = await readTopic(lab.brokers, topic, await lab.topics.endOffsets(topic));
  const out: Expected[] = [];
  for (const r of records) {
    const known = labels.get(r.value?.toString('base64') ?? 'null');
    const message: WorkloadMessage = known ?? { key: r.key, value: r.value, headers: r.headers, label: `unknown@${r.partition}:${r.offset}` };
    out.push(await expectationOf({ message, partition: r.partition, offset: r.offset }, topic, maxEventBytes));
  }
  return out;
}

/** Mixes crafted messages into random places of the stream (same seed, same places). */
function shuffleInto(messages: WorkloadMessage[], random: Random): void {
  for (let i = messages.length - 1; i > 0; i--) {
    if (!messages[i]?.label.startsWith('crafted:')) continue;
    const j = random.int(i + 1);
    [messages[i], messages[j]] = [messages[j] as WorkloadMessage, messages[i] as WorkloadMessage];
  }
}
