/**
 * The error catalogue of `@evroute/kafka`, and the one table that maps Kafka client errors (kafkajs error
 * names and Kafka protocol error types) to those codes with a retriable flag. Identify errors by `code`
 * (`isEvrouteError` from `@evroute/core`), never by `instanceof`.
 */
import { EvrouteError, isEvrouteError, type ErrorContext } from '@evroute/core';

/** What each code means and whether retrying the same operation can succeed. */
export const kafkaErrors = {
  EVR_ERR_KAFKA_OPTIONS_INVALID: { retriable: false, text: 'adapter options are invalid' },
  EVR_ERR_KAFKA_CONNECT: { retriable: true, text: 'no broker could be reached' },
  EVR_ERR_KAFKA_AUTH: { retriable: false, text: 'SASL authentication failed or the mechanism is not enabled' },
  EVR_ERR_KAFKA_AUTHORIZATION: { retriable: false, text: 'the principal lacks an ACL for the topic, group or cluster' },
  EVR_ERR_KAFKA_TIMEOUT: { retriable: true, text: 'a request to the broker timed out' },
  EVR_ERR_KAFKA_METADATA: { retriable: true, text: 'topic or broker metadata is missing or stale' },
  EVR_ERR_KAFKA_COORDINATOR: { retriable: true, text: 'the group coordinator is moving or loading' },
  EVR_ERR_KAFKA_REBALANCING: { retriable: true, text: 'the consumer group is rebalancing' },
  EVR_ERR_KAFKA_LEADER: { retriable: true, text: 'a partition leader or enough in-sync replicas are not available' },
  EVR_ERR_KAFKA_TOPIC_NOT_FOUND: { retriable: true, text: 'the topic or partition does not exist (yet)' },
  EVR_ERR_KAFKA_TOPIC_INVALID: { retriable: false, text: 'the topic name is invalid' },
  EVR_ERR_KAFKA_MESSAGE_TOO_LARGE: { retriable: false, text: 'a record is larger than the broker or topic accepts' },
  EVR_ERR_KAFKA_RECORD_INVALID: { retriable: false, text: 'the broker refused a record as invalid' },
  EVR_ERR_KAFKA_VALUE_ENCODE: { retriable: false, text: 'a record value cannot be serialised to JSON' },
  EVR_ERR_KAFKA_PRODUCER_FENCED: { retriable: true, text: 'the idempotent producer lost its sequence; it re-initialises' },
  EVR_ERR_KAFKA_OFFSET_OUT_OF_RANGE: { retriable: true, text: 'the fetch offset is outside the log (retention deleted it)' },
  EVR_ERR_KAFKA_UNSUPPORTED: { retriable: false, text: 'the broker does not support a request the client needs' },
  EVR_ERR_KAFKA_BROKER_REFUSED: { retriable: false, text: 'the broker refused the request (policy, config or version)' },
  EVR_ERR_KAFKA_COMMIT_FAILED: { retriable: true, text: 'committing consumer offsets failed; the next commit retries' },
  EVR_ERR_KAFKA_PRODUCE_FAILED: { retriable: true, text: 'producing records failed' },
  EVR_ERR_KAFKA_CONSUMER_CRASHED: { retriable: true, text: 'the consumer crashed; see the cause' },
  EVR_ERR_KAFKA_CONFIG_READ_FAILED: { retriable: true, text: 'the routing config topic could not be read to its end' },
  EVR_ERR_KAFKA_CONFIG_RECORD_INVALID: { retriable: false, text: 'a routing config record is not a valid route row' },
  EVR_ERR_KAFKA_CLOSED: { retriable: false, text: 'the adapter is closed' },
  EVR_ERR_KAFKA_ABORTED: { retriable: true, text: 'the operation was aborted by its signal' },
  EVR_ERR_KAFKA_UNKNOWN: { retriable: true, text: 'an unclassified Kafka client error' },
} as const satisfies Record<`EVR_ERR_KAFKA_${string}`, { retriable: boolean; text: string }>;

/** A code of the Kafka catalogue. */
export type KafkaErrorCode = keyof typeof kafkaErrors;

/** Makes a coded error; `retriable` defaults to the catalogue's flag for the code. */
export function kafkaError(
  code: KafkaErrorCode,
  message: string,
  options: { retriable?: boolean; cause?: unknown; context?: ErrorContext } = {},
): EvrouteError {
  return new EvrouteError(code, message, { ...options, retriable: options.retriable ?? kafkaErrors[code].retriable });
}

