/**
 * CPU time of other processes from Linux's /proc: MariaDB's and the Kafka broker's share of a run, and
 * how busy the whole machine was (other engineers' work shows up there). Returns undefined where /proc
 * is missing or the process is not found.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const TICKS_PER_SECOND = 100; // USER_HZ, fixed at 100 on Linux for /proc/<pid>/stat and /proc/stat

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** utime + stime of `pid`, in seconds. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const stat = read(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** The socket inodes listening on TCP `port` (IPv4 and IPv6). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (read(table) ?? '').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1]?.split(':')[1];
      if (local !== undefined && Number.parseInt(local, 16) === port && fields[3] === '0A' && fields[9] !== undefined) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** The process listening on TCP `port` (the server we talk to, even when others of its kind run). */
function pidListeningOn(port: number): number | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0 || !existsSync('/proc')) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(join('/proc', entry, 'fd'));
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(join('/proc', entry, 'fd', fd));
        if (target.startsWith('socket:[') && inodes.has(target.slice(8, -1))) return Number(entry);
      } catch {
        // the fd closed meanwhile
      }
    }
  }
  return undefined;
}

const portOf = (address: string, fallback: number): number => Number(/:(\d+)$/.exec(address)?.[1] ?? fallback);

/** The MariaDB server and the Kafka broker this run uses, found by the ports they listen on. */
export function servicePids(services: { readonly mysqlUrl: string; readonly brokers: readonly string[] }): { mysqld: number | undefined; kafka: number | undefined } {
  return { mysqld: pidListeningOn(Number(new URL(services.mysqlUrl).port || 3306)), kafka: pidListeningOn(portOf(services.brokers[0] ?? '', 9092)) };
}

/** Busy CPU seconds of the whole machine (all cores) so far. */
export function machineBusySeconds(): number | undefined {
  const line = read('/proc/stat')?.split('\n')[0];
  if (line === undefined) return undefined;
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / TICKS_PER_SECOND;
}

/** A point to measure CPU deltas from: MariaDB, the broker and the machine. */
export interface CpuMark {
  readonly mysqld: number | undefined;
  readonly kafka: number | undefined;
  readonly machine: number | undefined;
}

export function cpuMark(pids: ReturnType<typeof servicePids>): CpuMark {
  return { mysqld: processCpuSeconds(pids.mysqld), kafka: processCpuSeconds(pids.kafka), machine: machineBusySeconds() };
}

/** CPU seconds used between two marks, rounded to 0.01 (null where unknown). */
export function cpuBetween(from: CpuMark, to: CpuMark): { mysqld: number | null; kafka: number | null; machine: number | null } {
  const delta = (a: number | undefined, b: number | undefined): number | null => (a === undefined || b === undefined ? null : Number((b - a).toFixed(2)));
  return { mysqld: delta(from.mysqld, to.mysqld), kafka: delta(from.kafka, to.kafka), machine: delta(from.machine, to.machine) };
}

/** The 1-, 5- and 15-minute load averages, as `uptime` shows them. */
export function load(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');
}

/** Cores busy machine-wide (all processes) over the next `ms`, or undefined without /proc. */
export async function busyCores(ms = 500): Promise<number | undefined> {
  const from = machineBusySeconds();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const to = machineBusySeconds();
  return from === undefined || to === undefined ? undefined : (to - from) / ((performance.now() - started) / 1000);
}
