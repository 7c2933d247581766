import { describe, expect, it } from 'vitest';
import { chooseTeachingType, type TeachingTypeCandidate } from '@evroute/wrongbook';

const tt = (id: string, order: number, chapter: string | null): TeachingTypeCandidate => ({
  teaching_type_id: id, order_num: order, chapter_id: chapter, teaching_type_name: `tt ${id}`,
});

describe('the teaching-type rule (spec §3)', () => {
  const candidates = [tt('7', 3, 'ch1'), tt('5', 1, 'ch2'), tt('9', 2, 'ch1')];

  it('chooses the lowest order_num for subjects other than CHINESE and ENGLISH', () => {
    expect(chooseTeachingType(candidates, 'MATH', 'ch1')?.teaching_type_id).toBe('5');
    expect(chooseTeachingType(candidates, 'PHYSICS', null)?.teaching_type_id).toBe('5');
  });

  it('uses the lowest order_num when the subject is unknown', () => {
    expect(chooseTeachingType(candidates, null, 'ch1')?.teaching_type_id).toBe('5');
  });

  it('chooses the teaching type of the event chapter for CHINESE and ENGLISH, lowest order_num among matches', () => {
    expect(chooseTeachingType(candidates, 'CHINESE', 'ch1')?.teaching_type_id).toBe('9');
    expect(chooseTeachingType(candidates, 'ENGLISH', 'ch2')?.teaching_type_id).toBe('5');
  });

  it('chooses none for CHINESE/ENGLISH when the chapter is unknown or nothing matches', () => {
    expect(chooseTeachingType(candidates, 'CHINESE', null)).toBeUndefined();
    expect(chooseTeachingType(candidates, 'ENGLISH', 'ch9')).toBeUndefined();
    expect(chooseTeachingType([], 'MATH', null)).toBeUndefined();
  });

  it('breaks order_num ties by the lowest id (numerically for integer ids), whatever the input order', () => {
    const tied = [tt('100', 1, 'c'), tt('20', 1, 'c'), tt('3a', 1, 'c')];
    expect(chooseTeachingType(tied.slice(0, 2), 'MATH', null)?.teaching_type_id).toBe('20');
    expect(chooseTeachingType(tied.slice(0, 2).toReversed(), 'MATH', null)?.teaching_type_id).toBe('20');
    expect(chooseTeachingType([tt('b', 1, 'c'), tt('a', 1, 'c')], 'MATH', null)?.teaching_type_id).toBe('a');
  });
});
