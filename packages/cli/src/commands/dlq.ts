/**
 * `evroute dlq list` and `evroute dlq replay`: read the dead-letter store named by a run config's
 * `deadLetter`, and re-feed its records into a router built from the same config. `--pin name@version`
 * routes the replay through one plugin version; `--dry-run` only says what would be replayed.
 * Replaying does not delete anything from the store; records that fail again are dead-lettered again.
 */
import { deadLetterToJson, EvrouteError, type ConfigSnapshot, type ConfigSource, type DeadLetterReader, type DeadLetterRecord } from '@evroute/core';
import { buildRouter, contextOf, make } from '../build-router.js';
import { loadRunConfig } from '../load-config.js';
import { ReplaySource } from './replay-source.js';

/** Options of the dlq commands. */
export interface DlqOptions {
  readonly configPath: string;
  readonly json: boolean;
  readonly dryRun: boolean;
  readonly pin?: string;
  /** Only records with this code. */
  readonly code?: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

async function readAll(opts: DlqOptions): Promise<DeadLetterRecord[]> {
  const config = await loadRunConfig(opts.configPath);
  if (!config.deadLetter) throw new EvrouteError('EVR_ERR_CLI_CONFIG_INVALID', `${opts.configPath} has no deadLetter to read`);
  const reader = await make<DeadLetterReader>('deadLetterReaders', config.deadLetter, contextOf(config, opts.configPath));
  const records: DeadLetterRecord[] = [];
  try {
    for await (const r of reader.read(AbortSignal.timeout(60_000))) if (!opts.code || r.code === opts.code) records.push(r);
  } finally {
    await reader.close();
  }
  return records;
}

const preview = (v: DeadLetterRecord['value']): string => {
  const text = v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** `evroute dlq list`. */
export async function dlqList(opts: DlqOptions): Promise<number> {
  const records = await readAll(opts);
  if (opts.json) {
    opts.out(`${JSON.stringify(records.map(deadLetterToJson))}\n`);
    return 0;
  }
  const byCode = new Map<string, number>();
  for (const r of records) byCode.set(r.code, (byCode.get(r.code) ?? 0) + 1);
  opts.out(`${records.length} dead letters\n`);
  for (const [code, n] of byCode) opts.out(`  ${code}: ${n}\n`);
  for (const r of records.slice(0, 50)) opts.out(`${r.topic}/${r.partition}@${r.offset} ${r.code} ${r.route ?? '-'} ${preview(r.value)}\n`);
  if (records.length > 50) opts.out(`... ${records.length - 50} more (use --json for all)\n`);
  return 0;
}

/** Rewrites every route whose processor is the pinned plugin (by name or alias) to `name@version`. */
function pinned(source: ConfigSource, pin: string, aliasOf: (ref: string) => string | undefined): ConfigSource {
  const [name, version] = [pin.slice(0, pin.lastIndexOf('@')), pin.slice(pin.lastIndexOf('@') + 1)];
  const rewrite = (s: ConfigSnapshot): ConfigSnapshot => ({
    ...s,
    routes: s.routes.map((r) => (r.processor === name || aliasOf(r.processor) === name ? { ...r, processor: `${name}@${version}` } : r)),
  });
  return {
    name: `${source.name}+pin`,
    start: (handler, signal) => source.start({ snapshot: (s) => handler.snapshot(rewrite(s)), error: (e) => handler.error(e) }, signal),
    close: (signal) => source.close(signal),
  };
}

/** `evroute dlq replay`. */
export async function dlqReplay(opts: DlqOptions): Promise<number> {
  const records = await readAll(opts);
  if (opts.dryRun) {
    opts.out(`dry run: would replay ${records.length} dead letters${opts.pin ? ` through ${opts.pin}` : ''}\n`);
    return 0;
  }
  if (opts.pin && opts.pin.lastIndexOf('@') <= 0) throw new EvrouteError('EVR_ERR_CLI_USAGE', `--pin must be name@version, got '${opts.pin}'`);
  const config = await loadRunConfig(opts.configPath);
  const tty = process.stderr.isTTY;
  const source = new ReplaySource(records, (acked, total) => {
    if (tty) process.stderr.write(`\rreplayed ${acked}/${total} ${'#'.repeat(Math.round((30 * acked) / Math.max(1, total))).padEnd(30, '.')}`);
  });
  let router: Awaited<ReturnType<typeof buildRouter>> | undefined;
  router = await buildRouter(config, opts.configPath, undefined, {
    source,
    ...(opts.pin ? { config: (built: ConfigSource) => pinned(built, opts.pin!, (ref) => router?.registry.resolve(ref)?.plugin.name) } : {}),
  });
  const before = router.stats();
  await router.start();
  await router.finished();
  await router.stop();
  if (tty) process.stderr.write('\n');
  const after = router.stats();
  const again = after.deadLettered - before.deadLettered;
  opts.out(`replayed ${records.length} dead letters: ${records.length - again} processed, ${again} dead-lettered again\n`);
  return again === 0 ? 0 : 1;
}
