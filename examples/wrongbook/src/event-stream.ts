/**
 * Realistic wrongbook event streams for the example (`generate.ts`, the demo, the tests): the seeded
 * generator of `@evroute/wrongbook` over the shipped sample data, with arrival out of order, duplicated
 * deliveries and a small rate of bad messages, written to a JSONL file or produced to Kafka at a rate.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createKafkajsClient, type KafkaConnectionOptions } from '@evroute/kafka';
import { generateEvents, type DimensionData, type GeneratedMessage } from '@evroute/wrongbook';
import { sampleDimensionData } from './sample-sql.js';

/** What to generate. Rates are probabilities in [0, 1]. */
export interface StreamOptions {
  /** Messages in all, bad ones and duplicates included. */
  readonly count: number;
  /** Default 1; the same seed gives the same messages. */
  readonly seed?: number;
  /** Share of messages moved to a random place; default 0.2. */
  readonly outOfOrder?: number;
  /** Share of messages delivered twice; default 0.05. */
  readonly duplicateRate?: number;
  /** Bad messages per good one (not JSON, a missing field, a bad fix_result, a time in 2100); default 0.01. */
  readonly badRate?: number;
  /** Default: the shipped sample data (`sql/dimension-data.sql`). */
  readonly data?: DimensionData;
}

/** Average messages per wrong question under the generator's defaults (measured: about 2.8). */
const MESSAGES_PER_QUESTION = 2.5;

/**
 * `count` messages. One pass of the generator covers at most one event history per row of
 * `wrong_question_record` (about 28 000 messages with the sample data); beyond that, further passes
 * with the next seeds add new histories for the same wrong questions, fine for load but outside the
 * class where the reference model's `event_id` is exact (two events of one question may then share
 * a millisecond).
 */
export function generateStream(options: StreamOptions): GeneratedMessage[] {
  const data = options.data ?? sampleDimensionData();
  const seed = options.seed ?? 1;
  const out: GeneratedMessage[] = [];
  for (let pass = 0; out.length < options.count; pass++) {
    const missing = options.count - out.length;
    const questions = Math.min(data.wrong_question_record.length, Math.ceil(missing / MESSAGES_PER_QUESTION) + 1);
    const messages = generateEvents(data, {
      seed: seed + pass,
      questions,
      outOfOrder: options.outOfOrder ?? 0.2,
      duplicateRate: options.duplicateRate ?? 0.05,
      badRate: options.badRate ?? 0.01,
    });
    out.push(...messages.slice(0, missing));
  }
  return out;
}

/** Called after each chunk with the messages written so far. */
export type ProgressCallback = (written: number) => void;

/** Waits so that `done` messages take at least `done / rate` seconds since `started`. */
async function pace(started: number, done: number, rate: number | undefined): Promise<void> {
  if (rate === undefined) return;
  const wait = started + (done / rate) * 1000 - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

function chunkSize(rate: number | undefined): number {
  return rate === undefined ? 1000 : Math.max(1, Math.min(1000, Math.round(rate / 20)));
}

/** Writes one message value per line (the format `JsonlFileSource` reads) to `path`, or stdout for `-`. */
export async function writeStreamToFile(messages: readonly Pick<GeneratedMessage, 'value'>[], path: string, options: { rate?: number; onProgress?: ProgressCallback } = {}): Promise<void> {
  const out = path === '-' ? process.stdout : createWriteStream(path);
  const started = performance.now();
  const size = chunkSize(options.rate);
  for (let i = 0; i < messages.length; i += size) {
    await pace(started, i, options.rate);
    const text = messages.slice(i, i + size).map((m) => `${m.value}\n`).join('');
    if (!out.write(text)) await once(out, 'drain');
    options.onProgress?.(Math.min(messages.length, i + size));
  }
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
}

/** Where and how {@link produceStream} produces. */
export interface ProduceOptions {
  readonly connection: KafkaConnectionOptions;
  readonly topic: string;
  /** Created with this many partitions when missing; default 3. */
  readonly partitions?: number;
  /** Messages per second; default as fast as the broker takes them. */
  readonly rate?: number;
  readonly onProgress?: ProgressCallback;
}

/**
 * Produces the messages to a Kafka topic, keyed by `user_id` (spec §1), creating the topic if needed.
 * Resolves when the broker has acknowledged every message (acks = all, idempotent producer).
 */
export async function produceStream(messages: readonly Pick<GeneratedMessage, 'key' | 'value'>[], options: ProduceOptions): Promise<void> {
  const client = createKafkajsClient(options.connection);
  const admin = client.admin();
  await admin.connect();
  try {
    await admin.createTopic({ topic: options.topic, partitions: options.partitions ?? 3 });
  } finally {
    await admin.disconnect();
  }
  const producer = client.producer({ idempotent: true, acks: -1, compression: 'none', ackTimeoutMs: 30_000, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const started = performance.now();
    const size = chunkSize(options.rate);
    for (let i = 0; i < messages.length; i += size) {
      await pace(started, i, options.rate);
      const chunk = messages.slice(i, i + size).map((m) => ({ key: m.key, value: m.value }));
      await producer.send([{ topic: options.topic, messages: chunk }]);
      options.onProgress?.(Math.min(messages.length, i + size));
    }
  } finally {
    await producer.disconnect();
  }
}
