import { describe, expect, it } from 'vitest';
import { compileCodeTables, normalizeDelete } from '@evroute/wrongbook';

const NOW = Date.UTC(2025, 0, 1);
const options = { subjects: compileCodeTables().subjects, now: NOW };
const payload = { wrong_id: 'wrong_1', user_id: 'user_1', delete_time: NOW - 1000, delete_reason: '已掌握', delete_source: 'user' };

describe('normalizeDelete (spec §2 wrongbook_delete)', () => {
  it('reads snake_case and camelCase into the same payload', () => {
    const camel = { wrongId: 'wrong_1', userId: 'user_1', deleteTime: NOW - 1000, deleteReason: '已掌握', deleteSource: 'user' };
    expect(normalizeDelete(camel, options)).toEqual(normalizeDelete(payload, options));
    expect(normalizeDelete(payload, options)).toEqual({
      ok: true,
      payload: { wrongId: 'wrong_1', userId: 'user_1', deleteTime: NOW - 1000, deleteReason: '已掌握', deleteSource: 'user' },
    });
  });

  it.each(['wrong_id', 'user_id', 'delete_time'])('refuses a delete without %s', (field) => {
    const { [field]: _removed, ...rest } = payload as Record<string, unknown>;
    expect(normalizeDelete(rest, options)).toEqual({ ok: false, problems: [`${field}: required`] });
  });

  it('refuses a delete_time in the future and cuts a long reason to its column', () => {
    expect(normalizeDelete({ ...payload, delete_time: NOW + 301_000 }, options).ok).toBe(false);
    const long = normalizeDelete({ ...payload, delete_reason: 'x'.repeat(300) }, options);
    expect(long.ok && long.payload.deleteReason?.length).toBe(255);
  });
});
