// KafkaSink against the real broker: records produced through the sink are read back with a plain
// kafkajs consumer with their key, headers and JSON value; bad records are refused one by one.
import type { SinkRecord } from '@evroute/core';
import { requireKafka } from '@evroute/testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KafkaSink } from '../src/index.js';
import { brokers, createTopic, endOffsets, readTopic } from './support/kafka-fixtures.js';

beforeAll(async () => {
  await requireKafka();
});

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).toReversed()) await close();
});

const record = (target: string, key: string | null, value: Record<string, unknown>, headers: Record<string, string> = {}): SinkRecord => ({
  output: 'out',
  spec: {},
  target,
  key,
  value,
  headers,
});

describe('KafkaSink (real broker)', () => {
  it('produces each record to its target topic with its key, headers and JSON value', async () => {
    const metrics = await createTopic('sink_metrics', 3);
    const audit = await createTopic('sink_audit', 1);
    const sink = new KafkaSink({ brokers: brokers(), name: 'kafka-out' });
    closers.push(() => sink.close(AbortSignal.timeout(5_000)));
    expect(sink.healthy()).toBe(false);
    await sink.start(AbortSignal.timeout(10_000));
    expect(sink.healthy()).toBe(true);

    const result = await sink.write(
      [
        record(metrics, 'user-1', { fix_id: 'f1', fix_result: 1, note: '订正' }, { 'x-trace': 't1' }),
        record(audit, 'user-2', { wrong_id: 'w2', deleted: true }),
        record(metrics, 'user-1', { fix_id: 'f2', fix_result: 0 }, { 'x-trace': 't2', 'x-other': 'o' }),
        record(metrics, null, { fix_id: 'f3' }),
      ],
      AbortSignal.timeout(10_000),
    );
    expect(result).toBeUndefined();

    const read = await readTopic(metrics, 3);
    expect(read).toHaveLength(3);
    const byFix = new Map(read.map((r) => [JSON.parse(r.value?.toString() ?? 'null').fix_id as string, r]));
    expect(JSON.parse(byFix.get('f1')?.value?.toString() ?? '')).toEqual({ fix_id: 'f1', fix_result: 1, note: '订正' });
    expect(byFix.get('f1')?.key).toBe('user-1');
    expect(byFix.get('f1')?.headers).toEqual({ 'x-trace': 't1' });
    expect(byFix.get('f2')?.headers).toEqual({ 'x-trace': 't2', 'x-other': 'o' });
    expect(byFix.get('f2')?.partition).toBe(byFix.get('f1')?.partition); // same key, same partition, in order
    expect(Number(byFix.get('f2')?.offset)).toBeGreaterThan(Number(byFix.get('f1')?.offset));
    expect(byFix.get('f3')?.key).toBeNull();
    const [auditRecord] = await readTopic(audit, 1);
    expect(JSON.parse(auditRecord?.value?.toString() ?? '')).toEqual({ wrong_id: 'w2', deleted: true });
  });

  it('refuses unserialisable and oversized records one by one and writes the rest', async () => {
    const topic = await createTopic('sink_reject', 1);
    const sink = new KafkaSink({ brokers: brokers(), maxMessageBytes: 200 });
    closers.push(() => sink.close(AbortSignal.timeout(5_000)));
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const result = await sink.write(
      [
        record(topic, 'k', { ok: 1 }),
        record(topic, 'k', { big: 1n }),
        record(topic, 'k', { text: 'x'.repeat(500) }),
        record(topic, 'k', cyclic),
        record(topic, 'k', { ok: 2 }),
      ],
      AbortSignal.timeout(10_000),
    );
    expect(result?.rejected?.map(({ index, error }) => [index, error.code, error.retriable])).toEqual([
      [1, 'EVR_ERR_KAFKA_VALUE_ENCODE', false],
      [2, 'EVR_ERR_KAFKA_MESSAGE_TOO_LARGE', false],
      [3, 'EVR_ERR_KAFKA_VALUE_ENCODE', false],
    ]);
    const read = await readTopic(topic, 2);
    expect(read.map((r) => r.value?.toString())).toEqual(['{"ok":1}', '{"ok":2}']);
  });

  it('writes 50 000 records in batches of 1 000, concurrently, and every one lands once', async () => {
    const topic = await createTopic('sink_bulk', 6);
    const sink = new KafkaSink({ brokers: brokers() });
    closers.push(() => sink.close(AbortSignal.timeout(5_000)));
    const started = performance.now();
    const writes = [];
    for (let b = 0; b < 50; b++) {
      const batch = Array.from({ length: 1_000 }, (_, i) => record(topic, `user-${(b * 1_000 + i) % 101}`, { seq: b * 1_000 + i }));
      writes.push(sink.write(batch, AbortSignal.timeout(20_000)));
    }
    await Promise.all(writes);
    const took = performance.now() - started;
    const ends = await endOffsets(topic);
    expect([...ends.values()].reduce((sum, end) => sum + Number(end), 0)).toBe(50_000);
    console.log(`[kafka-sink] 50000 records in ${Math.round(took)} ms (${Math.round(50_000 / (took / 1000))} rec/s, idempotent, acks=all)`);
  });

  it('fails a write with a coded retriable error when no broker answers', async () => {
    const sink = new KafkaSink({ brokers: ['127.0.0.1:1'], connectionTimeoutMs: 200 });
    closers.push(() => sink.close(AbortSignal.timeout(1_000)));
    const error = await sink.write([record('t', 'k', { a: 1 })], AbortSignal.timeout(2_000)).catch((e: unknown) => e);
    expect(error).toMatchObject({ retriable: true });
    expect((error as { code: string }).code).toMatch(/^EVR_ERR_KAFKA_(CONNECT|ABORTED)$/);
  });

  it('sends SASL credentials; a refused handshake is EVR_ERR_KAFKA_AUTH (not retriable), and the password is never logged', async () => {
    // The test broker has a PLAINTEXT listener only, so it refuses the SASL handshake (ILLEGAL_SASL_STATE).
    const lines: string[] = [];
    const at = (level: string) => (fields: object, message?: string) => void lines.push(`${level} ${message ?? ''} ${JSON.stringify(fields)}`);
    const logger = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), isLevelEnabled: () => true };
    const password = 'S3cret-Passw0rd-do-not-log';
    const sink = new KafkaSink({ brokers: brokers(), sasl: { mechanism: 'plain', username: 'evroute', password }, logger, clientLogLevel: 'debug' });
    closers.push(() => sink.close(AbortSignal.timeout(5_000)));
    const error = await sink.start(AbortSignal.timeout(20_000)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EVR_ERR_KAFKA_AUTH', retriable: false });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((line) => line.includes(password))).toEqual([]);
    expect(JSON.stringify({ message: (error as Error).message, context: (error as { context: unknown }).context })).not.toContain(password);
  });
});
