/**
 * Events as they travel through evroute: the raw record a source delivers, and the decoded envelope of
 * `shared/spec/wrongbook.md` §1 that processors see.
 */

/** Header values are kept as strings; binary headers are decoded as UTF-8 by the source. */
export type Headers = Readonly<Record<string, string>>;

/**
 * One record as a source delivers it, before decoding. `partition` and `offset` identify its position:
 * the pipeline acknowledges positions back to the source, which commits them.
 */
export interface SourceRecord {
  /** The raw value: bytes from Kafka, text from a file, or an object from a programmatic source. */
  readonly value: Uint8Array | string | object | null;
  readonly key: string | null;
  readonly headers: Headers;
  /** Topic, file or stream name. */
  readonly topic: string;
  readonly partition: number;
  /** Position in its partition, as a decimal string (Kafka offsets exceed 2^53). */
  readonly offset: string;
  /** Broker or file timestamp, epoch ms, when known. */
  readonly timestamp?: number;
}

/** The business event envelope after decoding and validation. */
export interface EventEnvelope {
  readonly domain: string;
  readonly type: string;
  /** Event time, epoch ms (from `timestamp`, or parsed from an ISO-8601 `event_time`). */
  readonly timestamp: number;
  /** Globally unique; the idempotency key. */
  readonly eventId: string;
  /** The business data, always an object (a JSON string payload is parsed). */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly version?: string;
  readonly source?: string;
}

/** Transport metadata of a decoded event: where it came from. */
export interface EventMeta {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly headers: Headers;
}

/** What a processor receives: the envelope plus its transport metadata. */
export interface Event extends EventEnvelope {
  readonly meta: EventMeta;
}

/** `domain:type`, the routing key. */
export function routingKey(domain: string, type: string): string {
  return `${domain}:${type}`;
}
