/**
 * The end-to-end workload: wrongbook add and fix events from `@evroute/wrongbook`'s generator (with its
 * duplicates, camelCase and string payloads and ISO times; no deletes and no bad messages, which the
 * Flink baseline has no route or dead-letter output for), produced once to a fresh 6-partition topic
 * that every run then reads from the start with a new consumer group.
 *
 * Each message goes to partition `fnv1a(key) % 6`; after them every partition gets one last add of a
 * new wrong question (a sentinel), so "the wide table holds every expected row" also means "every event
 * was written" for a consumer that writes each partition in order: the Flink driver's stopping rule.
 */
import { generateDimensionData, generateEvents } from '@evroute/wrongbook';
import { Kafka, logLevel } from 'kafkajs';

export const PARTITIONS = 6;

/** A produced topic and what a complete run leaves in the wide table. */
export interface WorkloadTopic {
  readonly topic: string;
  /** Messages in the topic. */
  readonly events: number;
  readonly adds: number;
  readonly fixes: number;
  readonly duplicates: number;
  /** Distinct wrong questions, sentinels included: the wide table's row count after a complete run. */
  readonly expectedRows: number;
  readonly averageBytes: number;
  readonly produceSeconds: number;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

interface Envelope {
  eventId: string;
  timestamp?: number;
  payload: Record<string, unknown> | string;
}

function payloadOf(value: string): Record<string, unknown> {
  const envelope = JSON.parse(value) as Envelope;
  return typeof envelope.payload === 'string' ? (JSON.parse(envelope.payload) as Record<string, unknown>) : envelope.payload;
}

/** An add of a new wrong question, made from a generated add with its ids replaced. */
function sentinel(template: string, partition: number, time: number): string {
  const envelope = JSON.parse(template) as Envelope;
  const payload = payloadOf(template);
  const wrongId = `wrong_sentinel_${partition}`;
  if ('wrongId' in payload) payload['wrongId'] = wrongId;
  else payload['wrong_id'] = wrongId;
  return JSON.stringify({ ...envelope, eventId: `sentinel_${partition}`, timestamp: time, payload });
}

/** Generates about `events` messages (`questions` is derived: ~2.5 events per question). */
export function generateWorkload(events: number): { messages: { key: string; value: string; partition: number }[]; adds: number; fixes: number; duplicates: number; expectedRows: number } {
  const questions = Math.round(events / 2.5);
  const data = generateDimensionData({ wrongQuestions: questions, users: Math.max(500, Math.round(questions / 10)) });
  const generated = generateEvents(data, { questions, deleteRate: 0, staleDeleteRate: 0, badRate: 0 });
  const wrongIds = new Set<string>();
  for (const m of generated) {
    const payload = payloadOf(m.value);
    wrongIds.add(String(payload['wrong_id'] ?? payload['wrongId']));
  }
  const messages = generated.map((m) => ({ key: m.key, value: m.value, partition: fnv1a(m.key) % PARTITIONS }));
  const template = generated.find((m) => m.type === 'wrongbook_add')?.value;
  if (template === undefined) throw new Error('the generator made no add event');
  const last = Math.max(...generated.map((m) => (JSON.parse(m.value) as Envelope).timestamp ?? 0));
  for (let p = 0; p < PARTITIONS; p++) messages.push({ key: `sentinel_${p}`, value: sentinel(template, p, last + 1 + p), partition: p });
  const adds = generated.filter((m) => m.type === 'wrongbook_add').length + PARTITIONS;
  return { messages, adds, fixes: generated.length + PARTITIONS - adds, duplicates: generated.filter((m) => m.duplicate).length, expectedRows: wrongIds.size + PARTITIONS };
}

/** Creates `topic` with {@link PARTITIONS} partitions and produces about `events` wrongbook events to it. */
export async function produceWorkload(brokers: readonly string[], topic: string, events: number): Promise<WorkloadTopic> {
  const workload = generateWorkload(events);
  const kafka = new Kafka({ clientId: 'evroute-bench-producer', brokers: [...brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer();
  await producer.connect();
  const started = performance.now();
  try {
    const chunk = 2000; // a produce request stays under the broker's 1 MB message limit
    for (let i = 0; i < workload.messages.length; i += chunk * 4) {
      const sends = [];
      for (let j = i; j < Math.min(workload.messages.length, i + chunk * 4); j += chunk) {
        sends.push(producer.send({ topic, messages: workload.messages.slice(j, j + chunk) }));
      }
      await Promise.all(sends);
    }
  } finally {
    await producer.disconnect();
  }
  const bytes = workload.messages.reduce((sum, m) => sum + Buffer.byteLength(m.value), 0);
  return {
    topic,
    events: workload.messages.length,
    adds: workload.adds,
    fixes: workload.fixes,
    duplicates: workload.duplicates,
    expectedRows: workload.expectedRows,
    averageBytes: Math.round(bytes / workload.messages.length),
    produceSeconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
}

/** Deletes topics this run created (the broker may be shared with other runs). */
export async function deleteTopics(brokers: readonly string[], topics: readonly string[]): Promise<void> {
  if (topics.length === 0) return;
  const admin = new Kafka({ clientId: 'evroute-bench-admin', brokers: [...brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [...topics] });
  } finally {
    await admin.disconnect();
  }
}
