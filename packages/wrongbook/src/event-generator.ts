/**
 * A deterministic generator of wrongbook event streams over generated dimension data: for each wrong
 * question an add, then fixes, then sometimes a delete (and sometimes a fix after it), as Kafka messages
 * (JSON envelopes keyed by `user_id`, spec §1), with options for the trouble the pipeline must survive:
 * both payload spellings, payloads as JSON strings, ISO event times, duplicates, arrival out of order,
 * and a small rate of bad messages. The same data and options give the same messages.
 *
 * Within one wrong question every event has its own time (no two share a millisecond), which keeps the
 * streams inside the class where every merge rule, including the proposed last-event rule, is
 * order-insensitive (MERGE-RULES.md).
 */
import { decodeRecord, type EventEnvelope } from '@evroute/core';
import { camelCase } from './payload-reader.js';
import type { DimensionData, PatternRow } from './dimension-data.js';
import { GENERATOR_EPOCH, chapterId } from './dimension-generator.js';
import { addPayload, deletePayload, fixPayload, type QuestionFacts } from './event-payloads.js';
import { createRandom, type Random } from './random.js';

/** The kinds of bad message the generator mixes in, and what the pipeline must do with each. */
export type BadMessageKind =
  /** Not JSON at all → `EVR_ERR_DECODE_NOT_JSON`. */
  | 'not-json'
  /** A required payload field is missing → `EVR_ERR_PROCESSOR_REJECTED`. */
  | 'missing-field'
  /** A fix with `fix_result = 2` → `EVR_ERR_PROCESSOR_REJECTED`. */
  | 'bad-fix-result'
  /** A payload time in the year 2100 → `EVR_ERR_PROCESSOR_REJECTED`. */
  | 'future-time';

/** One generated Kafka message. */
export interface GeneratedMessage {
  /** The message key: the student's `user_id`. */
  readonly key: string;
  /** The message value: a JSON envelope (or, for `not-json`, broken text). */
  readonly value: string;
  readonly eventId: string;
  readonly type: string;
  /** Set on bad messages: what is wrong with it. */
  readonly bad: BadMessageKind | null;
  /** True for a repeated delivery of an earlier message. */
  readonly duplicate: boolean;
}

/** What to generate. Rates are probabilities in [0, 1]. */
export interface EventStreamOptions {
  readonly seed?: number;
  /** Wrong questions with events; default 1 000 (capped by the data's `wrong_question_record` rows). */
  readonly questions?: number;
  /** Must match the dimension data's `now`; default {@link GENERATOR_EPOCH}. */
  readonly now?: number;
  /** Questions with fixes (1 to `maxFixes`); default 0.7. */
  readonly fixRate?: number;
  readonly maxFixes?: number;
  /** Questions deleted (a tenth of them twice); default 0.15. */
  readonly deleteRate?: number;
  /** Deleted questions that get a fix after the delete (which clears it); default 0.3. */
  readonly reviveRate?: number;
  /** Questions unknown to `wrong_question_record` (their events carry every fact); default 0.02. */
  readonly unknownRate?: number;
  /** Questions whose `wrong_question_record` row is stale (see `QuestionFacts.divergent`); default 0.03. */
  readonly divergentRate?: number;
  /** Questions that get a stale delete, older than their add (it must not delete them); default 0.02. */
  readonly staleDeleteRate?: number;
  /** Messages delivered twice; default 0.05. */
  readonly duplicateRate?: number;
  /** Messages moved to a random place in the stream; 1 = fully shuffled; default 0. */
  readonly outOfOrder?: number;
  /** Bad messages per good one; default 0.01. */
  readonly badRate?: number;
  /** Payloads in camelCase; default 0.3. */
  readonly camelCaseRate?: number;
  /** Payloads sent as a JSON string; default 0.1. */
  readonly payloadAsStringRate?: number;
  /** Envelopes with an ISO `event_time` instead of `timestamp`; default 0.02. */
  readonly isoTimeRate?: number;
}

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

interface Planned {
  readonly type: 'wrongbook_add' | 'wrongbook_fix' | 'wrongbook_delete';
  readonly time: number;
  readonly payload: Record<string, unknown>;
  readonly key: string;
}

