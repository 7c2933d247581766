/**
 * Where the time goes: a summary of a V8 CPU profile (`node --cpu-prof`) by self time, per area (a
 * package, the garbage collector, idle) and per function. Used to explain a missed goal.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time of a profile, in ms and as a share of the busy (non-idle) time. */
export interface ProfileSummary {
  readonly busyMs: number;
  readonly idleMs: number;
  readonly byArea: ReadonlyArray<{ area: string; ms: number; percent: number }>;
  readonly topFunctions: ReadonlyArray<{ fn: string; area: string; ms: number; percent: number }>;
}

const AREAS: ReadonlyArray<readonly [RegExp, string]> = [
  [/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?kafkajs\//, 'kafkajs'],
  [/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(mysql2|sql-escaper)\//, 'mysql2 (incl. sql-escaper)'],
  [/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(pino|ajv|sqlstring|iconv-lite|lru\.min|long|denque)[^/]*\//, 'other dependencies'],
  [/packages\/core\//, '@evroute/core'],
  [/packages\/kafka\//, '@evroute/kafka'],
  [/packages\/mysql\//, '@evroute/mysql'],
  [/packages\/sql-common\//, '@evroute/sql-common'],
  [/packages\/wrongbook\//, '@evroute/wrongbook'],
  [/packages\/plugin-wrongbook-/, 'wrongbook plugins'],
  [/packages\/bench\//, 'bench harness (incl. the hand-written baseline)'],
  [/^node:/, 'Node.js internals'],
];

function areaOf(frame: ProfileNode['callFrame']): string {
  if (frame.url === '') return frame.functionName.startsWith('(') ? frame.functionName : 'native or generated code (JSON.parse, Buffer, ajv validators)';
  return AREAS.find(([pattern]) => pattern.test(frame.url))?.[1] ?? 'other dependencies';
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\/.*?\/(node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?|packages\/)/, '').replace(/^node:/, 'node:');
}

/** Summarizes one `.cpuprofile` file. */
export function summarizeProfile(path: string, top = 12): ProfileSummary {
  return summarize(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile, top);
}

function summarize(profile: CpuProfile, top: number): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const areas = new Map<string, number>();
  const functions = new Map<string, { area: string; ms: number }>();
  let idleMs = 0;
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    if (frame.functionName === '(idle)' || frame.url === 'node:inspector/promises' || frame.url === 'node:inspector') {
      idleMs += ms;
      continue;
    }
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const fn = frame.url === '' ? frame.functionName || '(anonymous)' : `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    const entry = functions.get(fn) ?? { area, ms: 0 };
    entry.ms += ms;
    functions.set(fn, entry);
  }
  const busyMs = [...areas.values()].reduce((a, b) => a + b, 0);
  const share = (ms: number): number => Number(((ms / busyMs) * 100).toFixed(1));
  return {
    busyMs: Math.round(busyMs),
    idleMs: Math.round(idleMs),
    byArea: [...areas].sort((a, b) => b[1] - a[1]).map(([area, ms]) => ({ area, ms: Math.round(ms), percent: share(ms) })),
    topFunctions: [...functions]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, top)
      .map(([fn, { area, ms }]) => ({ fn, area, ms: Math.round(ms), percent: share(ms) })),
  };
}

/** The newest `.cpuprofile` in `dir`. */
export function newestProfile(dir: string): string | undefined {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  return files.length === 0 ? undefined : join(dir, files.sort().at(-1) as string);
}

/** Runs `work` under the V8 sampling profiler of this process and summarizes what it spent. */
export async function profileSection(work: () => Promise<unknown>, top = 12): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    await work();
    const { profile } = await session.post('Profiler.stop');
    return summarize(profile as CpuProfile, top);
  } finally {
    session.disconnect();
  }
}

/** Share of busy time (percent) of the areas whose name matches. */
export function areaShare(summary: ProfileSummary, pattern: RegExp): number {
  return Number(summary.byArea.filter((a) => pattern.test(a.area)).reduce((sum, a) => sum + a.percent, 0).toFixed(1));
}
