/**
 * The Kafka questions the suite asks: make and delete a run's topic, the topic's end offsets and the
 * group's committed offsets (is everything committed?), and reading a topic back.
 */
import kafkajs, { type Admin } from 'kafkajs';

/** One admin connection, reconnected after a broker fault. */
export class TopicAdmin {
  readonly #kafka: InstanceType<typeof kafkajs.Kafka>;
  #admin: Admin | undefined;

  constructor(brokers: readonly string[]) {
    this.#kafka = new kafkajs.Kafka({ brokers: [...brokers], clientId: 'evroute-faults-admin', logLevel: kafkajs.logLevel.NOTHING, connectionTimeout: 2_000, requestTimeout: 5_000, retry: { retries: 2 } });
  }

  async #use<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    if (this.#admin === undefined) {
      const admin = this.#kafka.admin();
      await admin.connect();
      this.#admin = admin;
    }
    try {
      return await work(this.#admin);
    } catch (error) {
      const admin = this.#admin;
      this.#admin = undefined;
      await admin?.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /** Creates `topic` with `partitions` partitions and waits for their leaders. */
  async createTopic(topic: string, partitions: number): Promise<void> {
    await this.#use((admin) => admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] }));
  }

  /** Deletes `topic` (best effort). */
  async deleteTopic(topic: string): Promise<void> {
    await this.#use((admin) => admin.deleteTopics({ topics: [topic], timeout: 5_000 })).catch(() => undefined);
  }

  /** End offset per partition. */
  async endOffsets(topic: string): Promise<Map<number, bigint>> {
    const offsets = await this.#use((admin) => admin.fetchTopicOffsets(topic));
    return new Map(offsets.map(({ partition, high }) => [partition, BigInt(high)]));
  }

  /** The group's committed offset per partition (-1 where none). */
  async committed(groupId: string, topic: string): Promise<Map<number, bigint>> {
    const [entry] = await this.#use((admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
    return new Map((entry?.partitions ?? []).map(({ partition, offset }) => [partition, BigInt(offset)]));
  }

  /**
   * True when the group has committed every partition up to `targets` (default: the topic's end
   * offsets now).
   */
  async caughtUp(groupId: string, topic: string, targets?: ReadonlyMap<number, bigint>): Promise<boolean> {
    const [ends, committed] = await Promise.all([targets ?? this.endOffsets(topic), this.committed(groupId, topic)]);
    return [...ends].every(([partition, end]) => end === 0n || (committed.get(partition) ?? -1n) >= end);
  }

  async close(): Promise<void> {
    await this.#admin?.disconnect().catch(() => undefined);
    this.#admin = undefined;
  }
}

/** One record read back from a topic. */
export interface ReadRecord {
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
}

/**
 * Reads every record of `topic` up to its current end offsets (a throw-away consumer group): the
 * authoritative input when a produce was retried and the topic may hold copies the ledger missed.
 */
export async function readTopic(brokers: readonly string[], topic: string, ends: ReadonlyMap<number, bigint>, timeoutMs = 60_000): Promise<ReadRecord[]> {
  const kafka = new kafkajs.Kafka({ brokers: [...brokers], clientId: 'evroute-faults-reader', logLevel: kafkajs.logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `faults_reader_${Date.now().toString(36)}_${Math.random().toString(36).slice(2)}` });
  const records: ReadRecord[] = [];
  const remaining = new Set([...ends].filter(([, end]) => end > 0n).map(([p]) => p));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    if (remaining.size === 0) done();
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const offset = BigInt(message.offset);
        const end = ends.get(partition) ?? 0n;
        if (offset >= end) return;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = Buffer.isBuffer(v) ? v.toString() : String(v);
        records.push({ partition, offset, key: message.key === null ? null : message.key.toString(), value: message.value, headers });
        if (offset === end - 1n) {
          remaining.delete(partition);
          if (remaining.size === 0) done();
        }
      },
    });
    await Promise.race([finished, new Promise((_, reject) => setTimeout(() => reject(new Error(`reading ${topic} back took more than ${timeoutMs} ms`)), timeoutMs))]);
  } finally {
    await consumer.disconnect();
  }
  return records;
}
