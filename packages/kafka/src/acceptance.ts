/**
 * Waiting for the pipeline to accept a delivered batch: the source's backpressure. While it waits it
 * keeps the group membership alive with heartbeats; it gives up after a deadline so that one slow
 * partition does not hold the client's fetch loop (the caller then pauses that partition instead).
 */
import { pause } from './abortable.js';
import type { BatchControl } from './client.js';

/** A `deliver` call, with `done` set once it settled (either way; `promise` never rejects). */
export interface Acceptance {
  readonly promise: Promise<void>;
  readonly done: boolean;
}

/** Watches `delivery`; a rejection goes to `onRejected` and counts as settled. */
export function watchAcceptance(delivery: Promise<void>, onRejected: (error: unknown) => void): Acceptance {
  const acceptance = { promise: Promise.resolve(), done: false };
  acceptance.promise = delivery.then(
    () => {
      acceptance.done = true;
    },
    (error: unknown) => {
      acceptance.done = true;
      onRejected(error);
    },
  );
  return acceptance;
}

/** How {@link awaitAcceptance} waits. */
export interface AcceptanceWait {
  readonly maxBlockMs: number;
  readonly heartbeatIntervalMs: number;
  /** Aborted when the source stops: the wait ends at once. */
  readonly stopping: AbortSignal;
}

/**
 * Resolves `'accepted'` once the delivery settled, or `'gave-up'` after `maxBlockMs`, when stopping,
 * or when the client stops running. Heartbeats every `heartbeatIntervalMs` meanwhile and rejects with
 * the heartbeat's error (the group is rebalancing).
 */
export async function awaitAcceptance(acceptance: Acceptance, control: BatchControl, wait: AcceptanceWait): Promise<'accepted' | 'gave-up'> {
  const deadline = Date.now() + wait.maxBlockMs;
  while (!acceptance.done) {
    const remaining = deadline - Date.now();
    if (remaining <= 0 || wait.stopping.aborted || !control.isRunning()) return 'gave-up';
    await Promise.race([acceptance.promise, pause(Math.min(remaining, wait.heartbeatIntervalMs), wait.stopping)]);
    if (acceptance.done) break;
    await control.heartbeat();
  }
  return 'accepted';
}
