// The Kafka adapters under the real router (createRouter), against the real broker: the whole
// pipeline commits what it wrote, sends undecodable messages to the dead-letter topic, and applies
// route changes from the config topic on every running instance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter, definePlugin, type Router } from '@evroute/core';
import { MemorySink, requireKafka, silentLogger, uniqueName, waitFor } from '@evroute/testkit';
import { KafkaConfigSource, KafkaDeadLetterSink, KafkaSource, RoutePublisher, createConfigTopic } from '@evroute/kafka';
import { createTopic, endOffsets, groupOffsets, produceEvents, produceRaw, readTopic } from './support/kafka-fixtures.js';

const tag = definePlugin<{ tag: string }>({
  name: 'tag',
  version: '1.0.0',
  core: '^0.1.0',
  aliases: ['com.example.TagProcessor'],
  configSchema: { type: 'object', properties: { tag: { type: 'string', default: 'none' } } },
  outputs: { out: {} },
  create: (config) => ({ process: (event) => [{ to: 'out', value: { id: event.eventId, tag: config.tag } }] }),
});

let brokers: string[];
beforeAll(async () => {
  brokers = await requireKafka();
});

const routers: Router[] = [];
afterAll(async () => {
  await Promise.allSettled(routers.map((r) => r.stop({ timeoutMs: 5_000 })));
});

describe('KafkaSource → createRouter → sink', () => {
  it('writes 100,000 events from 6 partitions and, after the drain, has committed exactly the end offsets', async () => {
    const topic = await createTopic('router-100k', 6);
    const groupId = uniqueName('router-group');
    await produceEvents(topic, 100_000, 6);
    const sink = new MemorySink('mem');
    const router = createRouter({
      source: new KafkaSource({ brokers, groupId, topics: [topic], fromBeginning: true }),
      config: { name: 'static', start: (h) => Promise.resolve(h.snapshot({ version: 1, routes: [{ id: '1', domain: 'test', eventType: 'seq', processor: 'tag', enabled: true, priority: 0 }] })), close: () => Promise.resolve() },
      plugins: [tag],
      sinks: { mem: sink },
      outputs: { out: { sink: 'mem' } },
      logger: silentLogger(),
      batch: { size: 1_000, lingerMs: 5 },
    });
    routers.push(router);
    await router.start();
    await waitFor(() => router.stats().acknowledged >= 100_000, { timeout: 90_000, message: '100,000 events acknowledged' });
    await router.stop();
    expect(new Set(sink.records.map((r) => r.value['id'])).size).toBe(100_000);
    const ends = await endOffsets(topic);
    const committed = await groupOffsets(groupId, topic);
    expect(committed).toEqual(ends);
  });

  it('sends a message that is not JSON to the dead-letter topic with its bytes and headers, and keeps the partition flowing', async () => {
    const topic = await createTopic('router-dlq-in', 1);
    const dlqTopic = await createTopic('router-dlq', 1);
    const groupId = uniqueName('router-dlq-group');
    const bad = Buffer.from([0x7b, 0xff, 0x00, 0x22]); // '{', invalid UTF-8, NUL, '"'
    await produceRaw(topic, [
      { key: 'k1', value: JSON.stringify({ domain: 'test', type: 'seq', eventId: 'before', timestamp: 1, payload: {} }) },
      { key: 'k2', value: bad, headers: { trace: 'abc' } },
      { key: 'k3', value: JSON.stringify({ domain: 'test', type: 'seq', eventId: 'after', timestamp: 1, payload: {} }) },
    ]);
    const sink = new MemorySink('mem');
    const router = createRouter({
      source: new KafkaSource({ brokers, groupId, topics: [topic], fromBeginning: true }),
      config: { name: 'static', start: (h) => Promise.resolve(h.snapshot({ version: 1, routes: [{ id: '1', domain: 'test', eventType: 'seq', processor: 'tag', enabled: true, priority: 0 }] })), close: () => Promise.resolve() },
      plugins: [tag],
      sinks: { mem: sink },
      outputs: { out: { sink: 'mem' } },
      deadLetter: new KafkaDeadLetterSink({ brokers, topic: dlqTopic }),
      logger: silentLogger(),
    });
    routers.push(router);
    await router.start();
    await waitFor(() => router.stats().acknowledged === 3, { timeout: 30_000 });
    await router.stop();
    expect(sink.records.map((r) => r.value['id'])).toEqual(['before', 'after']);
    const [dead] = await readTopic(dlqTopic, 1);
    expect(dead?.value?.equals(bad)).toBe(true);
    expect(dead?.key).toBe('k2');
    expect(dead?.headers['trace']).toBe('abc');
    expect(Object.entries(dead?.headers ?? {}).some(([k, v]) => k.includes('code') && v === 'EVR_ERR_DECODE_NOT_JSON')).toBe(true);
    expect(await groupOffsets(groupId, topic)).toEqual(new Map([[0, '3']]));
  });
});

describe('KafkaConfigSource under two running routers', () => {
  it('applies a route change published on the config topic on both instances', async () => {
    const configTopic = uniqueName('routes');
    await createConfigTopic({ brokers, topic: configTopic });
    const publisher = new RoutePublisher({ brokers, topic: configTopic });
    await publisher.publish({ id: '1', domain: 'test', eventType: 'seq', processor: 'com.example.TagProcessor', enabled: true, priority: 0, config: '{"tag":"v1"}' });
    const idle = { name: 'idle', start: () => Promise.resolve(), ack: () => undefined, close: () => Promise.resolve() };
    const make = (): Router =>
      createRouter({ source: idle, config: new KafkaConfigSource({ brokers, topic: configTopic }), plugins: [tag], sinks: { mem: new MemorySink() }, outputs: { out: { sink: 'mem' } }, logger: silentLogger() });
    const a = make();
    const b = make();
    routers.push(a, b);
    await Promise.all([a.start(), b.start()]);
    const tagOf = (r: Router): unknown => (r.table().lookup('test', 'seq')[0]?.handle?.config as { tag?: string } | undefined)?.tag;
    expect([tagOf(a), tagOf(b)]).toEqual(['v1', 'v1']);
    await publisher.publish({ id: '1', domain: 'test', eventType: 'seq', processor: 'tag', enabled: true, priority: 0, config: '{"tag":"v2"}' });
    await waitFor(() => tagOf(a) === 'v2' && tagOf(b) === 'v2', { timeout: 10_000, message: 'both routers run v2' });
    await publisher.delete('1');
    await waitFor(() => a.table().lookup('test', 'seq').length === 0 && b.table().lookup('test', 'seq').length === 0, { timeout: 10_000 });
    await publisher.close();
    await Promise.all([a.stop(), b.stop()]);
  });
});
