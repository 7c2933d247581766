import { describe, expect, it } from 'vitest';
import { compileCodeTables, normalizeFix, type FixPayload, type Normalized } from '@evroute/wrongbook';

const NOW = Date.UTC(2025, 0, 1);
const options = { subjects: compileCodeTables().subjects, now: NOW };
const FIX_TIME = NOW - 3_600_000;

// The guide's fix example (Gen B, snake_case) and a Gen C producer's camelCase record of the same fix.
const snake = {
  fix_id: 'fix_20250101_001', wrong_id: 'wrong_20250101_001', user_id: 'user_12345', fix_answer: 'x = 2', fix_result: 1,
  fix_result_desc: '订正正确', fix_time: FIX_TIME, create_time: FIX_TIME - 600_000, subject: 'MATH', pattern_id: 'pattern_001',
  fix_duration: 95, fix_attempts: 2, is_correct: true, confidence_score: 0.9,
};
const camel = {
  fixId: 'fix_20250101_001', wrongId: 'wrong_20250101_001', userId: 'user_12345', fixAnswer: 'x = 2', fixResult: '1',
  fixResultDesc: '订正正确', submitTime: FIX_TIME, createTime: FIX_TIME - 600_000, subject: 'math', patternId: 'pattern_001',
  fixDuration: '95', fixAttempts: 2, isCorrect: 1, confidenceScore: '0.9', isDelete: 0,
};

function problems(result: Normalized<FixPayload>): readonly string[] {
  return result.ok ? [] : result.problems;
}

describe('normalizeFix (spec §2 wrongbook_fix)', () => {
  it('reads snake_case and camelCase (submitTime for fix_time) into the same payload', () => {
    const a = normalizeFix(snake, options);
    const b = normalizeFix(camel, options);
    expect(a).toMatchObject({ ok: true, payload: { fixId: 'fix_20250101_001', fixResult: 1, fixTime: FIX_TIME, subject: 'MATH', isCorrect: true, isDelete: null } });
    expect(b).toEqual({ ...a, payload: { ...(a.ok ? a.payload : {}), isDelete: 0 } });
  });

  it('takes submit_time as fix_time, and refuses the two when they disagree', () => {
    const { fix_time: _t, ...rest } = snake;
    expect(normalizeFix({ ...rest, submit_time: FIX_TIME }, options)).toMatchObject({ ok: true, payload: { fixTime: FIX_TIME } });
    expect(problems(normalizeFix({ ...snake, submit_time: FIX_TIME + 1 }, options))[0]).toMatch(/^fix_time: 'fix_time' and 'submit_time' are both present/);
  });

  it.each(['fix_id', 'wrong_id', 'user_id', 'fix_result', 'fix_time'])('refuses a fix without %s', (field) => {
    const { [field]: _removed, ...payload } = snake as Record<string, unknown>;
    expect(problems(normalizeFix(payload, options))).toEqual([`${field}: required`]);
  });

  it('refuses a fix_result other than 0 or 1', () => {
    for (const bad of [2, -1, '2', 'correct', true, 0.5]) {
      expect(problems(normalizeFix({ ...snake, fix_result: bad }, options))[0]).toMatch(/^fix_result: must be 0 or 1/);
    }
    expect(normalizeFix({ ...snake, fix_result: '0' }, options)).toMatchObject({ ok: true, payload: { fixResult: 0 } });
  });

  it('refuses create_time after fix_time, and accepts them equal', () => {
    expect(problems(normalizeFix({ ...snake, create_time: FIX_TIME + 1 }, options))[0]).toMatch(/^create_time: \d+ is after fix_time/);
    expect(normalizeFix({ ...snake, create_time: FIX_TIME }, options).ok).toBe(true);
  });

  it('refuses a fix_time more than 5 minutes in the future', () => {
    expect(problems(normalizeFix({ ...snake, fix_time: NOW + 10 * 60_000 }, options))[0]).toMatch(/^fix_time: is 600 s in the future/);
  });

  it('refuses an unknown subject and a bad is_delete', () => {
    expect(problems(normalizeFix({ ...snake, subject: 'LATIN' }, options))[0]).toMatch(/^subject: is not a known subject/);
    expect(problems(normalizeFix({ ...snake, is_delete: 3 }, options))).toEqual(['is_delete: must be 0 or 1, got 3']);
  });

  it('cuts a fix_result_desc longer than its column', () => {
    const result = normalizeFix({ ...snake, fix_result_desc: '订'.repeat(70) }, options);
    expect(result.ok && result.payload.fixResultDesc).toBe('订'.repeat(64));
  });
});
