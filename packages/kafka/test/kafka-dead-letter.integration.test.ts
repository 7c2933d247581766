// The dead-letter sink against the real broker: a dead-letter record keeps the original value bytes,
// key and headers and adds the evroute.* headers. And the flow the router runs: a message that is not
// JSON goes to the dead-letter topic, is acknowledged, and its partition keeps flowing and committing.
import type { DeadLetterRecord, SourceHandler, SourceRecord } from '@evroute/core';
import { requireKafka, uniqueName, waitFor } from '@evroute/testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KafkaDeadLetterReader, KafkaDeadLetterSink, KafkaSource, readDeadLetterHeaders } from '../src/index.js';
import { brokers, createTopic, groupOffsets, produceRaw, readTopic } from './support/kafka-fixtures.js';

beforeAll(async () => {
  await requireKafka();
});

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).toReversed()) await close();
});

const failure = (value: DeadLetterRecord['value'], extra: Partial<DeadLetterRecord> = {}): DeadLetterRecord => ({
  value,
  key: 'user-7',
  headers: { traceparent: '00-1-2-01', 'content-type': 'application/json' },
  code: 'EVR_ERR_PROCESSOR_FAILED',
  message: 'boom: 错题 not found',
  stack: `Error: boom\n${'    at somewhere (x.ts:1:1)\n'.repeat(1_000)}`,
  topic: 'wrongbook-events',
  partition: 2,
  offset: '12345678901234567',
  timestamp: 1_764_000_000_123,
  attempts: 4,
  eventId: 'evt-1',
  route: '12',
  plugin: 'wrongbook-fix',
  pluginVersion: '2.0.1',
  configVersion: 9,
  ...extra,
});

describe('KafkaDeadLetterSink (real broker)', () => {
  it('keeps the original bytes, key and headers and adds every evroute.* header', async () => {
    const topic = await createTopic('dlq', 1);
    const sink = new KafkaDeadLetterSink({ brokers: brokers(), topic, maxStackBytes: 512 });
    closers.push(() => sink.close(AbortSignal.timeout(5_000)));
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x22, 0x61]); // "{", invalid UTF-8, NUL, "\"a"
    const { stack: _noStack, ...withoutStack } = failure({ a: 1 });
    await sink.write([failure(bytes), failure('plain text'), withoutStack, failure(null, { key: null })], AbortSignal.timeout(10_000));

    const read = await readTopic(topic, 4);
    expect(read).toHaveLength(4);
    const [first, second, third, fourth] = read.sort((a, b) => Number(a.offset) - Number(b.offset)) as [
      (typeof read)[0],
      (typeof read)[0],
      (typeof read)[0],
      (typeof read)[0],
    ];
    expect(first.value?.equals(bytes)).toBe(true);
    expect(first.key).toBe('user-7');
    expect(second.value?.toString()).toBe('plain text');
    expect(third.value?.toString()).toBe('{"a":1}');
    expect(fourth.value).toBeNull();
    expect(fourth.key).toBeNull();

    const info = readDeadLetterHeaders(first.headers);
    expect(info).toMatchObject({
      code: 'EVR_ERR_PROCESSOR_FAILED',
      message: 'boom: 错题 not found',
      plugin: 'wrongbook-fix',
      pluginVersion: '2.0.1',
      route: '12',
      topic: 'wrongbook-events',
      partition: 2,
      offset: '12345678901234567',
      timestamp: 1_764_000_000_123,
      attempts: 4,
      eventId: 'evt-1',
      configVersion: 9,
      originalHeaders: { traceparent: '00-1-2-01', 'content-type': 'application/json' },
    });
    expect(Buffer.byteLength(info?.stack ?? '')).toBeLessThanOrEqual(512);
    expect(info?.stack?.startsWith('Error: boom')).toBe(true);
    expect(readDeadLetterHeaders(third.headers)?.stack).toBeUndefined();
  });

  it('a message that is not JSON lands on the dead-letter topic with its headers; its partition keeps flowing', async () => {
    const input = await createTopic('dlq_in', 1);
    const dlqTopic = await createTopic('dlq_out', 1);
    const groupId = uniqueName('dlq_group');
    const good = (n: number) => ({ key: `user-${n}`, value: JSON.stringify({ domain: 'wrongbook', type: 'wrongbook_add', n }) });
    const poison = { key: 'user-x', value: Buffer.from('{"domain": "wrongbook", oops'), headers: { traceparent: 'tp-1' } };
    await produceRaw(input, [good(0), good(1), poison, good(3), good(4)]);

    const deadLetters = new KafkaDeadLetterSink({ brokers: brokers(), topic: dlqTopic });
    closers.push(() => deadLetters.close(AbortSignal.timeout(5_000)));
    const processed: number[] = [];
    // What the router does with each record: decode; a failure goes to the dead-letter sink; then ack.
    let source!: KafkaSource;
    const handler: SourceHandler = {
      deliver: async (records: readonly SourceRecord[]) => {
        void (async () => {
          for (const r of records) {
            try {
              processed.push(JSON.parse(Buffer.from(r.value as Uint8Array).toString('utf8')).n as number);
            } catch (error) {
              await deadLetters.write(
                [
                  {
                    value: r.value,
                    key: r.key,
                    headers: r.headers,
                    code: 'EVR_ERR_DECODE_NOT_JSON',
                    message: (error as Error).message,
                    topic: r.topic,
                    partition: r.partition,
                    offset: r.offset,
                    timestamp: Date.now(),
                    attempts: 1,
                  },
                ],
                AbortSignal.timeout(10_000),
              );
            }
          }
          source.ack(records);
        })();
      },
    };
    source = new KafkaSource({ brokers: brokers(), groupId, topics: [input], fromBeginning: true, commitIntervalMs: 100 });
    closers.push(() => source.close(AbortSignal.timeout(10_000)));
    await source.start(handler, AbortSignal.timeout(30_000));

    await waitFor(() => processed.length === 4, { timeout: 15_000, message: 'the four good events processed' });
    expect(processed).toEqual([0, 1, 3, 4]);
    const [dead] = await readTopic(dlqTopic, 1);
    expect(dead?.value?.equals(poison.value)).toBe(true);
    expect(dead?.key).toBe('user-x');
    expect(readDeadLetterHeaders(dead?.headers ?? {})).toMatchObject({
      code: 'EVR_ERR_DECODE_NOT_JSON',
      topic: input,
      partition: 0,
      offset: '2',
      attempts: 1,
      originalHeaders: { traceparent: 'tp-1' },
    });
    await waitFor(async () => (await groupOffsets(groupId, input)).get(0) === '5', {
      timeout: 10_000,
      interval: 100,
      message: 'the partition committed past the dead-lettered message',
    });
  });
});