function questionsOf(data: DimensionData, o: Required<EventStreamOptions>, random: Random): QuestionFacts[] {
  const patterns = new Map(data.tower_pattern.map((p) => [p.id, p]));
  const bySubject = new Map<string, PatternRow[]>();
  for (const p of data.tower_pattern) bySubject.set(p.subject, [...(bySubject.get(p.subject) ?? []), p]);
  const records = random.shuffle([...data.wrong_question_record]).slice(0, o.questions);
  return records.map((r, i): QuestionFacts => {
    if (!random.chance(o.unknownRate)) {
      const divergent = random.chance(o.divergentRate);
      const subject = r.subject ?? 'MATH';
      const pattern = divergent ? random.pick(bySubject.get(subject) ?? data.tower_pattern) : patterns.get(r.pattern_id ?? '');
      return {
        wrongId: r.id, userId: r.user_id, subject, createTime: r.create_time, recorded: true, divergent,
        questionId: divergent ? `${r.question_id}_v2` : r.question_id,
        patternId: divergent ? (pattern?.id ?? null) : r.pattern_id,
        chapterId: divergent ? chapterId(subject, random.between(1, 12)) : r.chapter_id,
        difficulty: pattern?.difficulty ?? null,
      };
    }
    const pattern = random.pick(data.tower_pattern);
    return {
      wrongId: `wrong_x${String(i).padStart(7, '0')}`, userId: r.user_id, questionId: `q_${pattern.subject.toLowerCase()}_${random.between(1, 5000)}`,
      patternId: pattern.id, subject: pattern.subject, chapterId: chapterId(pattern.subject, random.between(1, 12)),
      createTime: o.now - random.between(10 * DAY, 40 * DAY), difficulty: pattern.difficulty, recorded: false, divergent: false,
    };
  });
}

function plan(q: QuestionFacts, options: Required<EventStreamOptions>, random: Random, nextFixId: () => string): Planned[] {
  const used = new Set<number>([q.createTime]);
  const distinct = (t: number): number => {
    while (used.has(t)) t++;
    used.add(t);
    return t;
  };
  const key = q.userId;
  const events: Planned[] = [{ type: 'wrongbook_add', time: q.createTime, payload: addPayload(q, random), key }];
  const fix = (time: number): void => {
    const t = distinct(time);
    events.push({ type: 'wrongbook_fix', time: t, payload: fixPayload(q, nextFixId(), t, random), key });
  };
  if (random.chance(options.fixRate)) {
    for (let i = random.between(1, options.maxFixes); i > 0; i--) fix(q.createTime + random.between(60 * SECOND, 3 * DAY));
  }
  if (random.chance(options.deleteRate)) {
    let deleted = distinct(q.createTime + random.between(HOUR, 5 * DAY));
    events.push({ type: 'wrongbook_delete', time: deleted, payload: deletePayload(q, deleted, random), key });
    if (random.chance(0.1)) {
      deleted = distinct(deleted + random.between(HOUR, DAY));
      events.push({ type: 'wrongbook_delete', time: deleted, payload: deletePayload(q, deleted, random), key });
    }
    if (random.chance(options.reviveRate)) fix(deleted + random.between(60 * SECOND, DAY));
  }
  if (random.chance(options.staleDeleteRate)) {
    const stale = distinct(q.createTime - random.between(SECOND, DAY));
    events.push({ type: 'wrongbook_delete', time: stale, payload: deletePayload(q, stale, random), key });
  }
  return events;
}

function respell(payload: Record<string, unknown>, camel: boolean, random: Random): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) {
    const name = key === 'fix_time' && random.chance(camel ? 0.5 : 0.1) ? 'submit_time' : key;
    out[camel ? camelCase(name) : name] = value;
  }
  return out;
}