/** Kafka protocol error `type`s (as kafkajs names them) → our code. Unlisted types fall back on the client's flag. */
const protocolTypes: Readonly<Record<string, KafkaErrorCode>> = {
  OFFSET_OUT_OF_RANGE: 'EVR_ERR_KAFKA_OFFSET_OUT_OF_RANGE',
  UNKNOWN_TOPIC_OR_PARTITION: 'EVR_ERR_KAFKA_TOPIC_NOT_FOUND',
  INVALID_TOPIC_EXCEPTION: 'EVR_ERR_KAFKA_TOPIC_INVALID',
  LEADER_NOT_AVAILABLE: 'EVR_ERR_KAFKA_LEADER',
  NOT_LEADER_FOR_PARTITION: 'EVR_ERR_KAFKA_LEADER',
  FENCED_LEADER_EPOCH: 'EVR_ERR_KAFKA_LEADER',
  UNKNOWN_LEADER_EPOCH: 'EVR_ERR_KAFKA_LEADER',
  BROKER_NOT_AVAILABLE: 'EVR_ERR_KAFKA_LEADER',
  REPLICA_NOT_AVAILABLE: 'EVR_ERR_KAFKA_LEADER',
  NOT_ENOUGH_REPLICAS: 'EVR_ERR_KAFKA_LEADER',
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: 'EVR_ERR_KAFKA_LEADER',
  KAFKA_STORAGE_ERROR: 'EVR_ERR_KAFKA_LEADER',
  REQUEST_TIMED_OUT: 'EVR_ERR_KAFKA_TIMEOUT',
  NETWORK_EXCEPTION: 'EVR_ERR_KAFKA_CONNECT',
  MESSAGE_TOO_LARGE: 'EVR_ERR_KAFKA_MESSAGE_TOO_LARGE',
  RECORD_LIST_TOO_LARGE: 'EVR_ERR_KAFKA_MESSAGE_TOO_LARGE',
  INVALID_RECORD: 'EVR_ERR_KAFKA_RECORD_INVALID',
  CORRUPT_MESSAGE: 'EVR_ERR_KAFKA_RECORD_INVALID',
  INVALID_TIMESTAMP: 'EVR_ERR_KAFKA_RECORD_INVALID',
  UNSUPPORTED_COMPRESSION_TYPE: 'EVR_ERR_KAFKA_UNSUPPORTED',
  UNSUPPORTED_FOR_MESSAGE_FORMAT: 'EVR_ERR_KAFKA_UNSUPPORTED',
  UNSUPPORTED_VERSION: 'EVR_ERR_KAFKA_UNSUPPORTED',
  GROUP_LOAD_IN_PROGRESS: 'EVR_ERR_KAFKA_COORDINATOR',
  GROUP_COORDINATOR_NOT_AVAILABLE: 'EVR_ERR_KAFKA_COORDINATOR',
  NOT_COORDINATOR_FOR_GROUP: 'EVR_ERR_KAFKA_COORDINATOR',
  REBALANCE_IN_PROGRESS: 'EVR_ERR_KAFKA_REBALANCING',
  ILLEGAL_GENERATION: 'EVR_ERR_KAFKA_REBALANCING',
  UNKNOWN_MEMBER_ID: 'EVR_ERR_KAFKA_REBALANCING',
  MEMBER_ID_REQUIRED: 'EVR_ERR_KAFKA_REBALANCING',
  FENCED_INSTANCE_ID: 'EVR_ERR_KAFKA_REBALANCING',
  TOPIC_AUTHORIZATION_FAILED: 'EVR_ERR_KAFKA_AUTHORIZATION',
  GROUP_AUTHORIZATION_FAILED: 'EVR_ERR_KAFKA_AUTHORIZATION',
  CLUSTER_AUTHORIZATION_FAILED: 'EVR_ERR_KAFKA_AUTHORIZATION',
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'EVR_ERR_KAFKA_AUTHORIZATION',
  SASL_AUTHENTICATION_FAILED: 'EVR_ERR_KAFKA_AUTH',
  UNSUPPORTED_SASL_MECHANISM: 'EVR_ERR_KAFKA_AUTH',
  ILLEGAL_SASL_STATE: 'EVR_ERR_KAFKA_AUTH',
  OUT_OF_ORDER_SEQUENCE_NUMBER: 'EVR_ERR_KAFKA_PRODUCER_FENCED',
  INVALID_PRODUCER_EPOCH: 'EVR_ERR_KAFKA_PRODUCER_FENCED',
  UNKNOWN_PRODUCER_ID: 'EVR_ERR_KAFKA_PRODUCER_FENCED',
  INVALID_PRODUCER_ID_MAPPING: 'EVR_ERR_KAFKA_PRODUCER_FENCED',
  POLICY_VIOLATION: 'EVR_ERR_KAFKA_BROKER_REFUSED',
  INVALID_REQUIRED_ACKS: 'EVR_ERR_KAFKA_BROKER_REFUSED',
  INVALID_CONFIG: 'EVR_ERR_KAFKA_BROKER_REFUSED',
  INVALID_REQUEST: 'EVR_ERR_KAFKA_BROKER_REFUSED',
  INVALID_SESSION_TIMEOUT: 'EVR_ERR_KAFKA_BROKER_REFUSED',
  INVALID_GROUP_ID: 'EVR_ERR_KAFKA_BROKER_REFUSED',
  INCONSISTENT_GROUP_PROTOCOL: 'EVR_ERR_KAFKA_BROKER_REFUSED',
};