describe('KafkaDeadLetterReader (real broker)', () => {
  it('reads back what the dead-letter sink wrote, oldest first, and ends at the end offsets', async () => {
    const topic = await createTopic('dlq_read', 2);
    const sink = new KafkaDeadLetterSink({ brokers: brokers(), topic });
    closers.push(() => sink.close(AbortSignal.timeout(5_000)));
    const written = Array.from({ length: 2_500 }, (_, i): DeadLetterRecord => {
      const { stack: _stack, ...withoutStack } = failure(Buffer.from([i % 256, 0xff, i >> 8]), { key: `user-${i % 5}`, offset: String(i) });
      return withoutStack;
    });
    await sink.write(written, AbortSignal.timeout(20_000));
    await produceRaw(topic, [{ key: 'foreign', value: 'not from a dead-letter sink', partition: 0 }]);

    const reader = new KafkaDeadLetterReader({ brokers: brokers(), topic });
    const read: DeadLetterRecord[] = [];
    for await (const record of reader.read(AbortSignal.timeout(30_000))) read.push(record);
    await reader.close();

    expect(read).toHaveLength(2_501);
    const foreign = read.filter((r) => r.code === 'EVR_ERR_KAFKA_RECORD_INVALID');
    expect(foreign).toHaveLength(1);
    const mine = read.filter((r) => r.code !== 'EVR_ERR_KAFKA_RECORD_INVALID');
    const byOffset = new Map(mine.map((r) => [r.offset, r]));
    for (const w of written) {
      const r = byOffset.get(w.offset);
      expect(Buffer.from(r?.value as Uint8Array).equals(w.value as Buffer)).toBe(true);
      expect(r).toMatchObject({ key: w.key, code: w.code, attempts: 4, plugin: 'wrongbook-fix', configVersion: 9, headers: w.headers });
    }
    // Oldest first within each key's partition.
    const perKey = new Map<string, number[]>();
    for (const r of mine) perKey.set(r.key ?? '', [...(perKey.get(r.key ?? '') ?? []), Number(r.offset)]);
    for (const offsets of perKey.values()) expect(offsets).toEqual([...offsets].sort((a, b) => a - b));

    // Stopping early is fine too.
    const firstTen: DeadLetterRecord[] = [];
    for await (const record of new KafkaDeadLetterReader({ brokers: brokers(), topic }).read(AbortSignal.timeout(30_000))) {
      if (firstTen.push(record) === 10) break;
    }
    expect(firstTen).toHaveLength(10);
  });
});
