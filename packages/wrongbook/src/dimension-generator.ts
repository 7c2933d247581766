/**
 * Deterministic sample data for the four dimension tables of spec §3, shaped like production (as the
 * domain research describes it): patterns of eight subjects with realistic names, each linked to a few
 * teaching types of its subject (some links and types soft-deleted, a few patterns with none), and wrong
 * questions whose CHINESE/ENGLISH chapters usually match one of their pattern's teaching types, so the
 * join rates look like the spec's targets rather than 0 or 100 %.
 */
import type { DimensionData, PatternRow, TeachingTypeLinkRow, TeachingTypeRow, WrongQuestionRecordRow } from './dimension-data.js';
import { createRandom, type Random } from './random.js';
import { CHAPTER_MATCHED_SUBJECTS } from './teaching-type.js';

/** The generators' default "now": 2025-01-15T00:00:00Z. Every generated time lies before it. */
export const GENERATOR_EPOCH = Date.UTC(2025, 0, 15);

/** Subjects with their share of wrong questions. */
export const SUBJECT_WEIGHTS: readonly (readonly [string, number])[] = [
  ['MATH', 40], ['CHINESE', 15], ['ENGLISH', 15], ['PHYSICS', 8], ['CHEMISTRY', 7], ['BIOLOGY', 5], ['AOSHU', 5], ['SCIENCE', 5],
];

const TOPICS: Readonly<Record<string, readonly string[]>> = {
  MATH: ['一元一次方程', '加减法混合运算', '分数乘除法', '三角形面积', '函数图像', '因式分解', '概率初步', '不等式'],
  CHINESE: ['古诗词鉴赏', '文言文翻译', '病句修改', '阅读理解', '成语运用', '修辞手法'],
  ENGLISH: ['一般过去时', '定语从句', '完形填空', '阅读理解', '词汇辨析', '被动语态'],
  PHYSICS: ['牛顿第二定律', '欧姆定律', '浮力', '光的折射', '机械能守恒'],
  CHEMISTRY: ['化学方程式配平', '酸碱中和', '氧化还原反应', '摩尔计算'],
  BIOLOGY: ['细胞结构', '光合作用', '遗传规律', '生态系统'],
  AOSHU: ['鸡兔同笼', '行程问题', '植树问题', '数字谜'],
  SCIENCE: ['物质的状态', '简单电路', '天气与气候', '植物的生长'],
};
const VARIANTS = ['基础', '应用题', '综合', '易错', '提高', '拓展'];
const TEACHING_KINDS = ['基础概念讲解', '知识点讲解', '例题讲解', '易错点分析', '方法总结', '拓展提升'];
const CHAPTERS_PER_SUBJECT = 12;
const DAY = 86_400_000;

/** Sizes and seed of the sample data. */
export interface DimensionDataOptions {
  readonly seed?: number;
  /** `tower_pattern` rows; default 1 000. */
  readonly patterns?: number;
  /** `wrong_question_record` rows; default 10 000. */
  readonly wrongQuestions?: number;
  /** Distinct students; default 500. */
  readonly users?: number;
  /** `tower_teaching_type` rows per subject; default 60. */
  readonly teachingTypesPerSubject?: number;
  /** Wrong questions are created 10 to 40 days before this; default {@link GENERATOR_EPOCH}. */
  readonly now?: number;
}

/** The chapter id of a subject's chapter `n` (1-based), e.g. `chinese_ch03`. */
export function chapterId(subject: string, n: number): string {
  return `${subject.toLowerCase()}_ch${String(n).padStart(2, '0')}`;
}

function teachingTypes(random: Random, perSubject: number): TeachingTypeRow[] {
  const rows: TeachingTypeRow[] = [];
  for (const [subject] of SUBJECT_WEIGHTS) {
    for (let i = 0; i < perSubject; i++) {
      const chapter = 1 + (i % CHAPTERS_PER_SUBJECT);
      rows.push({
        id: String(100_001 + rows.length),
        chapter_id: chapterId(subject, chapter),
        teaching_type_name: `${random.pick(TEACHING_KINDS)}（第${chapter}章）`,
        is_delete: random.chance(0.03) ? 1 : 0,
      });
    }
  }
  return rows;
}

