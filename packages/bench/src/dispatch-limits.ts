/**
 * When `dispatch` misses its goal: a CPU profile of one more evroute run over the same events, and
 * what it says about where the time per event goes beyond the bare loop.
 */
import { evroute, makeEvents } from './dispatch.js';
import { areaShare, profileSection } from './profile.js';
import type { BenchResult } from './results.js';

/** Adds `limits` and `profile` to a missed dispatch result; returns it unchanged when met. */
export async function explainDispatch(result: BenchResult, quick: boolean): Promise<BenchResult> {
  if (result.met !== false) return result;
  const events = makeEvents(quick ? 100_000 : 300_000);
  const profile = await profileSection(() => evroute(events));
  const overhead = result.details['overheadMicrosPerEvent'];
  const top = profile.topFunctions
    .filter((f) => f.area.startsWith('@evroute'))
    .slice(0, 4)
    .map((f) => `${f.fn.split(' ')[0] ?? f.fn} ${f.percent} %`)
    .join(', ');
  const limits =
    `evroute costs ${String(overhead)} µs per event more than the bare loop. In a profile of one more run, @evroute/core takes ${areaShare(profile, /@evroute\/core/)} % of the busy time ` +
    `(top: ${top}), native and generated code (JSON.parse, the ajv payload validators) ${areaShare(profile, /native/)} % and the garbage collector ${areaShare(profile, /garbage/)} %; ` +
    `the bare loop does the decode and the call with no batching, acknowledgement or fault isolation around them. ${result.details['quiet'] === undefined ? '' : `The machine had ${String((result.details['quiet'] as { busyCores?: unknown }).busyCores)} cores busy with other work when the runs began.`}`;
  return { ...result, details: { ...result.details, limits, profile } };
}