/** kafkajs error class `name`s → our code. */
const clientNames: Readonly<Record<string, KafkaErrorCode>> = {
  KafkaJSConnectionError: 'EVR_ERR_KAFKA_CONNECT',
  KafkaJSConnectionClosedError: 'EVR_ERR_KAFKA_CONNECT',
  KafkaJSNoBrokerAvailableError: 'EVR_ERR_KAFKA_CONNECT',
  KafkaJSBrokerNotFound: 'EVR_ERR_KAFKA_CONNECT',
  KafkaJSSASLAuthenticationError: 'EVR_ERR_KAFKA_AUTH',
  KafkaJSRequestTimeoutError: 'EVR_ERR_KAFKA_TIMEOUT',
  KafkaJSTimeout: 'EVR_ERR_KAFKA_TIMEOUT',
  KafkaJSLockTimeout: 'EVR_ERR_KAFKA_TIMEOUT',
  KafkaJSMetadataNotLoaded: 'EVR_ERR_KAFKA_METADATA',
  KafkaJSTopicMetadataNotLoaded: 'EVR_ERR_KAFKA_METADATA',
  KafkaJSStaleTopicMetadataAssignment: 'EVR_ERR_KAFKA_METADATA',
  KafkaJSGroupCoordinatorNotFound: 'EVR_ERR_KAFKA_COORDINATOR',
  KafkaJSFetcherRebalanceError: 'EVR_ERR_KAFKA_REBALANCING',
  KafkaJSMemberIdRequired: 'EVR_ERR_KAFKA_REBALANCING',
  KafkaJSOffsetOutOfRange: 'EVR_ERR_KAFKA_OFFSET_OUT_OF_RANGE',
  KafkaJSServerDoesNotSupportApiKey: 'EVR_ERR_KAFKA_UNSUPPORTED',
  KafkaJSNotImplemented: 'EVR_ERR_KAFKA_UNSUPPORTED',
  KafkaJSUnsupportedMagicByteInMessageSet: 'EVR_ERR_KAFKA_UNSUPPORTED',
};

interface ClientErrorShape {
  name?: unknown;
  type?: unknown;
  retriable?: unknown;
  message?: unknown;
  cause?: unknown;
}

/**
 * The code and retriable flag for an error a Kafka client threw, by its `type` (a Kafka protocol error),
 * then its `name` (a kafkajs class), then the cause chain (kafkajs wraps the last attempt's error in
 * `KafkaJSNumberOfRetriesExceeded`, and a later attempt may still succeed); otherwise `fallback` with
 * the client's own `retriable` flag.
 */
export function classifyKafkaError(error: unknown, fallback: KafkaErrorCode): { code: KafkaErrorCode; retriable: boolean } {
  let current: unknown = error;
  let retriesExhausted = false;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const shape = current as ClientErrorShape;
    if (shape.name === 'KafkaJSNumberOfRetriesExceeded') retriesExhausted = true;
    const byType = typeof shape.type === 'string' ? protocolTypes[shape.type] : undefined;
    const byName = typeof shape.name === 'string' ? clientNames[shape.name] : undefined;
    const code = byType ?? byName;
    if (code) return { code, retriable: kafkaErrors[code].retriable };
    current = shape.cause;
  }
  const flag = typeof error === 'object' && error !== null ? (error as ClientErrorShape).retriable : undefined;
  if (retriesExhausted) return { code: fallback, retriable: true };
  return { code: fallback, retriable: typeof flag === 'boolean' ? flag : kafkaErrors[fallback].retriable };
}

/**
 * Wraps anything a Kafka client threw into a coded {@link EvrouteError} (see {@link classifyKafkaError}),
 * keeping the original as `cause`. An error that already has an `EVR_ERR_*` code is returned as is.
 */
export function toKafkaError(error: unknown, fallback: KafkaErrorCode, context: ErrorContext = {}): EvrouteError {
  if (isEvrouteError(error)) return error;
  const { code, retriable } = classifyKafkaError(error, fallback);
  const message = error instanceof Error ? error.message : String(error);
  return new EvrouteError(code, `${kafkaErrors[code].text}: ${message}`, { retriable, cause: error, context });
}
