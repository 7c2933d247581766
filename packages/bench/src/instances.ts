/**
 * Runs pipeline instances (pipeline-child.js) in one consumer group over a produced topic and measures
 * them: fork `count` children, wait until each holds data and the group has settled (no rebalance
 * left to happen mid-run), say go to all at once, wait until every event is durably written, stop them
 * and read their reports. Throughput counts from go to the last write of any instance; CPU is each
 * child's own (process.cpuUsage) over the same span, and MariaDB's and the broker's from /proc.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { uniqueName, waitFor } from '@evroute/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { cpuBetween, cpuMark, load, servicePids } from './proc-cpu.js';
import type { ChildMessage, InstanceOptions, InstanceReport, ParentMessage } from './run-probe.js';

/** What to run. */
export interface InstancesSpec {
  readonly side: InstanceOptions['side'];
  readonly count: number;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly mysqlUrl: string;
  readonly batchSize: number;
  /** Events in the topic: the run ends when this many are written. */
  readonly events: number;
  readonly timeoutMs: number;
  /** Extra node flags of the children (e.g. --cpu-prof). */
  readonly execArgv?: readonly string[];
}

/** One measured run. */
export interface RunOutcome {
  readonly side: InstanceOptions['side'];
  readonly instances: number;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** CPU seconds of the pipeline processes (all instances) over the run. */
  readonly cpuSeconds: number;
  readonly cpuSecondsPer100k: number;
  readonly mysqldCpuSeconds: number | null;
  readonly kafkaCpuSeconds: number | null;
  readonly machineBusyCpuSeconds: number | null;
  readonly maxRssMiB: number;
  /** Mean event-loop utilization of the instances over the run (1 = never idle). */
  readonly eventLoopUtilization: number;
  /** Database writes (sink batches or statements) of all instances, and the share of the run a write was in flight (per instance). */
  readonly writes: number;
  readonly writeBusyShare: number;
  readonly backpressure: number;
  readonly rejected: number;
  readonly load: string;
}

class Child {
  ready = false;
  written = 0;
  report: InstanceReport | undefined;
  failure: string | undefined;
  exited = false;
  constructor(readonly process: ChildProcess) {
    process.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') this.ready = true;
      else if (message.type === 'progress') this.written = message.written;
      else if (message.type === 'report') this.report = message;
      else this.failure = message.error;
    });
    process.on('exit', (code) => {
      this.exited = true;
      if (code !== 0 && this.report === undefined) this.failure ??= `exited with code ${code}`;
    });
  }
  send(message: ParentMessage): void {
    this.process.send(message);
  }
}

function check(children: readonly Child[]): void {
  const failed = children.find((c) => c.failure !== undefined);
  if (failed) throw new Error(`a pipeline instance failed: ${failed.failure}`);
}

/** Waits until the group has `count` members and is stable. */
async function groupSettled(brokers: readonly string[], groupId: string, count: number, children: readonly Child[]): Promise<void> {
  const admin = new Kafka({ clientId: 'evroute-bench-admin', brokers: [...brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await waitFor(
      async () => {
        check(children);
        const { groups } = await admin.describeGroups([groupId]);
        const group = groups[0];
        return group?.state === 'Stable' && group.members.length === count && group.members.every((m) => m.memberAssignment.length > 0);
      },
      { timeout: 60_000, interval: 100, message: `consumer group ${groupId} stable with ${count} members` },
    );
  } finally {
    await admin.disconnect();
  }
}

/** One run of `count` instances of one side. */
export async function runInstances(spec: InstancesSpec): Promise<RunOutcome> {
  const groupId = uniqueName(`bench_${spec.side}`);
  const options: InstanceOptions = { side: spec.side, brokers: spec.brokers, topic: spec.topic, groupId, mysqlUrl: spec.mysqlUrl, batchSize: spec.batchSize };
  const children = Array.from(
    { length: spec.count },
    () => new Child(fork(new URL('./pipeline-child.js', import.meta.url), [JSON.stringify(options)], { execArgv: [...(spec.execArgv ?? [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })),
  );
  try {
    const watch = (what: string, predicate: () => boolean, timeout: number): Promise<unknown> =>
      waitFor(
        () => {
          check(children);
          return predicate();
        },
        { timeout, interval: 5, message: what },
      );
    await watch('every instance holding its first batch', () => children.every((c) => c.ready), 60_000);
    if (spec.count > 1) await groupSettled(spec.brokers, groupId, spec.count, children);
    const pids = servicePids(spec);
    const before = cpuMark(pids);
    for (const child of children) child.send({ type: 'go' });
    await watch(`${spec.events} events written`, () => children.reduce((n, c) => n + c.written, 0) >= spec.events, spec.timeoutMs);
    const after = cpuMark(pids);
    for (const child of children) child.send({ type: 'stop' });
    await watch('every instance reported', () => children.every((c) => c.report !== undefined), 30_000);
    await watch('every instance exited', () => children.every((c) => c.exited), 30_000);
    const reports = children.map((c) => c.report as InstanceReport);
    const seconds = (Math.max(...reports.map((r) => r.lastWriteAt)) - Math.min(...reports.map((r) => r.goAt))) / 1000;
    const written = reports.reduce((n, r) => n + r.written, 0);
    const cpuSeconds = reports.reduce((n, r) => n + r.cpuSeconds, 0);
    const services = cpuBetween(before, after);
    return {
      side: spec.side,
      instances: spec.count,
      events: written,
      seconds: Number(seconds.toFixed(3)),
      eventsPerSecond: Math.round(written / seconds),
      cpuSeconds: Number(cpuSeconds.toFixed(2)),
      cpuSecondsPer100k: Number(((cpuSeconds / written) * 100_000).toFixed(2)),
      mysqldCpuSeconds: services.mysqld,
      kafkaCpuSeconds: services.kafka,
      machineBusyCpuSeconds: services.machine,
      maxRssMiB: Math.max(...reports.map((r) => r.maxRssMiB)),
      eventLoopUtilization: Number((reports.reduce((n, r) => n + r.eventLoopUtilization, 0) / reports.length).toFixed(3)),
      writes: reports.reduce((n, r) => n + r.writes, 0),
      writeBusyShare: Number((reports.reduce((n, r) => n + r.writeMs, 0) / reports.length / 1000 / seconds).toFixed(3)),
      backpressure: reports.reduce((n, r) => n + r.backpressure, 0),
      rejected: reports.reduce((n, r) => n + r.rejected, 0),
      load: load(),
    };
  } finally {
    for (const child of children) if (!child.exited) child.process.kill('SIGKILL');
  }
}
