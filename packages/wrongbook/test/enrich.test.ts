import { describe, expect, it } from 'vitest';
import { compileCodeTables, enrich, MemoryDimensions, type DimensionLookups, type KnownFacts, type LookupOutcome, type LookupTable } from '@evroute/wrongbook';
import { DIMENSIONS, T0 } from './support/fixtures.js';

const { subjects } = compileCodeTables();
const unknown = (wrongId: string): KnownFacts => ({ wrongId, subject: null, questionId: null, patternId: null, chapterId: null, createTime: null });

function recorder(): { seen: string[]; observe: (t: LookupTable, o: LookupOutcome) => void } {
  const seen: string[] = [];
  return { seen, observe: (table, outcome) => seen.push(`${table}:${outcome}`) };
}

describe('the enrichment chain (spec §3)', () => {
  it('fills what the payload lacks from wrong_question_record, then pattern and teaching type', async () => {
    const { seen, observe } = recorder();
    const facts = await enrich(unknown('wrong_1'), new MemoryDimensions(DIMENSIONS), subjects, observe);
    expect(facts).toEqual({
      subject: 'MATH', questionId: 'q_1', patternId: 'pt_math', chapterId: 'math_ch01', createTime: T0,
      patternName: '一元一次方程（基础）', teachTypeId: '11', teachTypeName: '基础概念讲解',
    });
    expect(seen.sort()).toEqual([
      'tower_pattern:hit', 'tower_teaching_type:hit', 'tower_teaching_type:hit', 'tower_teaching_type_pt:hit', 'wrong_question_record:hit',
    ]);
  });

  it('prefers the payload over wrong_question_record and skips that lookup when the payload has every fact', async () => {
    const dims = new MemoryDimensions(DIMENSIONS);
    const known: KnownFacts = { wrongId: 'wrong_1', subject: 'CHINESE', questionId: 'q_x', patternId: 'pt_cn', chapterId: 'yuwen_ch01', createTime: 5 };
    const facts = await enrich(known, dims, subjects);
    expect(facts).toMatchObject({ subject: 'CHINESE', questionId: 'q_x', patternId: 'pt_cn', chapterId: 'yuwen_ch01', createTime: 5, teachTypeId: '21' });
    expect(dims.calls.wrongQuestionRecord).toBe(0);
  });

  it('canonicalises the record subject and matches CHINESE by the record chapter, skipping deleted types', async () => {
    // wrong_2 is 'chinese' in chapter yuwen_ch02: tt 22 matches; tt 23 matches too but is deleted.
    const facts = await enrich(unknown('wrong_2'), new MemoryDimensions(DIMENSIONS), subjects);
    expect(facts).toMatchObject({ subject: 'CHINESE', chapterId: 'yuwen_ch02', teachTypeId: '22', teachTypeName: '意象分析' });
  });

  it('skips deleted links (tt 13 has order 0 but its link is deleted)', async () => {
    const facts = await enrich({ ...unknown('nope'), patternId: 'pt_math', subject: 'MATH' }, new MemoryDimensions(DIMENSIONS), subjects);
    expect(facts.teachTypeId).toBe('11');
  });

  it('leaves the teaching type NULL for ENGLISH without a chapter, keeping the pattern name', async () => {
    const facts = await enrich(unknown('wrong_3'), new MemoryDimensions(DIMENSIONS), subjects);
    expect(facts).toMatchObject({ subject: 'ENGLISH', chapterId: null, patternName: '定语从句（综合）', teachTypeId: null, teachTypeName: null });
  });

  it('leaves pattern columns NULL for a pattern the tables do not have, and counts the misses', async () => {
    const { seen, observe } = recorder();
    const facts = await enrich(unknown('wrong_4'), new MemoryDimensions(DIMENSIONS), subjects, observe);
    expect(facts).toMatchObject({ subject: 'PHYSICS', patternId: 'pt_gone', patternName: null, teachTypeId: null });
    expect(seen.sort()).toEqual(['tower_pattern:miss', 'tower_teaching_type_pt:miss', 'wrong_question_record:hit']);
  });

  it('returns the payload facts alone for an unknown wrong question', async () => {
    const { seen, observe } = recorder();
    expect(await enrich(unknown('wrong_404'), new MemoryDimensions(DIMENSIONS), subjects, observe)).toEqual({
      subject: null, questionId: null, patternId: null, chapterId: null, createTime: null, patternName: null, teachTypeId: null, teachTypeName: null,
    });
    expect(seen).toEqual(['wrong_question_record:miss']);
  });

  it('never fails: a lookup that throws or rejects counts as an error and leaves NULLs', async () => {
    const { seen, observe } = recorder();
    const broken: DimensionLookups = {
      getWrongQuestionRecord: () => Promise.reject(new Error('connection lost')),
      getPattern: () => {
        throw new Error('boom');
      },
      getTeachingTypesForPattern: () => Promise.resolve([{ teaching_type_id: '1', order_num: 1 }]),
      getTeachingType: () => Promise.reject(new Error('timeout')),
    };
    const facts = await enrich({ ...unknown('w'), patternId: 'p' }, broken, subjects, observe);
    expect(facts).toMatchObject({ patternId: 'p', patternName: null, teachTypeId: null, subject: null });
    expect(seen.sort()).toEqual(['tower_pattern:error', 'tower_teaching_type:error', 'tower_teaching_type_pt:hit', 'wrong_question_record:error']);
  });

  it('runs without lookups: the payload facts with the derived columns NULL', async () => {
    const known: KnownFacts = { wrongId: 'w', subject: 'MATH', questionId: 'q', patternId: 'p', chapterId: null, createTime: 1 };
    expect(await enrich(known, undefined, subjects)).toEqual({ subject: 'MATH', questionId: 'q', patternId: 'p', chapterId: null, createTime: 1, patternName: null, teachTypeId: null, teachTypeName: null });
  });
});
