/**
 * What limits a missed end-to-end goal, in words made from the measurements: the CPU each side spent
 * per event and where evroute's CPU went (the profile of one extra run).
 */
import { cpus } from 'node:os';
import { areaShare, type ProfileSummary } from './profile.js';

/** Medians of one side's runs. */
export interface SideCost {
  readonly eventsPerSecond: number;
  /** CPU seconds of the pipeline process per 100k events. */
  readonly cpuPer100k: number;
  /** Share of the run its event loop was busy. */
  readonly eventLoopUtilization: number;
  /** Share of the run a database write was in flight, and that wall time per event in µs. */
  readonly writeBusyShare: number;
  readonly writeMicrosPerEvent: number;
  /** Times per run the pipeline reached maxInFlight (0 for the baseline). */
  readonly backpressure: number;
}

function fnShare(summary: ProfileSummary, pattern: RegExp): number {
  return Number(summary.topFunctions.filter((f) => pattern.test(f.fn)).reduce((sum, f) => sum + f.percent, 0).toFixed(1));
}

/**
 * Per event, the CPU µs evroute's profile spends in each area beyond the baseline's profile of the same
 * events (areas that differ by less than 0.2 µs are left out).
 */
function difference(ours: ProfileSummary, theirs: ProfileSummary, events: number): string {
  const ms = (s: ProfileSummary): Map<string, number> => new Map(s.byArea.map((a) => [a.area.replace(/ \(incl\. the hand-written baseline\)/, ' (the hand-written code)'), a.ms]));
  const a = ms(ours);
  const b = ms(theirs);
  const deltas = [...new Set([...a.keys(), ...b.keys()])]
    .map((area) => [area, (((a.get(area) ?? 0) - (b.get(area) ?? 0)) * 1000) / events] as const)
    .filter(([, us]) => Math.abs(us) >= 0.2)
    .sort((x, y) => y[1] - x[1]);
  const total = ((ours.busyMs - theirs.busyMs) * 1000) / events;
  return `Area by area against the baseline's profile, per event: ${deltas.map(([area, us]) => `${area} ${us > 0 ? '+' : ''}${us.toFixed(1)} µs`).join(', ')} (busy time ${total > 0 ? '+' : ''}${total.toFixed(1)} µs in all).`;
}

/** Where evroute's busy time went, as one sentence (two with the baseline's profile). */
export function whereTimeGoes(profile: ProfileSummary | string | undefined, baseline?: ProfileSummary | string, events?: number): string {
  if (profile === undefined || typeof profile === 'string') return `no profile (${profile ?? 'not taken'}).`;
  const gcBaseline = baseline !== undefined && typeof baseline !== 'string' ? ` (baseline: ${areaShare(baseline, /garbage/)} %)` : '';
  return (
    `In a CPU profile of one evroute run, the row building it shares with the baseline (@evroute/wrongbook's payload reading and row builders) takes ${areaShare(profile, /@evroute\/wrongbook|wrongbook plugins/)} % of the busy time, ` +
    `the garbage collector ${areaShare(profile, /garbage/)} %${gcBaseline}, @evroute/core ${areaShare(profile, /@evroute\/core/)} % (decodeRecord ${fnShare(profile, /^decodeRecord /)} %), ` +
    `the MySQL sink ${areaShare(profile, /@evroute\/mysql|sql-common/)} % (and mysql2 ${areaShare(profile, /mysql2/)} %, most of it scanning each rendered statement for placeholders), ` +
    `@evroute/kafka ${areaShare(profile, /@evroute\/kafka/)} % and kafkajs ${areaShare(profile, /kafkajs/)} %.` +
    (baseline !== undefined && typeof baseline !== 'string' && events !== undefined ? ` ${difference(profile, baseline, events)}` : '')
  );
}

/** What the sink's writes say about the pace. */
function sinkPace(ours: SideCost, theirs: SideCost): string {
  const pace = `The sink had a write in flight ${Math.round(ours.writeBusyShare * 100)} % of the run (one write at a time per sink) and the pipeline reached maxInFlight ${Math.round(ours.backpressure)} times per run, so the writes set the pace`;
  if (ours.writeMicrosPerEvent <= 1.2 * theirs.writeMicrosPerEvent) return `${pace}.`;
  return (
    `${pace}; and a write takes longer in evroute: ${ours.writeMicrosPerEvent.toFixed(1)} µs of write time per event against ${theirs.writeMicrosPerEvent.toFixed(1)} µs for the loop's statements. ` +
    'Rendering the statement explains a few µs of that (see mysql-batch); the rest is consistent with a finished write waiting for the event loop, busy processing the next batches, before the next write can start. ' +
    'More partitions consumed concurrently or a larger maxInFlight did not help when tried.'
  );
}

export function e2eLimits(
  ratio: number,
  ours: SideCost,
  theirs: SideCost,
  profile: { readonly evroute: ProfileSummary | string; readonly baseline?: ProfileSummary | string } | undefined,
  events: number,
): string {
  return (
    `evroute reaches ${ratio.toFixed(2)}× the hand-written pipeline. It spends ${ours.cpuPer100k.toFixed(2)} CPU s per 100k events against ${theirs.cpuPer100k.toFixed(2)} s by hand (${(ours.cpuPer100k / theirs.cpuPer100k).toFixed(2)}×) for identical tables, ` +
    `and its pipelining does not win that back: its event loop is busy ${Math.round(ours.eventLoopUtilization * 100)} % of the run against ${Math.round(theirs.eventLoopUtilization * 100)} % for the one-batch-at-a-time loop. ${sinkPace(ours, theirs)} ${whereTimeGoes(profile?.evroute, profile?.baseline, events)}`
  );
}

export function flinkLimits(ratio: number, ours: SideCost, flink: { readonly eventsPerSecond: number; readonly cpuPer100k: number; readonly parallelism: number | undefined }, profile: ProfileSummary | string | undefined): string {
  const needed = 1.5 * flink.eventsPerSecond;
  const coresNeeded = (needed * ours.cpuPer100k) / 100_000;
  return (
    `evroute reaches ${ratio.toFixed(2)}× Flink. Flink runs the job with parallelism ${flink.parallelism ?? '?'} on this ${cpus().length}-core machine and keeps both cores busy, spending ${flink.cpuPer100k.toFixed(2)} CPU s per 100k events; ` +
    `evroute does the same work with ${ours.cpuPer100k.toFixed(2)} CPU s per 100k (${(flink.cpuPer100k / ours.cpuPer100k).toFixed(2)}× less CPU per event), but one evroute process runs its pipeline on one JavaScript thread, busy ${Math.round(ours.eventLoopUtilization * 100)} % of the run and waiting on Kafka and MariaDB the rest. ` +
    `1.5× Flink would be ${Math.round(needed)} events/s: ${coresNeeded.toFixed(2)} cores of evroute CPU with no waiting at all, on a machine whose cores also run MariaDB and Kafka. More evroute instances in one group (scale-out-2, scale-out-3) are how it uses both cores. ${whereTimeGoes(profile)}`
  );
}