function badMessage(kind: BadMessageKind, q: QuestionFacts, eventId: string, now: number, random: Random): { type: Planned['type']; value: string } {
  const envelope = (type: Planned['type'], payload: Record<string, unknown>): string =>
    JSON.stringify({ domain: 'wrongbook', type, timestamp: now - random.between(0, HOUR), eventId, payload, version: '1.0', source: 'math_app' });
  if (kind === 'not-json') {
    return { type: 'wrongbook_add', value: `{"domain":"wrongbook","type":"wrongbook_add","eventId":"${eventId}","payload":{"wrong_id":"${q.wrongId}"` };
  }
  if (kind === 'missing-field') {
    const { user_id: _dropped, ...payload } = addPayload(q, random);
    return { type: 'wrongbook_add', value: envelope('wrongbook_add', payload) };
  }
  if (kind === 'bad-fix-result') {
    return { type: 'wrongbook_fix', value: envelope('wrongbook_fix', { ...fixPayload(q, `fix_bad_${eventId}`, q.createTime + HOUR, random), fix_result: 2 }) };
  }
  return { type: 'wrongbook_add', value: envelope('wrongbook_add', { ...addPayload(q, random), create_time: Date.UTC(2100, 0, 1) + random.int(DAY) }) };
}

/** Generates a wrongbook event stream over `data` (see {@link EventStreamOptions}). */
export function generateEvents(data: DimensionData, options: EventStreamOptions = {}): GeneratedMessage[] {
  const o: Required<EventStreamOptions> = {
    seed: 1, questions: 1000, now: GENERATOR_EPOCH, fixRate: 0.7, maxFixes: 3, deleteRate: 0.15, reviveRate: 0.3, unknownRate: 0.02, divergentRate: 0.03, staleDeleteRate: 0.02,
    duplicateRate: 0.05, outOfOrder: 0, badRate: 0.01, camelCaseRate: 0.3, payloadAsStringRate: 0.1, isoTimeRate: 0.02, ...options,
  };
  const random = createRandom(o.seed);
  let fixes = 0;
  const questions = questionsOf(data, o, random);
  const planned = questions.flatMap((q) => plan(q, o, random, () => `fix_${o.seed}_${String(++fixes).padStart(7, '0')}`));
  let n = 0;
  const eventId = (type: string): string => `${type.slice('wrongbook_'.length)}_${o.seed}_${String(++n).padStart(7, '0')}`;
  const timed = planned.map((e) => ({ ...e, timestamp: e.time + random.int(1500) })).sort((a, b) => a.timestamp - b.timestamp);
  const messages: GeneratedMessage[] = timed.map((e) => {
    const id = eventId(e.type);
    const payload = respell(e.payload, random.chance(o.camelCaseRate), random);
    const time = random.chance(o.isoTimeRate) ? { event_time: new Date(e.timestamp).toISOString() } : { timestamp: e.timestamp };
    const body = random.chance(o.payloadAsStringRate) ? JSON.stringify(payload) : payload;
    const value = JSON.stringify({ domain: 'wrongbook', type: e.type, ...time, eventId: id, payload: body, version: '1.0', source: 'math_app' });
    return { key: e.key, value, eventId: id, type: e.type, bad: null, duplicate: false };
  });
  const kinds: readonly BadMessageKind[] = ['not-json', 'missing-field', 'bad-fix-result', 'future-time'];
  for (let i = Math.round(messages.length * o.badRate); i > 0 && questions.length > 0; i--) {
    const q = random.pick(questions);
    const kind = random.pick(kinds);
    const id = `bad_${o.seed}_${String(++n).padStart(7, '0')}`;
    const { type, value } = badMessage(kind, q, id, o.now, random);
    messages.splice(random.int(messages.length + 1), 0, { key: q.userId, value, eventId: id, type, bad: kind, duplicate: false });
  }
  for (let i = messages.length - 1; i >= 0; i--) {
    const original = messages[i];
    if (original === undefined || !random.chance(o.duplicateRate)) continue;
    messages.splice(random.between(i + 1, messages.length), 0, { ...original, duplicate: true });
  }
  for (let i = 0; i < messages.length; i++) {
    if (!random.chance(o.outOfOrder)) continue;
    const j = random.int(messages.length);
    [messages[i], messages[j]] = [messages[j] as GeneratedMessage, messages[i] as GeneratedMessage];
  }
  return messages;
}

/** Decodes generated messages as the router does (core's `decodeRecord`); undecodable ones are left out. */
export function decodeMessages(messages: readonly GeneratedMessage[], topic = 'wrongbook-events'): EventEnvelope[] {
  const events: EventEnvelope[] = [];
  messages.forEach((m, offset) => {
    const decoded = decodeRecord({ value: m.value, key: m.key, headers: {}, topic, partition: 0, offset: String(offset) });
    if (decoded.ok) events.push(decoded.event);
  });
  return events;
}
