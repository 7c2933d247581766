// The adapter table the CLI resolves by type name: config-file conveniences, validation, no connecting.
import { silentLogger } from '@evroute/testkit';
import { describe, expect, it } from 'vitest';
import { KafkaConfigSource, KafkaDeadLetterReader, KafkaDeadLetterSink, KafkaSink, KafkaSource, evrouteAdapters } from '../src/index.js';

const ctx = { logger: silentLogger(), baseDir: '.' };

describe('evrouteAdapters', () => {
  it('builds every Kafka adapter under the type name kafka, without connecting', async () => {
    const source = await evrouteAdapters.sources?.kafka?.({ brokers: 'a:9092, b:9092', groupId: 'g', topicPattern: '^wrongbook-' }, ctx);
    expect(source).toBeInstanceOf(KafkaSource);
    expect(source?.healthy?.()).toBe(false);
    expect(await evrouteAdapters.sinks?.kafka?.({ brokers: ['a:9092'] }, ctx)).toBeInstanceOf(KafkaSink);
    expect(await evrouteAdapters.deadLetterSinks?.kafka?.({ brokers: 'a:9092', topic: 'dlq' }, ctx)).toBeInstanceOf(KafkaDeadLetterSink);
    expect(await evrouteAdapters.deadLetterReaders?.kafka?.({ brokers: 'a:9092', topic: 'dlq' }, ctx)).toBeInstanceOf(KafkaDeadLetterReader);
    expect(await evrouteAdapters.configSources?.kafka?.({ brokers: 'a:9092', topic: 'routes' }, ctx)).toBeInstanceOf(KafkaConfigSource);
  });

  it('refuses bad options with a coded, non-retriable error', () => {
    expect(() => evrouteAdapters.sources?.kafka?.({ brokers: 'a:9092', topics: ['t'] }, ctx)).toThrow(
      expect.objectContaining({ code: 'EVR_ERR_KAFKA_OPTIONS_INVALID', retriable: false }),
    );
    expect(() => evrouteAdapters.sinks?.kafka?.({ brokers: 'a:9092', acks: 1 }, ctx)).toThrow(/idempotent producer needs `acks: -1`/);
    expect(() => evrouteAdapters.deadLetterSinks?.kafka?.({ brokers: 'a:9092' }, ctx)).toThrow(/topic/);
    expect(() => evrouteAdapters.configSources?.kafka?.({ brokers: [] , topic: 'x' }, ctx)).toThrow(/brokers/);
  });
});
