// Raw kafkajs helpers for the integration tests: make topics, produce test data, read topics back and
// ask the broker for offsets. They talk to the real broker from `kafkaBrokers()` (which throws with
// instructions when EVROUTE_KAFKA_BROKERS is not set: these tests never skip).
import { kafkaBrokers, uniqueName } from '@evroute/testkit';
import kafkajs from 'kafkajs';
import type { Admin, IHeaders, KafkaMessage } from 'kafkajs';

const { Kafka, logLevel, Partitioners } = kafkajs;

/** The broker list, or a loud failure telling how to start one. */
export function brokers(): string[] {
  return kafkaBrokers();
}

function kafka(): InstanceType<typeof Kafka> {
  return new Kafka({ brokers: brokers(), clientId: 'evroute-test', logLevel: logLevel.NOTHING });
}

async function withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Creates a fresh topic with a unique name and returns the name. */
export async function createTopic(prefix: string, partitions: number, config: Record<string, string> = {}): Promise<string> {
  const topic = uniqueName(prefix);
  await withAdmin((admin) =>
    admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: partitions, configEntries: Object.entries(config).map(([name, value]) => ({ name, value })) }],
    }),
  );
  return topic;
}

/** End offset per partition. */
export async function endOffsets(topic: string): Promise<Map<number, string>> {
  const offsets = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
  return new Map(offsets.map(({ partition, high }) => [partition, high]));
}

/** The group's committed offset per partition (`-1` when none). */
export async function groupOffsets(groupId: string, topic: string): Promise<Map<number, string>> {
  const [entry] = await withAdmin((admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
  return new Map((entry?.partitions ?? []).map(({ partition, offset }) => [partition, offset]));
}

/**
 * Produces `count` JSON events round-robin over `partitions` partitions, in batches, and resolves when
 * all are acknowledged. Event `i` has key `user-<i % 97>` and value `{"seq": i, ...}`.
 */
export async function produceEvents(topic: string, count: number, partitions: number, batch = 5_000): Promise<void> {
  const producer = kafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let start = 0; start < count; start += batch) {
      const messages = [];
      for (let i = start; i < Math.min(count, start + batch); i++) {
        messages.push({
          partition: i % partitions,
          key: `user-${i % 97}`,
          value: JSON.stringify({ domain: 'test', type: 'seq', eventId: `e-${i}`, timestamp: Date.now(), payload: { seq: i } }),
        });
      }
      await producer.send({ topic, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Produces raw messages (value bytes, key, headers) to one partition. */
export async function produceRaw(
  topic: string,
  messages: ReadonlyArray<{ key: string | null; value: Buffer | string | null; headers?: IHeaders; partition?: number }>,
): Promise<void> {
  const producer = kafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, messages: messages.map((m) => ({ ...m })) });
  } finally {
    await producer.disconnect();
  }
}

/** A record read back with a plain kafkajs consumer. */
export interface ReadRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
}

function headersOf(message: KafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) out[name] = (Array.isArray(value) ? value.at(-1) : value)?.toString() ?? '';
  }
  return out;
}

/** Reads a topic from the beginning until `count` records arrived (or `timeoutMs` passed). */
export async function readTopic(topic: string, count: number, timeoutMs = 20_000): Promise<ReadRecord[]> {
  const consumer = kafka().consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 200 });
  const records: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({ partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value, headers: headersOf(message) });
        if (records.length >= count) done();
      },
    });
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** Every record of a topic up to its current end offsets (for "what the store holds now"). */
export async function readToEnd(topic: string, timeoutMs = 20_000): Promise<ReadRecord[]> {
  const ends = await endOffsets(topic);
  const total = [...ends.values()].reduce((sum, end) => sum + Number(end), 0);
  return total === 0 ? [] : readTopic(topic, total, timeoutMs);
}