function patternsAndLinks(random: Random, count: number, types: readonly TeachingTypeRow[]): { patterns: PatternRow[]; links: TeachingTypeLinkRow[] } {
  const typesOf = new Map<string, TeachingTypeRow[]>();
  for (const type of types) {
    const subject = (type.chapter_id.split('_ch')[0] ?? '').toUpperCase();
    typesOf.set(subject, [...(typesOf.get(subject) ?? []), type]);
  }
  const patterns: PatternRow[] = [];
  const links: TeachingTypeLinkRow[] = [];
  for (let i = 0; i < count; i++) {
    const subject = random.weighted(SUBJECT_WEIGHTS);
    const id = `pt${String(i + 1).padStart(6, '0')}`;
    patterns.push({
      id,
      name: `${random.pick(TOPICS[subject] ?? ['综合练习'])}（${random.pick(VARIANTS)}）`,
      type: random.between(1, 5),
      subject,
      difficulty: Math.round((0.05 + random.next() * 0.9) * 1000) / 1000,
    });
    if (random.chance(0.02)) continue; // a pattern no teaching type covers yet
    const pool = random.shuffle([...(typesOf.get(subject) ?? [])]).slice(0, random.between(1, 5));
    pool.forEach((type, order) => {
      links.push({ id: links.length + 1, teaching_type_id: type.id, pt_id: id, order_num: order + 1, is_delete: random.chance(0.05) ? 1 : 0 });
    });
  }
  return { patterns, links };
}

function wrongQuestions(
  random: Random,
  options: Required<Pick<DimensionDataOptions, 'wrongQuestions' | 'users' | 'now'>>,
  patterns: readonly PatternRow[],
  links: readonly TeachingTypeLinkRow[],
  types: readonly TeachingTypeRow[],
): WrongQuestionRecordRow[] {
  const chapterOfType = new Map(types.map((t) => [t.id, t.chapter_id]));
  const chaptersOf = new Map<string, string[]>();
  for (const link of links) {
    const chapter = chapterOfType.get(link.teaching_type_id);
    if (link.is_delete === 0 && chapter !== undefined) chaptersOf.set(link.pt_id, [...(chaptersOf.get(link.pt_id) ?? []), chapter]);
  }
  const rows: WrongQuestionRecordRow[] = [];
  for (let i = 0; i < options.wrongQuestions; i++) {
    const pattern = random.pick(patterns);
    const linked = chaptersOf.get(pattern.id) ?? [];
    const matched = CHAPTER_MATCHED_SUBJECTS.has(pattern.subject) && linked.length > 0 && random.chance(0.85);
    const chapter = matched ? random.pick(linked) : chapterId(pattern.subject, random.between(1, CHAPTERS_PER_SUBJECT));
    rows.push({
      id: `wrong_${String(i + 1).padStart(8, '0')}`,
      user_id: `user_${10_001 + random.int(options.users)}`,
      question_id: `q_${pattern.subject.toLowerCase()}_${random.between(1, 5000)}`,
      pattern_id: random.chance(0.01) ? `pt_gone_${i}` : pattern.id,
      subject: pattern.subject,
      chapter_id: chapter,
      chapter_name: `第${Number(chapter.slice(-2))}章`,
      create_time: options.now - random.between(10 * DAY, 40 * DAY),
      is_delete: random.chance(0.02) ? 1 : 0,
    });
  }
  return rows;
}

/** Generates the four dimension tables. The same options give the same rows. */
export function generateDimensionData(options: DimensionDataOptions = {}): DimensionData {
  const random = createRandom(options.seed ?? 1);
  const types = teachingTypes(random, options.teachingTypesPerSubject ?? 60);
  const { patterns, links } = patternsAndLinks(random, options.patterns ?? 1000, types);
  const sizes = { wrongQuestions: options.wrongQuestions ?? 10_000, users: options.users ?? 500, now: options.now ?? GENERATOR_EPOCH };
  return {
    wrong_question_record: wrongQuestions(random, sizes, patterns, links, types),
    tower_pattern: patterns,
    tower_teaching_type_pt: links,
    tower_teaching_type: types,
  };
}
