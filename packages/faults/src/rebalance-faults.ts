/**
 * Rebalance faults (catalogue F12): a second router process joins the group while the first holds a
 * wide-table write in flight (its `before-write` gate is held until the newcomer has its partitions),
 * then the second leaves while one of its own writes is in flight: gracefully (SIGTERM: drain, commit,
 * leave) or by SIGKILL, as the seed picks. Partitions move twice with batches in the air.
 */
import type { FaultRun, FaultSpec } from './fault-run.js';
import { waitUntil } from './processes.js';
import type { RouterChild } from './router-child.js';

/** The rebalance fault; see the module comment. */
export function addAndRemoveInstance(fault: string): FaultSpec {
  return {
    fault,
    gates: { 'before-write': 'hold' },
    pacing: { chunks: 12, intervalMs: 500 },
    async inject(run: FaultRun): Promise<void> {
      const [first] = run.routers;
      if (first === undefined) throw new Error('no router is running');
      const joinAt = run.random.between(2, 4);
      let leaveCountdown = run.random.between(1, 3);
      const hard = run.random.chance(0.5);
      let firstWrites = 0;
      let second: RouterChild | undefined;
      let removal: Promise<void> | undefined;
      const remove = (leaver: RouterChild): 'kill' | 'release' => {
        run.counters.kills++;
        if (hard) {
          removal = leaver.exited.then(() => undefined);
          return 'kill';
        }
        removal = leaver.stop();
        return 'release';
      };
      run.onGate(async (gate) => {
        if (gate.point !== 'before-write') return undefined;
        if (gate.child === first && second === undefined && ++firstWrites === joinAt) {
          // Mid-batch: this write waits while the newcomer joins and the group rebalances.
          const joining = await run.startRouter();
          second = joining;
          await waitUntil(() => joining.assignments.length > 0, { timeoutMs: 60_000, what: `${joining.name} gets partitions` });
          return 'release';
        }
        if (gate.child === second && removal === undefined && gate.child.assignments.length > 0 && --leaveCountdown <= 0) return remove(gate.child);
        return undefined;
      });
      await waitUntil(() => second !== undefined, { timeoutMs: 60_000, what: `${first.name} reaches write #${joinAt} and a second router joins` });
      // The newcomer's partitions may run dry before it writes again: then it leaves between batches.
      await waitUntil(() => removal !== undefined, { timeoutMs: 20_000, what: 'the second router writes' }).catch(() => {
        if (removal === undefined && second !== undefined) {
          const leaver = second;
          if (remove(leaver) === 'kill') leaver.kill();
        }
      });
      await removal;
      run.onGate(undefined);
      run.faultOver();
    },
  };
}
