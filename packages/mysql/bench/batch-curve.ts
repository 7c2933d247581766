/**
 * The MySqlSink batch-size curve: rows/s of wrongbook-shaped upserts at batch sizes 100, 1000 and 5000,
 * each over 100,000 upserts (50,000 adds that insert, then 50,000 fixes that update the same rows
 * through the merge rules), one writer, sink.write awaited per batch as the pipeline does. Runs are
 * interleaved across sizes (run 1 of each size, then run 2, …) so drift hits every size alike, after
 * one uncounted warm-up run; the median of the runs is reported with min and max. DEFAULT_MYSQL_BATCH_SIZE is chosen from this.
 *
 *   pnpm tsc -b && EVROUTE_MYSQL_URL=mysql://root@127.0.0.1:3306 node packages/mysql/bench/batch-curve.ts
 *
 * A local server answers in ~0.1 ms, which flatters small batches; the curve is measured again through
 * a TCP proxy that adds BENCH_RTT_MS of round-trip time (default 1 ms, a same-zone cloud database),
 * reported under ids suffixed `-rtt<N>ms`.
 *
 * Env: EVROUTE_MYSQL_URL (required), BENCH_RUNS (default 3), BENCH_ROWS (default 100000),
 * BENCH_RTT_MS (default 1; 0 skips the second curve).
 * Writes packages/mysql/bench/.results/mysql-batch.json (ids mysql-batch-100/1000/5000, as
 * docs/benchmarks.json expects them).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { cpus, platform, release, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { SinkRecord } from '@evroute/core';
import { DEFAULT_MYSQL_BATCH_SIZE, MySqlSink, migrate } from '@evroute/mysql';
import { createPool } from 'mysql2/promise';
import { recordOf, type WrongbookEvent } from '../test/fixtures/wrongbook-model.ts';

const SIZES = [100, 1000, 5000];
const RUNS = Number(process.env['BENCH_RUNS'] ?? '3');
const ROWS = Number(process.env['BENCH_ROWS'] ?? '100000');
const server = process.env['EVROUTE_MYSQL_URL'] ?? '';
if (server === '') throw new Error('EVROUTE_MYSQL_URL is not set (e.g. mysql://root@127.0.0.1:3306)');

const RTT_MS = Number(process.env['BENCH_RTT_MS'] ?? '1');

/** A TCP proxy to host:port that delays every chunk by half the round trip, each way, in order. */
async function latencyProxy(host: string, port: number, rttMs: number): Promise<Server> {
  const proxy = createServer((client) => {
    const upstream = connect({ host, port });
    const relay = (from: typeof client, to: typeof client): void => {
      from.on('data', (chunk) => setTimeout(() => to.write(chunk), rttMs / 2));
      from.on('close', () => setTimeout(() => to.destroy(), rttMs));
      from.on('error', () => to.destroy());
    };
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return proxy;
}

/** 50 % adds of new wrong questions, then 50 % fixes of the same ones. */
function workload(): SinkRecord[] {
  const half = ROWS / 2;
  const events: WrongbookEvent[] = [];
  const base = 1_700_000_000_000;
  for (let i = 0; i < half; i++) {
    events.push({
      type: 'add', eventId: `a${i}`, wrongId: `bench-w${i}`, createTime: base + i,
      facts: {
        user_id: `u${i % 5000}`, subject: 'MATH', subject_name: '数学', question_id: `q${i % 20000}`, question: `题目 ${i}: 计算 ${i} + ${i}`,
        pattern_id: `p${i % 500}`, pattern_name: `pattern ${i % 500}`, teach_type_id: `t${i % 90}`, teach_type_name: `教学类型 ${i % 90}`, chapter_id: `c${i % 70}`,
      },
    });
  }
  for (let i = 0; i < half; i++) {
    events.push({ type: 'fix', eventId: `f${i}`, wrongId: `bench-w${i}`, facts: {}, createTime: base + i, fixId: `fix${i}`, fixTime: base + i + 60_000, fixResult: i % 2 === 0 ? 1 : 0 });
  }
  return events.map((e) => recordOf(e));
}

async function main(): Promise<void> {
  const name = `evr_bench_${Date.now().toString(36)}`;
  const admin = createPool({ uri: server, connectionLimit: 1 });
  await admin.query(`CREATE DATABASE \`${name}\``);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const pool = createPool({ uri: url.toString(), connectionLimit: 2 });
  try {
    await migrate(pool, { groups: ['wrongbook'] });
    const [[version]] = (await pool.query('SELECT VERSION() AS v')) as unknown as [[{ v: string }]];
    const records = workload();
    const curves: Array<{ suffix: string; url: string; samples: Map<number, number[]> }> = [
      { suffix: '', url: url.toString(), samples: new Map(SIZES.map((s) => [s, []])) },
    ];
    let proxy: Server | undefined;
    if (RTT_MS > 0) {
      proxy = await latencyProxy(url.hostname, Number(url.port || 3306), RTT_MS);
      const via = new URL(url);
      via.hostname = '127.0.0.1';
      via.port = String((proxy.address() as AddressInfo).port);
      curves.push({ suffix: `-rtt${RTT_MS}ms`, url: via.toString(), samples: new Map(SIZES.map((s) => [s, []])) });
    }
    const signal = new AbortController().signal;
    // Run 0 warms up the server's buffer pool and the JIT; it is not counted.
    for (let run = 0; run <= RUNS; run++) {
      for (const curve of curves) for (const size of SIZES) {
        await pool.query('TRUNCATE TABLE dwd_wrong_record_wide_delta');
        const sink = new MySqlSink({ connection: { url: curve.url }, maxRowsPerStatement: size, maxStatementBytes: 64 * 1024 * 1024 });
        await sink.start(signal);
        const started = performance.now();
        for (let i = 0; i < records.length; i += size) {
          const result = await sink.write(records.slice(i, i + size), signal);
          if ((result.rejected?.length ?? 0) > 0) throw new Error(`rows rejected: ${JSON.stringify(result.rejected?.[0])}`);
        }
        const seconds = (performance.now() - started) / 1000;
        await sink.close(signal);
        const [[count]] = (await pool.query('SELECT COUNT(*) AS n FROM dwd_wrong_record_wide_delta WHERE fix_id IS NOT NULL')) as unknown as [[{ n: number | string }]];
        if (Number(count.n) !== ROWS / 2) throw new Error(`expected ${ROWS / 2} fixed rows, found ${count.n}`);
        const rate = Math.round(records.length / seconds);
        if (run > 0) curve.samples.get(size)?.push(rate);
        process.stderr.write(`run ${run} batch ${size}${curve.suffix}: ${rate} rows/s (${seconds.toFixed(2)} s)\n`);
      }
    }
    await new Promise((resolve) => (proxy === undefined ? resolve(undefined) : proxy.close(resolve)));
    const results = curves.flatMap(({ suffix, samples }) => SIZES.map((size) => {
      const runs = [...(samples.get(size) ?? [])].sort((a, b) => a - b);
      return {
        id: `mysql-batch-${size}${suffix}`,
        batchSize: size,
        addedRoundTripMs: suffix === '' ? 0 : RTT_MS,
        unit: 'rows/s',
        median: runs[Math.floor(runs.length / 2)] ?? 0,
        min: runs[0] ?? 0,
        max: runs.at(-1) ?? 0,
        runs,
      };
    }));
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${platform()}, ${version.v}`;
    const date = new Date().toISOString();
    const report = {
      generatedAt: date,
      // In the shape of docs/benchmarks.json, for packages/bench to merge.
      entries: results.map((r) => ({
        id: r.id,
        name: `MySqlSink wrongbook upserts, batches of ${r.batchSize}${r.addedRoundTripMs > 0 ? `, +${r.addedRoundTripMs} ms round trip` : ''}`,
        unit: 'rows/s',
        value: r.median,
        command: 'pnpm tsc -b && node packages/mysql/bench/batch-curve.ts',
        machine,
        date,
        details: { rows: ROWS, runs: RUNS, min: r.min, max: r.max, all: r.runs, addedRoundTripMs: r.addedRoundTripMs },
      })),
      workload: `${ROWS} wrongbook upserts (${ROWS / 2} inserting adds, then ${ROWS / 2} updating fixes), one writer, one statement per batch, median of ${RUNS} interleaved runs after a warm-up run`,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), platform: `${platform()} ${release()}`, node: process.version, mariadb: version.v },
      defaultBatchSize: DEFAULT_MYSQL_BATCH_SIZE,
      results,
    };
    const out = new URL('./.results/', import.meta.url);
    mkdirSync(out, { recursive: true });
    writeFileSync(new URL('mysql-batch.json', out), `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

await main();
