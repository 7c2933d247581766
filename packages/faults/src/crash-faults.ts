/**
 * Crash faults: SIGKILL of a router process at a gate (just before or just after a wide-table write,
 * just before or just after an offset commit), or at a random moment; a new process is started at
 * once, as a supervisor would. Each run picks the occurrence (or the moment) from its seed. And the
 * zombie: a router frozen past its session timeout while another takes over, then thawed.
 */
import { ROUTER_DEFAULTS, type FaultRun, type FaultSpec } from './fault-run.js';
import type { GatePoint } from './ipc.js';
import { waitUntil } from './processes.js';

/** SIGKILL at the n-th `point` gate of the first router (n from the seed, 1 to 4), then a restart. */
export function killAtGate(fault: string, point: GatePoint): FaultSpec {
  return {
    fault,
    gates: { [point]: 'hold' },
    async inject(run: FaultRun): Promise<void> {
      const [first] = run.routers;
      if (first === undefined) throw new Error('no router is running');
      const occurrence = run.random.between(1, 4);
      let seen = 0;
      let hit = false;
      run.onGate((gate) => {
        if (gate.child !== first || gate.point !== point || hit) return undefined;
        seen++;
        if (seen < occurrence) return undefined;
        hit = true;
        return 'kill';
      });
      await waitUntil(() => hit, { timeoutMs: 60_000, what: `gate ${point} #${occurrence} of ${first.name} is reached` });
      await first.exited;
      run.counters.kills++;
      run.onGate(undefined);
      run.faultOver();
      await run.startRouter();
    },
  };
}

/** SIGKILL at a moment picked from the seed (0.3 to 3 s after the start, inside the input), then a restart. */
export function killAtRandomTime(fault: string): FaultSpec {
  return {
    fault,
    async inject(run: FaultRun): Promise<void> {
      const [first] = run.routers;
      if (first === undefined) throw new Error('no router is running');
      const delay = run.random.between(300, 3_000);
      await new Promise((resolve) => setTimeout(resolve, delay)); // the fault's moment, from the seed
      await run.kill(first);
      run.faultOver();
      await run.startRouter();
    },
  };
}

/**
 * A zombie (F5): the router is frozen (SIGSTOP) past its session timeout at a moment from the seed; a
 * second router takes its partitions meanwhile; then the first is thawed, finds its generation gone
 * (its late commits fail, its late writes are replays) and rejoins.
 */
export function frozenPastSession(fault: string): FaultSpec {
  return {
    fault,
    async inject(run: FaultRun): Promise<void> {
      const [first] = run.routers;
      if (first === undefined) throw new Error('no router is running');
      await new Promise((resolve) => setTimeout(resolve, run.random.between(300, 2_000))); // the fault's moment, from the seed
      first.freeze();
      const frozenAt = Date.now();
      const second = await run.startRouter();
      await waitUntil(() => second.assignments.some((a) => a.length === 3), { timeoutMs: 60_000, what: `${second.name} takes every partition from the frozen ${first.name}` });
      const pastSession = frozenAt + ROUTER_DEFAULTS.sessionTimeoutMs + 2_000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, pastSession - Date.now()))); // frozen past its session
      first.thaw();
      run.faultOver();
    },
  };
}

/** No fault: the control run every other row of the table is read against. */
export function noFault(fault: string): FaultSpec {
  return {
    fault,
    async inject(run: FaultRun): Promise<void> {
      await run.produced;
      run.faultOver();
    },
  };
}
