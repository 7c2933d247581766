/**
 * The input of a run: a seeded wrongbook event stream (`generateEvents` of `@evroute/wrongbook`: out of
 * order, duplicated, with a rate of bad messages) plus any crafted messages a fault adds, produced to
 * the run's topic with kafkajs, paced, each to a partition chosen from its key. Every produced message
 * is recorded with its partition and offset in a {@link Ledger}: the oracle's record of the input.
 */
import { createHash } from 'node:crypto';
import { generateDimensionData, generateEvents, GENERATOR_EPOCH } from '@evroute/wrongbook';
import kafkajs, { type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Expectation } from './expectations.js';

/** One message to produce. */
export interface WorkloadMessage {
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers?: Readonly<Record<string, string>>;
  /** The eventId, or what a crafted message is. */
  readonly label: string;
  /** Set for crafted messages whose outcome the decoder and plugins cannot tell (a sink refusal). */
  readonly expect?: Expectation;
}

/** A produced message and where it landed. */
export interface ProducedMessage {
  readonly message: WorkloadMessage;
  readonly partition: number;
  readonly offset: bigint;
}

/** The generated wrongbook stream for `seed`: `questions` wrong questions, about 2.5 messages each. */
export function wrongbookWorkload(seed: number, questions: number): WorkloadMessage[] {
  const data = generateDimensionData({ seed, wrongQuestions: questions, patterns: 200, users: Math.max(20, Math.round(questions / 10)), now: GENERATOR_EPOCH });
  return generateEvents(data, { seed, questions, outOfOrder: 0.1, duplicateRate: 0.05, badRate: 0.01 }).map((m) => ({
    key: m.key,
    value: Buffer.from(m.value, 'utf8'),
    label: m.eventId,
  }));
}

/** Which partition a key goes to (stable; the suite picks partitions itself to know offsets exactly). */
export function partitionOf(key: string | null, partitions: number, index: number): number {
  if (key === null) return index % partitions;
  return createHash('sha1').update(key).digest().readUInt32BE(0) % partitions;
}

/** What was produced: a count, and listeners told of every message (with its partition and offset). */
export class Ledger {
  readonly #listeners = new Set<(produced: ProducedMessage) => void>();
  #count = 0;
  /** Set when a send failed and was retried: the topic may hold copies the ledger does not know. */
  retried = false;

  add(produced: ProducedMessage): void {
    this.#count++;
    for (const listener of this.#listeners) listener(produced);
  }

  /** Calls `listener` for every message added from now on; returns the unsubscribe function. */
  onAdd(listener: (produced: ProducedMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get size(): number {
    return this.#count;
  }
}

/** Produces messages to a topic; see the module comment. */
export class WorkloadProducer {
  readonly #producer: Producer;
  readonly #logger: Logger;

  constructor(brokers: readonly string[], logger: Logger) {
    const kafka = new kafkajs.Kafka({ brokers: [...brokers], clientId: 'evroute-faults-producer', logLevel: kafkajs.logLevel.NOTHING });
    this.#producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
    this.#logger = logger;
  }

  connect(): Promise<void> {
    return this.#producer.connect();
  }

  disconnect(): Promise<void> {
    return this.#producer.disconnect();
  }

  /**
   * Sends `messages` in `chunks` chunks, one every `intervalMs`, into `ledger`. A failed send (the broker
   * is down) is retried until `deadline`; the ledger then notes that the topic may hold extra copies.
   */
  async produce(topic: string, partitions: number, messages: readonly WorkloadMessage[], ledger: Ledger, pacing: { chunks: number; intervalMs: number; deadline: number }): Promise<void> {
    const size = Math.ceil(messages.length / pacing.chunks);
    for (let start = 0; start < messages.length; start += size) {
      const began = Date.now();
      await this.#send(topic, partitions, messages.slice(start, start + size), start, ledger, pacing.deadline);
      const wait = pacing.intervalMs - (Date.now() - began);
      if (start + size < messages.length && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async #send(topic: string, partitions: number, chunk: readonly WorkloadMessage[], first: number, ledger: Ledger, deadline: number): Promise<void> {
    const byPartition = new Map<number, WorkloadMessage[]>();
    chunk.forEach((m, i) => {
      const p = partitionOf(m.key, partitions, first + i);
      byPartition.set(p, [...(byPartition.get(p) ?? []), m]);
    });
    for (const [partition, list] of byPartition) {
      for (;;) {
        try {
          const [meta] = await this.#producer.send({
            topic,
            acks: -1,
            messages: list.map((m) => ({ partition, key: m.key, value: m.value, ...(m.headers === undefined ? {} : { headers: { ...m.headers } }) })),
          });
          const base = BigInt(meta?.baseOffset ?? '-1');
          if (base < 0n) throw new Error(`no offset in the produce response for ${topic}/${partition}`);
          list.forEach((message, i) => ledger.add({ message, partition, offset: base + BigInt(i) }));
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          ledger.retried = true;
          this.#logger.warn({ err: error, topic, partition }, 'produce failed; retrying');
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    }
  }
}
