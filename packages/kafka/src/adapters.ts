/**
 * The adapters of this package by type name, for hosts (the CLI) that build them from a run config:
 * `{ "type": "kafka", ... }` resolves to `evrouteAdapters.sources.kafka(options, ctx)` and so on. Each
 * factory validates its options (throwing `EVR_ERR_KAFKA_OPTIONS_INVALID`) and connects nothing.
 *
 * Config-file conveniences: `brokers` may be one comma-separated string (the seed's
 * `kafka.bootstrap.servers`), a source's `topicPattern` may be a string (made a RegExp), and without a
 * `logger` the adapter logs to a child of the host's logger.
 */
import type { AdapterContext, EvrouteAdapters } from '@evroute/core';
import { KafkaConfigSource, type KafkaConfigSourceOptions } from './kafka-config-source.js';
import { KafkaDeadLetterReader, type KafkaDeadLetterReaderOptions } from './kafka-dead-letter-reader.js';
import { KafkaDeadLetterSink, type KafkaDeadLetterSinkOptions } from './kafka-dead-letter-sink.js';
import { KafkaSink, type KafkaSinkOptions } from './kafka-sink.js';
import { KafkaSource } from './kafka-source.js';
import type { KafkaSourceOptions } from './kafka-source-options.js';

type Options = Readonly<Record<string, unknown>>;

/** Applies the config-file conveniences; the adapter constructor validates the result. */
function fromConfig<T>(options: Options, ctx: AdapterContext, adapter: string): T {
  const out: Record<string, unknown> = { ...options };
  if (typeof out.brokers === 'string') out.brokers = out.brokers.split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (typeof out.topicPattern === 'string') out.topicPattern = new RegExp(out.topicPattern);
  out.logger ??= ctx.logger.child({ adapter });
  return out as T;
}

/** The Kafka adapters, each under the type name `kafka`. */
export const evrouteAdapters: EvrouteAdapters = Object.freeze({
  sources: Object.freeze({ kafka: (o: Options, ctx: AdapterContext) => new KafkaSource(fromConfig<KafkaSourceOptions>(o, ctx, 'kafka-source')) }),
  sinks: Object.freeze({ kafka: (o: Options, ctx: AdapterContext) => new KafkaSink(fromConfig<KafkaSinkOptions>(o, ctx, 'kafka-sink')) }),
  deadLetterSinks: Object.freeze({
    kafka: (o: Options, ctx: AdapterContext) => new KafkaDeadLetterSink(fromConfig<KafkaDeadLetterSinkOptions>(o, ctx, 'kafka-dead-letter')),
  }),
  deadLetterReaders: Object.freeze({
    kafka: (o: Options, ctx: AdapterContext) => new KafkaDeadLetterReader(fromConfig<KafkaDeadLetterReaderOptions>(o, ctx, 'kafka-dead-letter-reader')),
  }),
  configSources: Object.freeze({
    kafka: (o: Options, ctx: AdapterContext) => new KafkaConfigSource(fromConfig<KafkaConfigSourceOptions>(o, ctx, 'kafka-config')),
  }),
});
