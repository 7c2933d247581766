// The public API of @evroute/kafka: Kafka source, sinks and config source for evroute, on kafkajs
// behind a small client seam. Hand-curated; everything not listed here is internal.

export { KafkaSource } from './kafka-source.js';
export type { KafkaSourceOptions } from './kafka-source-options.js';
export type { PartitionPosition } from './ack-tracker.js';
export { PartitionWatermark } from './offset-watermark.js';

export { KafkaSink, type KafkaSinkOptions } from './kafka-sink.js';
export { KafkaDeadLetterSink, type KafkaDeadLetterSinkOptions } from './kafka-dead-letter-sink.js';
export { KafkaDeadLetterReader, deadLetterFromMessage, type KafkaDeadLetterReaderOptions } from './kafka-dead-letter-reader.js';
export type { KafkaProducerSettings } from './producer-options.js';
export {
  deadLetterHeaderNames,
  readDeadLetterHeaders,
  type DeadLetterInfo,
} from './dead-letter-headers.js';

export { KafkaConfigSource, type KafkaConfigSourceOptions } from './kafka-config-source.js';
export {
  RoutePublisher,
  publishRoute,
  deleteRoute,
  createConfigTopic,
  type RouteTopicOptions,
} from './config-topic.js';
export { parseRouteRecord, encodeRouteRecord, type RouteRecordValue, type ParsedRoute } from './route-record.js';

export { evrouteAdapters } from './adapters.js';

export type {
  KafkaConnectionOptions,
  KafkaSaslOptions,
  KafkaTlsOptions,
  ClientLogLevel,
} from './connection.js';
export type { KafkaLogger } from './logger.js';
export { kafkaErrors, classifyKafkaError, toKafkaError, type KafkaErrorCode } from './errors.js';

// The client seam: implement KafkaClient to replace kafkajs (docs/reference/kafka.md).
export type {
  KafkaClient,
  GroupConsumer,
  GroupConsumerOptions,
  GroupEvent,
  BatchHandler,
  BatchControl,
  FetchedBatch,
  FetchedMessage,
  RawHeaders,
  KafkaProducer,
  ProducerOptions,
  OutgoingMessage,
  TopicMessages,
  KafkaAdmin,
  PartitionOffsets,
  TopicSpec,
  TopicPartition,
  TopicPartitionOffset,
} from './client.js';
export { createKafkajsClient } from './kafkajs-client.js';
