/**
 * Writing the routing config topic: create it compacted, publish and delete routes. For operators
 * (a CLI, a deploy script) and tests; the {@link KafkaConfigSource} of every instance picks each change up.
 */
import type { RouteRow } from '@evroute/core';
import { validateConnection, type KafkaConnectionOptions } from './connection.js';
import { kafkaError, toKafkaError } from './errors.js';
import { SerialProducer } from './internal/serial-producer.js';
import { createKafkajsClient } from './kafkajs-client.js';
import { encodeRouteRecord } from './route-record.js';

/** Where the routing config lives. */
export interface RouteTopicOptions extends KafkaConnectionOptions {
  /** The compacted config topic, e.g. `evroute-routing-config`. */
  readonly topic: string;
}

function checked(options: RouteTopicOptions, what: string): RouteTopicOptions {
  validateConnection(options, what);
  if (typeof options.topic !== 'string' || options.topic === '') {
    throw kafkaError('EVR_ERR_KAFKA_OPTIONS_INVALID', `${what}: \`topic\` must be the config topic name`);
  }
  return options;
}

/**
 * Publishes route changes with an idempotent producer (acks = all): `publish` resolves when the change is
 * durable on the topic. Changes to one route are ordered (same key, same partition).
 */
export class RoutePublisher {
  readonly topic: string;
  readonly #producer: SerialProducer;

  /** Validates the options (throws `EVR_ERR_KAFKA_OPTIONS_INVALID`); connects on first use. */
  constructor(options: RouteTopicOptions) {
    this.topic = checked(options, 'RoutePublisher').topic;
    const client = (options.clientFactory ?? createKafkajsClient)(options);
    this.#producer = new SerialProducer(
      client,
      { idempotent: true, acks: -1, compression: 'none', ackTimeoutMs: 30_000, allowAutoTopicCreation: false },
      'RoutePublisher',
    );
  }

  /** Writes `route` (creating or replacing the route with its id); rejects with a coded error. */
  publish(route: RouteRow, signal?: AbortSignal): Promise<void> {
    if (typeof route.id !== 'string' || route.id === '') {
      return Promise.reject(kafkaError('EVR_ERR_KAFKA_OPTIONS_INVALID', 'RoutePublisher: a route needs a non-empty string `id`'));
    }
    return this.#producer.send([{ topic: this.topic, messages: [{ key: route.id, value: encodeRouteRecord(route) }] }], signal);
  }

  /** Writes a tombstone for route `id`, deleting it; rejects with a coded error. */
  delete(id: string, signal?: AbortSignal): Promise<void> {
    return this.#producer.send([{ topic: this.topic, messages: [{ key: id, value: null }] }], signal);
  }

  /** Flushes and disconnects. Idempotent. */
  close(signal?: AbortSignal): Promise<void> {
    return this.#producer.close(signal);
  }
}

async function once(options: RouteTopicOptions, use: (publisher: RoutePublisher) => Promise<void>): Promise<void> {
  const publisher = new RoutePublisher(options);
  try {
    await use(publisher);
  } finally {
    await publisher.close();
  }
}

/** Connects, publishes one route, disconnects. For scripts; keep a {@link RoutePublisher} for many changes. */
export function publishRoute(options: RouteTopicOptions, route: RouteRow): Promise<void> {
  return once(options, (publisher) => publisher.publish(route));
}

/** Connects, deletes one route (tombstone), disconnects. */
export function deleteRoute(options: RouteTopicOptions, id: string): Promise<void> {
  return once(options, (publisher) => publisher.delete(id));
}

/**
 * Creates the config topic with `cleanup.policy=compact` (so the latest row per route is kept for ever)
 * and one partition by default. Resolves false when the topic exists already; rejects with a coded error.
 */
export async function createConfigTopic(
  options: RouteTopicOptions,
  settings: { readonly partitions?: number; readonly replicationFactor?: number } = {},
): Promise<boolean> {
  const admin = (options.clientFactory ?? createKafkajsClient)(checked(options, 'createConfigTopic')).admin();
  try {
    await admin.connect();
    const spec = { topic: options.topic, partitions: settings.partitions ?? 1, config: { 'cleanup.policy': 'compact' } };
    return await admin.createTopic(settings.replicationFactor === undefined ? spec : { ...spec, replicationFactor: settings.replicationFactor });
  } catch (error) {
    throw toKafkaError(error, 'EVR_ERR_KAFKA_CONNECT', { topic: options.topic });
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
