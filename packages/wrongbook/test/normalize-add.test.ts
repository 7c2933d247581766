import { describe, expect, it } from 'vitest';
import { compileCodeTables, normalizeAdd, type Normalized, type AddPayload } from '@evroute/wrongbook';

const NOW = Date.UTC(2025, 0, 1);
const options = { subjects: compileCodeTables().subjects, now: NOW };

const snake = {
  wrong_id: 'wrong_20250101_001', user_id: 'user_12345', question_id: 'q_math_001', pattern_id: 'pattern_001', subject: 'math',
  chapter_id: 'ch_1', question: '解方程：2x + 3 = 7', answer: 'x = 2', create_time: NOW - 60_000, submit_time: NOW - 61_000,
  result: 0, difficulty: 0.625, q_type: 2, zpd_pattern_id: 'zpd_1', collect_reason: '答错', collect_source: 'homework',
};
const camel = {
  wrongId: 'wrong_20250101_001', userId: 'user_12345', questionId: 'q_math_001', patternId: 'pattern_001', subject: 'shuxue',
  chapterId: 'ch_1', question: '解方程：2x + 3 = 7', answer: 'x = 2', createTime: String(NOW - 60_000), submitTime: NOW - 61_000,
  result: '0', difficulty: '0.625', qType: 2, zpdPatternId: 'zpd_1', collectReason: '答错', collectSource: 'homework',
};

function problems(result: Normalized<AddPayload>): readonly string[] {
  return result.ok ? [] : result.problems;
}

describe('normalizeAdd (spec §2 wrongbook_add)', () => {
  it('reads snake_case and camelCase into the same payload', () => {
    const a = normalizeAdd(snake, options);
    const b = normalizeAdd(camel, options);
    expect(a.ok && b.ok).toBe(true);
    expect(b).toEqual(a);
    expect(a).toMatchObject({
      ok: true,
      payload: { wrongId: 'wrong_20250101_001', subject: 'MATH', createTime: NOW - 60_000, result: 0, difficulty: 0.625, qType: 2, origin: null, answerImage: null },
    });
  });

  it('reads the guide example envelope payload', () => {
    const result = normalizeAdd(
      { wrong_id: 'wrong_20250101_001', user_id: 'user_12345', question_id: 'q_math_001', pattern_id: 'pattern_001', subject: 'math', question: '解方程：2x + 3 = 7', answer: 'x = 2', create_time: 1735660800000 },
      options,
    );
    expect(result.ok).toBe(true);
  });

  it.each([
    ['wrong_id', 'wrong_id: required'],
    ['user_id', 'user_id: required'],
    ['question_id', 'question_id: required'],
    ['create_time', 'create_time: required'],
  ])('refuses a payload without %s', (field, problem) => {
    const { [field]: _removed, ...payload } = snake as Record<string, unknown>;
    expect(problems(normalizeAdd(payload, options))).toEqual([problem]);
  });

  it('treats null as absent and refuses blank required ids', () => {
    expect(problems(normalizeAdd({ ...snake, user_id: null }, options))).toEqual(['user_id: required']);
    expect(problems(normalizeAdd({ ...snake, wrong_id: '  ' }, options))).toEqual(['wrong_id: required, must not be empty']);
  });

  it('accepts integer ids as their decimal strings, and refuses ids that lost digits or are too long', () => {
    const ok = normalizeAdd({ ...snake, wrong_id: 1234567, user_id: 42 }, options);
    expect(ok).toMatchObject({ ok: true, payload: { wrongId: '1234567', userId: '42' } });
    expect(problems(normalizeAdd({ ...snake, wrong_id: 2 ** 60 }, options))[0]).toMatch(/^wrong_id: must be a string id/);
    expect(problems(normalizeAdd({ ...snake, wrong_id: 1.5 }, options))[0]).toMatch(/^wrong_id: must be a string id/);
    expect(problems(normalizeAdd({ ...snake, question_id: 'q'.repeat(65) }, options))[0]).toMatch(/^question_id: must be at most 64 characters/);
  });

  it('treats an empty optional id as absent', () => {
    expect(normalizeAdd({ ...snake, pattern_id: '', chapter_id: '' }, options)).toMatchObject({ ok: true, payload: { patternId: null, chapterId: null } });
  });

  it('refuses times that are negative, fractional, not numbers, or more than 5 minutes in the future', () => {
    expect(problems(normalizeAdd({ ...snake, create_time: -1 }, options))[0]).toMatch(/^create_time: must be a non-negative integer/);
    expect(problems(normalizeAdd({ ...snake, create_time: 1.5 }, options))[0]).toMatch(/^create_time: must be a non-negative integer/);
    expect(problems(normalizeAdd({ ...snake, create_time: '2025-01-01' }, options))[0]).toMatch(/^create_time: must be a non-negative integer/);
    expect(problems(normalizeAdd({ ...snake, create_time: NOW + 5 * 60_000 + 1 }, options))[0]).toMatch(/^create_time: is 300 s in the future/);
    expect(problems(normalizeAdd({ ...snake, submit_time: NOW + 3_600_000 }, options))[0]).toMatch(/^submit_time: is 3600 s in the future/);
    expect(normalizeAdd({ ...snake, create_time: NOW + 5 * 60_000 }, options).ok).toBe(true);
    expect(normalizeAdd({ ...snake, create_time: 0 }, options).ok).toBe(true);
  });

  it('accepts a known subject in any case and refuses an unknown one', () => {
    expect(normalizeAdd({ ...snake, subject: 'Aoshu' }, options)).toMatchObject({ ok: true, payload: { subject: 'AOSHU' } });
    expect(normalizeAdd({ ...snake, subject: 'YINGYU' }, options)).toMatchObject({ ok: true, payload: { subject: 'ENGLISH' } });
    expect(problems(normalizeAdd({ ...snake, subject: 'history' }, options))[0]).toMatch(/^subject: is not a known subject \(known: MATH, CHINESE/);
    expect(problems(normalizeAdd({ ...snake, subject: 3 }, options))[0]).toMatch(/^subject: must be a subject code string/);
  });

  it('refuses a result other than 0 or 1', () => {
    expect(problems(normalizeAdd({ ...snake, result: 2 }, options))).toEqual(['result: must be 0 or 1, got 2']);
  });

  it('refuses two spellings of one field with different values, and accepts them when they agree', () => {
    expect(problems(normalizeAdd({ ...snake, wrongId: 'other' }, options))[0]).toMatch(/^wrong_id: 'wrong_id' and 'wrongId' are both present with different values/);
    expect(normalizeAdd({ ...snake, createTime: String(snake.create_time) }, options).ok).toBe(true);
  });

  it('refuses optional fields of the wrong type, and reports every problem at once', () => {
    const result = normalizeAdd({ ...snake, question: 7, difficulty: 'hard', q_type: 2.5, user_id: '' }, options);
    expect(problems(result)).toEqual([
      'user_id: required, must not be empty',
      'q_type: must be an integer, got 2.5',
      'question: must be a string, got 7',
      'difficulty: must be a number, got "hard"',
    ]);
  });

  it('ignores fields the spec does not know', () => {
    expect(normalizeAdd({ ...snake, sessionId: { a: 1 }, extra: [1] }, options).ok).toBe(true);
  });
});
