/**
 * Outage faults: the private MariaDB stopped (clean shutdown, restarted on the same data), frozen
 * (SIGSTOP, then SIGCONT), or with every router connection killed again and again (KILL CONNECTION:
 * ambiguous commits); the private Kafka broker restarted (clean shutdown, started again on the same log
 * folder and ports), killed (SIGKILL, then started) or frozen. Each lasts the settings' outage duration
 * and is injected while input is still being produced. Recovery is timed from the moment it ends.
 */
import type { FaultRun, FaultSpec } from './fault-run.js';
import { waitUntil } from './processes.js';

/** Which server, and how it goes away. */
export type Outage = 'mariadb-stop' | 'mariadb-freeze' | 'mariadb-kill-connections' | 'kafka-restart' | 'kafka-kill' | 'kafka-freeze';

/** The sink's longest retry delay (core's backoff caps at 30 s): after a long outage the next try can be that far off. */
export const SINK_BACKOFF_CAP_MS = 30_000;

/** An outage of `outageMs`, starting once a third of the input is produced. */
export function outage(fault: string, kind: Outage, outageMs: number, graceMs: number): FaultSpec {
  return {
    fault,
    ...(kind === 'mariadb-kill-connections' ? { gates: { 'before-write': 'hold' } } : {}),
    // Input keeps coming during the outage: memory must stay bounded while the router cannot write.
    pacing: { chunks: 12, intervalMs: Math.round((outageMs + 3_000) / 12) },
    graceMs,
    async inject(run: FaultRun): Promise<void> {
      const total = run.lab.settings.questions;
      await waitUntil(() => run.producedCount() >= total * 0.8, { timeoutMs: 60_000, what: 'a third of the input is produced' });
      const { mariadb, kafka } = run.lab;
      const broker = (): NonNullable<typeof kafka> => {
        if (kafka === undefined) throw new Error(`${kind} needs a lab with a private broker`);
        return kafka;
      };
      const over = Date.now() + outageMs;
      const untilOver = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, over - Date.now()))); // the fault's duration
      switch (kind) {
        case 'mariadb-stop':
          await mariadb.stop();
          await untilOver();
          await mariadb.restart();
          break;
        case 'mariadb-freeze':
          mariadb.freeze();
          await untilOver();
          mariadb.thaw();
          break;
        case 'mariadb-kill-connections': {
          // A few ms after each write starts, every router connection is killed: statements die
          // mid-flight and commits become ambiguous (F8). Idle pool connections are killed too.
          const kills: Promise<void>[] = [];
          run.onGate((gate) => {
            if (gate.point === 'before-write' && Date.now() < over) {
              kills.push(new Promise((resolve) => setTimeout(resolve, run.random.between(1, 20))).then(async () => {
                run.counters.kills += await mariadb.killConnections();
              }));
            }
            return undefined;
          });
          await untilOver();
          run.onGate(undefined);
          await Promise.allSettled(kills);
          break;
        }
        case 'kafka-restart':
          await broker().stop();
          await untilOver();
          await broker().start();
          break;
        case 'kafka-kill':
          await broker().kill();
          await untilOver();
          await broker().start();
          break;
        case 'kafka-freeze':
          broker().freeze();
          await untilOver();
          broker().thaw();
          break;
      }
      run.faultOver();
    },
  };
}
