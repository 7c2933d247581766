import { describe, expect, it } from 'vitest';
import { compileCodeTables, dimensionsFromTables, enrich, type KeyedTableLookup, type TableRow } from '@evroute/wrongbook';

const keyed = (rows: Record<string, TableRow>): KeyedTableLookup => ({ get: (key) => Promise.resolve(rows[key]) });

// Rows as mysql2 returns them: BIGINT ids as numbers, DECIMAL and big BIGINT as strings.
const lookups = dimensionsFromTables({
  wrongQuestionRecord: keyed({
    w1: { id: 'w1', user_id: 'u1', question_id: 'q1', pattern_id: 'p1', subject: 'yuwen', chapter_id: 'c2', chapter_name: '第2章', create_time: '1735660800000', is_delete: 0 },
  }),
  pattern: keyed({ p1: { id: 'p1', name: '古诗词鉴赏', type: 2, subject: 'CHINESE', difficulty: '0.625' } }),
  teachingTypeLinks: {
    get: (key) =>
      Promise.resolve(
        key === 'p1'
          ? [
              { id: 1, teaching_type_id: 7, pt_id: 'p1', order_num: 1, is_delete: 0 },
              { id: 2, teaching_type_id: 8, pt_id: 'p1', order_num: 2, is_delete: 0 },
              { id: 3, teaching_type_id: 9, pt_id: 'p1', order_num: 0, is_delete: 1 },
            ]
          : [],
      ),
  },
  teachingType: keyed({
    '7': { id: 7, chapter_id: 'c1', teaching_type_name: '背景', is_delete: 0 },
    '8': { id: 8, chapter_id: 'c2', teaching_type_name: '意象', is_delete: 0 },
    '9': { id: 9, chapter_id: 'c2', teaching_type_name: '已删', is_delete: 0 },
  }),
});

describe('dimensionsFromTables', () => {
  it('maps driver rows onto the typed records, numbers from strings and ids from numbers', async () => {
    expect(await lookups.getWrongQuestionRecord('w1')).toEqual({
      id: 'w1', user_id: 'u1', question_id: 'q1', pattern_id: 'p1', subject: 'yuwen', chapter_id: 'c2', chapter_name: '第2章', create_time: 1735660800000, is_delete: 0,
    });
    expect(await lookups.getPattern('p1')).toEqual({ id: 'p1', name: '古诗词鉴赏', type: 2, subject: 'CHINESE', difficulty: 0.625 });
    expect(await lookups.getTeachingTypesForPattern('p1')).toEqual([{ teaching_type_id: '7', order_num: 1 }, { teaching_type_id: '8', order_num: 2 }]);
    expect(await lookups.getTeachingType('8')).toEqual({ id: '8', chapter_id: 'c2', teaching_type_name: '意象' });
    expect(await lookups.getPattern('nope')).toBeUndefined();
  });

  it('feeds the enrichment chain', async () => {
    const known = { wrongId: 'w1', subject: null, questionId: null, patternId: null, chapterId: null, createTime: null };
    expect(await enrich(known, lookups, compileCodeTables().subjects)).toMatchObject({ subject: 'CHINESE', teachTypeId: '8', teachTypeName: '意象', createTime: 1735660800000 });
  });

  it('answers "nothing" when a lookup throws, as the contract says', async () => {
    const broken = dimensionsFromTables({
      wrongQuestionRecord: { get: () => Promise.reject(new Error('down')) },
      pattern: { get: () => { throw new Error('down'); } },
      teachingTypeLinks: { get: () => Promise.reject(new Error('down')) },
      teachingType: { get: () => Promise.reject(new Error('down')) },
    });
    expect(await broken.getWrongQuestionRecord('w1')).toBeUndefined();
    expect(await broken.getPattern('p1')).toBeUndefined();
    expect(await broken.getTeachingTypesForPattern('p1')).toEqual([]);
    expect(await broken.getTeachingType('8')).toBeUndefined();
  });
});
