import { describe, expect, it } from 'vitest';
import { decodeRecord } from '@evroute/core';
import {
  compileCodeTables,
  decodeMessages,
  generateDimensionData,
  generateEvents,
  GENERATOR_EPOCH,
  interpretAdd,
  interpretDelete,
  interpretFix,
  kindOf,
  MemoryDimensions,
  type GeneratedMessage,
  type WideRow,
} from '@evroute/wrongbook';

const data = generateDimensionData();
const messages = generateEvents(data, { questions: 2000 });
const options = { tables: compileCodeTables(), dimensions: new MemoryDimensions(data), now: GENERATOR_EPOCH };

async function interpret(m: GeneratedMessage) {
  const decoded = decodeRecord({ value: m.value, key: m.key, headers: {}, topic: 't', partition: 0, offset: '0' });
  if (!decoded.ok) return { decoded: false as const, code: decoded.error.code };
  const event = decoded.event;
  const kind = kindOf(event.type);
  const result = kind === 'add' ? await interpretAdd(event, options) : kind === 'fix' ? await interpretFix(event, options) : interpretDelete(event, options);
  return { decoded: true as const, event, result };
}

describe('generateDimensionData', () => {
  it('makes the sizes asked for, the same rows for the same seed', () => {
    expect(data.tower_pattern).toHaveLength(1000);
    expect(data.wrong_question_record).toHaveLength(10_000);
    expect(generateDimensionData()).toEqual(data);
    expect(generateDimensionData({ seed: 2, patterns: 10, wrongQuestions: 10 }).wrong_question_record).not.toEqual(data.wrong_question_record.slice(0, 10));
  });

  it('links patterns to existing teaching types of their subject, and wrong questions to existing patterns (about 99 %)', () => {
    const types = new Map(data.tower_teaching_type.map((t) => [t.id, t]));
    const patterns = new Map(data.tower_pattern.map((p) => [p.id, p]));
    for (const link of data.tower_teaching_type_pt) {
      const type = types.get(link.teaching_type_id);
      expect(type?.chapter_id.split('_ch')[0]).toBe(patterns.get(link.pt_id)?.subject.toLowerCase());
    }
    const known = data.wrong_question_record.filter((r) => patterns.has(r.pattern_id ?? '')).length;
    expect(known / data.wrong_question_record.length).toBeGreaterThan(0.97);
    expect(known).toBeLessThan(data.wrong_question_record.length); // some dangling ones, for the miss path
    expect(new Set(data.wrong_question_record.map((r) => r.id)).size).toBe(10_000);
    expect(data.wrong_question_record.every((r) => r.create_time < GENERATOR_EPOCH)).toBe(true);
  });
});

describe('generateEvents', () => {
  it('is deterministic', () => {
    expect(generateEvents(data, { questions: 2000 })).toEqual(messages);
    expect(generateEvents(data, { questions: 2000, seed: 9 })).not.toEqual(messages);
  });

  it('emits adds, fixes and deletes keyed by user_id, in both spellings, payload objects and strings', () => {
    const types = new Set(messages.map((m) => m.type));
    expect(types).toEqual(new Set(['wrongbook_add', 'wrongbook_fix', 'wrongbook_delete']));
    const good = messages.filter((m) => m.bad === null);
    expect(good.filter((m) => m.type === 'wrongbook_add' && !m.duplicate)).toHaveLength(2000);
    const events = decodeMessages(good);
    expect(events).toHaveLength(good.length);
    for (const [i, e] of events.entries()) expect(e.payload['user_id'] ?? e.payload['userId']).toBe(good[i]?.key);
    expect(good.some((m) => m.value.includes('"wrongId"'))).toBe(true);
    expect(good.some((m) => m.value.includes('"wrong_id"'))).toBe(true);
    expect(good.some((m) => m.value.includes('"payload":"{'))).toBe(true);
    expect(good.some((m) => m.value.includes('"event_time":"'))).toBe(true);
    expect(good.some((m) => m.value.includes('"submitTime"'))).toBe(true);
  });

  it('delivers duplicates as identical messages, after their original', () => {
    const duplicates = messages.filter((m) => m.duplicate);
    expect(duplicates.length).toBeGreaterThan(0.03 * messages.length);
    for (const d of duplicates) {
      const first = messages.findIndex((m) => m.eventId === d.eventId);
      expect(messages.indexOf(d)).toBeGreaterThan(first);
      expect(messages[first]?.value).toBe(d.value);
    }
  });

  it('keeps event-time order unless asked to scramble it', () => {
    const time = (m: GeneratedMessage): number => {
      const e = decodeMessages([m])[0];
      return e === undefined ? 0 : e.timestamp;
    };
    const ordered = messages.filter((m) => m.bad === null && !m.duplicate).map(time);
    expect(ordered).toEqual([...ordered].sort((a, b) => a - b));
    const scrambled = generateEvents(data, { questions: 2000, outOfOrder: 1 }).filter((m) => m.bad === null && !m.duplicate).map(time);
    expect(scrambled).not.toEqual([...scrambled].sort((a, b) => a - b));
  });

  it('makes every good message valid and every bad one fail with the code its kind promises', async () => {
    const outcomes = await Promise.all(
      messages.map(async (m) => {
        const outcome = await interpret(m);
        const result = !outcome.decoded ? outcome.code : outcome.result.ok ? 'valid' : 'rejected';
        return { bad: m.bad ?? 'good', result };
      }),
    );
    const seen = new Map<string, Set<string>>();
    for (const { bad, result } of outcomes) seen.set(bad, (seen.get(bad) ?? new Set()).add(result));
    expect(seen).toEqual(
      new Map([
        ['good', new Set(['valid'])],
        ['not-json', new Set(['EVR_ERR_DECODE_NOT_JSON'])],
        ['missing-field', new Set(['rejected'])],
        ['bad-fix-result', new Set(['rejected'])],
        ['future-time', new Set(['rejected'])],
      ]),
    );
  });

  it('gives the join rates of a healthy production (spec §8 targets)', async () => {
    const rows: Partial<WideRow>[] = [];
    for (const m of messages.filter((x) => x.bad === null && !x.duplicate)) {
      const outcome = await interpret(m);
      if (outcome.decoded && outcome.result.ok && outcome.result.row !== null) rows.push(outcome.result.row);
    }
    const withPattern = rows.filter((r) => r.pattern_id !== null && r.pattern_id !== undefined);
    const patternJoin = withPattern.filter((r) => r.pattern_name !== null).length / withPattern.length;
    const teachJoin = withPattern.filter((r) => r.teach_type_id !== null).length / withPattern.length;
    expect(patternJoin).toBeGreaterThan(0.95);
    expect(teachJoin).toBeGreaterThan(0.8);
    expect(teachJoin).toBeLessThan(1);
  });
});
