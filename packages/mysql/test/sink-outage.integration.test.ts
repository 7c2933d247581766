// MariaDB goes away for a while during a run (simulated with a TCP proxy that resets every connection
// and refuses new ones, so the shared server keeps running for everyone else). Nothing may be
// acknowledged before its rows commit, every row must be there after the outage, and memory must stay
// bounded while the writer waits. The outage lasts 5 s by default; EVROUTE_MYSQL_OUTAGE_SECONDS=20 runs
// the full 20 s of issue #5 (docs/reference/mysql.md "Outages").
import { isEvrouteError, sleep, type SinkRecord } from '@evroute/core';
import { MySqlSink, migrate } from '@evroute/mysql';
import { waitFor } from '@evroute/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './fixtures/database.js';
import { liveHeapBytes } from './fixtures/heap.js';
import { TcpProxy } from './fixtures/tcp-proxy.js';
import { recordOf } from './fixtures/wrongbook-model.js';

const OUTAGE_MS = Number(process.env['EVROUTE_MYSQL_OUTAGE_SECONDS'] ?? '5') * 1000;
const BATCHES = 60;
const BATCH_SIZE = 200;

describe(`MySqlSink through a ${OUTAGE_MS / 1000} s database outage`, () => {
  let db: TestDatabase;
  let proxy: TcpProxy;

  beforeAll(async () => {
    db = await createTestDatabase('evr_mysql_outage');
    await migrate(db.pool, { groups: ['wrongbook'] });
    proxy = await TcpProxy.start(db.host, db.port);
  });
  afterAll(async () => {
    await proxy?.close();
    await db?.drop();
  });

  it('acknowledges nothing before its rows commit, loses nothing, and stays bounded in memory', { timeout: OUTAGE_MS + 120_000 }, async () => {
    const sink = new MySqlSink({
      connection: { url: db.urlVia('127.0.0.1', proxy.port), connectionLimit: 4, queueLimit: 8 },
      retry: { attempts: 3, initialMs: 20, maxMs: 200 },
      queryTimeoutMs: 5_000,
    });
    const signal = new AbortController().signal;
    const batches: SinkRecord[][] = Array.from({ length: BATCHES }, (_b, b) =>
      Array.from({ length: BATCH_SIZE }, (_i, i) =>
        recordOf({ type: 'add', eventId: `o${b}-${i}`, wrongId: `out-b${b}-r${i}`, facts: { user_id: `u${i}` }, createTime: 1_700_000_000_000 + i }),
      ),
    );
    const acked: number[] = [];
    const notCommittedAtAck: number[] = [];
    let failures = 0;
    const nonRetriable: unknown[] = [];
    let cutAt = Number.POSITIVE_INFINITY;

    // A pipeline-like writer: one batch at a time, retried with backoff until written, then acked.
    const writer = (async () => {
      for (const [b, batch] of batches.entries()) {
        for (let attempt = 0; ; attempt++) {
          try {
            await sink.write(batch, signal);
            break;
          } catch (error) {
            if (!isEvrouteError(error) || !error.retriable) nonRetriable.push(error);
            failures++;
            await sleep(Math.min(500, 25 * 2 ** attempt));
          }
        }
        acked.push(b);
        // At the moment of the ack the rows must already be committed (read around the proxy).
        const [rows] = await db.pool.query('SELECT COUNT(*) AS n FROM dwd_wrong_record_wide_delta WHERE wrong_id LIKE ?', [`out-b${b}-%`]);
        if (Number((rows as Array<{ n: unknown }>)[0]?.n) !== BATCH_SIZE) notCommittedAtAck.push(b);
        if (Date.now() < cutAt) await sleep(50); // pace the run so the outage falls in the middle of it
      }
    })();

    await waitFor(() => acked.length >= 5, { timeout: 30_000, message: 'first batches written' });
    const heapBefore = liveHeapBytes();
    proxy.cut();
    cutAt = Date.now();
    const ackedAtCut = acked.length;

    // Meanwhile more writers hammer the dead database: each must fail fast and retriably, none may hang.
    const extra = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => sink.write(batches[i % BATCHES] ?? [], signal)));
    expect(extra.every((r) => r.status === 'rejected' && isEvrouteError(r.reason) && r.reason.retriable)).toBe(true);

    let heapPeak = 0;
    while (Date.now() - cutAt < OUTAGE_MS) {
      heapPeak = Math.max(heapPeak, liveHeapBytes());
      expect(acked.length).toBe(ackedAtCut); // no batch is acknowledged while the database is away
      await sleep(250);
    }
    expect(sink.healthy()).toBe(false);
    expect(failures).toBeGreaterThan(0);
    proxy.restore();

    await writer;
    await sink.close(signal);
    expect(nonRetriable).toEqual([]);
    expect(acked).toHaveLength(BATCHES);
    expect(notCommittedAtAck).toEqual([]);
    const [rows] = await db.pool.query("SELECT COUNT(*) AS n FROM dwd_wrong_record_wide_delta WHERE wrong_id LIKE 'out-%'");
    expect(Number((rows as Array<{ n: unknown }>)[0]?.n)).toBe(BATCHES * BATCH_SIZE);
    // The sink buffers nothing beyond the batch it is given: the heap does not grow with the outage.
    expect(heapPeak - heapBefore).toBeLessThan(16 * 1024 * 1024);
  });
});
