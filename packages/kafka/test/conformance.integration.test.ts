// The testkit adapter conformance suites, run against the Kafka adapters and the real broker.
import type { RouteRow, SinkRecord } from '@evroute/core';
import { requireKafka, uniqueName } from '@evroute/testkit';
import { configSourceConformance, deadLetterConformance, sinkConformance, sourceConformance } from '@evroute/testkit/conformance';
import { beforeAll } from 'vitest';
import { KafkaConfigSource, KafkaDeadLetterSink, KafkaSink, KafkaSource, RoutePublisher, createConfigTopic } from '../src/index.js';
import { brokers, createTopic, produceRaw, readToEnd } from './support/kafka-fixtures.js';

beforeAll(async () => {
  await requireKafka();
});

sinkConformance('KafkaSink', async () => {
  const topic = await createTopic('conf_sink', 3);
  return {
    sink: new KafkaSink({ brokers: brokers() }),
    record: (i: number): SinkRecord => ({ output: 'out', spec: {}, target: topic, key: `k${i}`, value: { i, text: `record ${i}` }, headers: { n: String(i) } }),
    read: async () =>
      (await readToEnd(topic)).map((r) => ({ key: r.key, value: JSON.parse(r.value?.toString() ?? 'null') as unknown, headers: r.headers })),
    expected: (i: number) => ({ key: `k${i}`, value: { i, text: `record ${i}` }, headers: { n: String(i) } }),
    idempotent: false, // a topic keeps both copies of a redelivered batch; consumers dedupe by key
  };
});

deadLetterConformance('KafkaDeadLetterSink', async () => {
  const topic = await createTopic('conf_dlq', 1);
  return {
    sink: new KafkaDeadLetterSink({ brokers: brokers(), topic }),
    readValues: async () => (await readToEnd(topic)).map((r) => r.value ?? Buffer.alloc(0)),
  };
});

sourceConformance('KafkaSource', async () => {
  const topic = await createTopic('conf_src', 3);
  const groupId = uniqueName('conf_src_group');
  let n = 0;
  return {
    source: () => new KafkaSource({ brokers: brokers(), groupId, topics: [topic], fromBeginning: true, commitIntervalMs: 100, name: `kafka-${++n}` }),
    produce: (values: readonly string[]) => produceRaw(topic, values.map((value, i) => ({ key: `key-${i % 7}`, value }))),
  };
});

configSourceConformance('KafkaConfigSource', async () => {
  const where = { brokers: brokers(), topic: uniqueName('conf_config') };
  await createConfigTopic(where);
  const publisher = new RoutePublisher(where);
  const written = new Set<string>();
  return {
    source: new KafkaConfigSource({ ...where, maxWaitTimeMs: 200 }),
    write: async (routes: readonly RouteRow[]) => {
      const keep = new Set(routes.map((r) => r.id));
      for (const id of written) if (!keep.has(id)) await publisher.delete(id);
      for (const route of routes) await publisher.publish(route);
      written.clear();
      for (const id of keep) written.add(id);
    },
    settleMs: 1_000,
    cleanup: () => publisher.close(),
  };
});
