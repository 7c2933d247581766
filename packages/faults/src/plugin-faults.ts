/**
 * Plugin faults (catalogue F17–F22): the router process runs a hot-deploy `PluginLoader` on a watched
 * folder (require-signature), with `fault-probe@1.0.0` serving a fan-out route of `wrongbook_fix`.
 *
 * - Runtime faults: a new probe version that throws, hangs (a promise that never settles), spins the
 *   CPU (worker isolation) or leaks memory (worker isolation) is dropped mid-run. Its events are
 *   dead-lettered for the probe route only, the wrongbook routes keep writing, no partition stalls, the
 *   router's memory stays bounded; then a healthy version is dropped and serves (the fault's end).
 * - Deployment faults: bundles with a syntax error, half-written, tampered after signing, and unsigned
 *   are dropped; each is refused with its code and version 1.0.0 keeps serving.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { note } from './counters.js';
import type { FaultRun, FaultSpec } from './fault-run.js';
import { waitUntil } from './processes.js';
import { ProbeDrops, REFUSAL_CODES, type BundleDefect, type ProbeBehaviour } from './probe-bundles.js';
import { WRONGBOOK_ROUTES, type DeadLetterRow, type RouteRow } from './run-database.js';

/** The probe's route: fan-out on fixes, a short timeout, one retry, a breaker that opens fast. */
const PROBE_ROUTE: RouteRow = {
  id: 9, domain: 'wrongbook', eventType: 'wrongbook_fix', processor: 'fault-probe', enabled: true, priority: 1, fanout: true,
  config: JSON.stringify({ timeout_ms: 500, retry_times: 1, circuit_breaker: { failure_threshold: 3, success_threshold: 1, open_ms: 1_000 } }),
};

/** Codes a misbehaving probe's events may be dead-lettered with. */
const PROBE_FAILURES = new Set([
  'EVR_ERR_PROCESSOR_FAILED', 'EVR_ERR_PROCESSOR_TIMEOUT', 'EVR_ERR_PROCESSOR_CIRCUIT_OPEN', 'EVR_ERR_HOTDEPLOY_WORKER_TIMEOUT', 'EVR_ERR_HOTDEPLOY_WORKER_CRASHED',
]);

/** A plugin fault spec with a watched folder of its own (made and removed around the run). */
async function withFolder(spec: (drops: ProbeDrops) => FaultSpec, use: (spec: FaultSpec) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'evroute-faults-plugins-'));
  try {
    const drops = new ProbeDrops(dir);
    await drops.drop('1.0.0', 'ok');
    await use(spec(drops));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function base(fault: string, drops: ProbeDrops): Pick<FaultSpec, 'fault' | 'routes' | 'router' | 'pacing'> {
  return {
    fault,
    routes: [...WRONGBOOK_ROUTES, PROBE_ROUTE],
    router: { plugins: { dir: drops.dir, publicKey: drops.publicKey, workerMaxOldMb: 48, workerBatchTimeoutMs: 1_000 } },
    pacing: { chunks: 12, intervalMs: 500 },
  };
}

async function probeDeadLetters(run: FaultRun): Promise<number> {
  const [rows] = await run.db.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM evroute_dead_letter WHERE route = '9' OR plugin = 'fault-probe'");
  return Number(rows[0]?.['n'] ?? 0);
}

/** A probe version that misbehaves at run time, then a healthy one (see the module comment). */
export function runtimeFault(fault: string, behaviour: Exclude<ProbeBehaviour, 'ok'>, use: (spec: FaultSpec) => Promise<void>): Promise<void> {
  const isolation = behaviour === 'spins' || behaviour === 'leaks' ? 'worker' : undefined;
  return withFolder(
    (drops) => ({
      ...base(fault, drops),
      rssBoundMb: 450,
      plannedDeadLetters: (row: DeadLetterRow) => (row.route === '9' || row.plugin === 'fault-probe') && PROBE_FAILURES.has(row.code),
      async inject(run: FaultRun): Promise<void> {
        const [router] = run.routers;
        if (router === undefined) throw new Error('no router is running');
        await waitUntil(() => run.producedCount() >= run.lab.settings.questions * 0.5, { timeoutMs: 60_000, what: 'a fifth of the input is produced' });
        await drops.drop('2.0.0', behaviour, 'none', isolation);
        await waitUntil(async () => (await probeDeadLetters(run)) >= 5, { timeoutMs: 60_000, what: `fault-probe@2.0.0 (${behaviour}) fails events` });
        await drops.drop('3.0.0', 'ok');
        await waitUntil(async () => (await router.table()).routes.find((r) => r.id === '9')?.pluginVersion === '3.0.0', { timeoutMs: 60_000, what: 'fault-probe@3.0.0 serves' });
        run.faultOver();
        await run.produced;
        const versions = [...(await run.db.probeRows()).values()];
        if (!versions.includes('3.0.0')) {
          run.counters.failures++;
          note(run.counters, 'no event was processed by fault-probe@3.0.0 after it was deployed');
        }
        if (versions.includes('2.0.0') && behaviour !== 'leaks') { // a leaking version works until its heap is full
          run.counters.failures++;
          note(run.counters, `fault-probe@2.0.0 (${behaviour}) wrote a row`);
        }
      },
    }),
    use,
  );
}

/** Broken bundles dropped one after another; each refused with its code while 1.0.0 serves. */
export function deploymentFaults(fault: string, use: (spec: FaultSpec) => Promise<void>): Promise<void> {
  const defects = Object.keys(REFUSAL_CODES) as Exclude<BundleDefect, 'none'>[];
  return withFolder(
    (drops) => ({
      ...base(fault, drops),
      async inject(run: FaultRun): Promise<void> {
        const [router] = run.routers;
        if (router === undefined) throw new Error('no router is running');
        await waitUntil(() => run.producedCount() >= run.lab.settings.questions * 0.5, { timeoutMs: 60_000, what: 'a fifth of the input is produced' });
        for (const [i, defect] of defects.entries()) await drops.drop(`2.0.${i}`, 'ok', defect);
        const bundles = await waitUntil(async () => {
          const list = await router.bundles();
          return list.filter((b) => b.state === 'refused').length >= defects.length ? list : undefined;
        }, { timeoutMs: 60_000, what: 'every broken bundle is refused' });
        for (const [i, defect] of defects.entries()) {
          const row = bundles.find((b) => b.version === `2.0.${i}`) ?? bundles.find((b) => b.state === 'refused' && b.code === REFUSAL_CODES[defect]);
          if (row?.state !== 'refused' || row.code !== REFUSAL_CODES[defect]) {
            run.counters.failures++;
            note(run.counters, `the ${defect} bundle should be refused with ${REFUSAL_CODES[defect]}; loader says ${JSON.stringify(row)}`);
          }
        }
        if (bundles.find((b) => b.version === '1.0.0')?.state !== 'loaded') {
          run.counters.failures++;
          note(run.counters, `fault-probe@1.0.0 should keep serving; loader says ${JSON.stringify(bundles)}`);
        }
        run.faultOver();
        await run.produced;
        const versions = new Set((await run.db.probeRows()).values());
        if (versions.size !== 1 || !versions.has('1.0.0')) {
          run.counters.failures++;
          note(run.counters, `only fault-probe@1.0.0 may have processed events; versions seen: ${[...versions].join(', ')}`);
        }
      },
    }),
    use,
  );
}
