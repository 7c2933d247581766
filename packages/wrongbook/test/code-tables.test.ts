import { describe, expect, it } from 'vitest';
import { compileCodeTables, DEFAULT_SUBJECT_NAMES } from '@evroute/wrongbook';

describe('code tables (spec §5)', () => {
  const defaults = compileCodeTables();
  const { subjects } = defaults;

  it('matches subject codes in any letter case and returns the canonical code', () => {
    for (const spelling of ['MATH', 'math', 'Math', ' mAtH ']) expect(subjects.canonical(spelling)).toBe('MATH');
    expect(subjects.canonical('aoshu')).toBe('AOSHU');
    expect(subjects.canonical('Science')).toBe('SCIENCE');
  });

  it('maps every pinyin alias, in any case, to its code', () => {
    expect(['shuxue', 'YUWEN', 'Yingyu', 'wuli', 'huaxue', 'shengwu'].map((s) => subjects.canonical(s))).toEqual([
      'MATH', 'CHINESE', 'ENGLISH', 'PHYSICS', 'CHEMISTRY', 'BIOLOGY',
    ]);
  });

  it('names the eight subjects of the spec, and an unknown code by itself', () => {
    expect(Object.keys(DEFAULT_SUBJECT_NAMES)).toHaveLength(8);
    expect(subjects.nameOf('MATH')).toBe('数学');
    expect(subjects.nameOf('aoshu')).toBe('数学思维');
    expect(subjects.nameOf('SCIENCE')).toBe('科学');
    expect(subjects.nameOf('HISTORY')).toBe('HISTORY');
    expect(subjects.canonical('HISTORY')).toBeUndefined();
    expect(subjects.canonical('')).toBeUndefined();
  });

  it('describes fix results 0 and 1', () => {
    expect(defaults.fixResultName(0)).toBe('未订正');
    expect(defaults.fixResultName(1)).toBe('订正');
  });

  it('takes replacement tables from config: new codes, new names, new aliases', () => {
    const tables = compileCodeTables({
      subject_names: { math: 'Mathematics', HISTORY: '历史' },
      subject_aliases: { lishi: 'history', maths: 'MATH' },
      fix_result_names: { '0': 'not yet', '1': 'done' },
    });
    expect(tables.subjects.canonical('Math')).toBe('MATH');
    expect(tables.subjects.nameOf('MATH')).toBe('Mathematics');
    expect(tables.subjects.canonical('LiShi')).toBe('HISTORY');
    expect(tables.subjects.nameOf('history')).toBe('历史');
    expect(tables.subjects.canonical('maths')).toBe('MATH');
    expect(tables.subjects.canonical('CHINESE')).toBeUndefined(); // the table was replaced, not merged
    expect(tables.subjects.codes).toEqual(['MATH', 'HISTORY']);
    expect([tables.fixResultName(0), tables.fixResultName(1)]).toEqual(['not yet', 'done']);
  });

  it('describes a fix result missing from a config table by its digit', () => {
    expect(compileCodeTables({ fix_result_names: { '1': '订正' } }).fixResultName(0)).toBe('0');
  });
});
