/**
 * The payloads of generated wrongbook events (spec §2, snake_case), for one wrong question at a time.
 * Every payload of a question tells the same facts (ids, subject, chapter, creation time) when it tells
 * them at all, as a real app does; which optional fields appear, and how the subject is spelled, vary.
 */
import type { Random } from './random.js';

/** The facts of one generated wrong question. */
export interface QuestionFacts {
  readonly wrongId: string;
  readonly userId: string;
  readonly questionId: string;
  readonly patternId: string | null;
  readonly subject: string;
  readonly chapterId: string | null;
  readonly createTime: number;
  readonly difficulty: number | null;
  /** True when the question is in `wrong_question_record`; otherwise events carry every fact. */
  readonly recorded: boolean;
  /**
   * True when `wrong_question_record` lags behind the app (other question, pattern or chapter): the add
   * carries every fact, the fixes none, so fixes fill from the stale record and the add must win.
   */
  readonly divergent: boolean;
}

const PINYIN: Readonly<Record<string, string>> = { MATH: 'shuxue', CHINESE: 'yuwen', ENGLISH: 'yingyu', PHYSICS: 'wuli', CHEMISTRY: 'huaxue', BIOLOGY: 'shengwu' };

/** The subject as some producer spells it: `MATH`, `math`, `Math` or `shuxue`. */
function spell(subject: string, random: Random): string {
  const pinyin = PINYIN[subject];
  const forms = [subject, subject.toLowerCase(), subject[0] + subject.slice(1).toLowerCase(), ...(pinyin === undefined ? [] : [pinyin])];
  return random.pick(forms);
}

function questionText(q: QuestionFacts, random: Random): string {
  if (q.subject === 'MATH') {
    const x = random.between(1, 9);
    const a = random.between(2, 9);
    const b = random.between(1, 20);
    return `解方程：${a}x + ${b} = ${a * x + b}`;
  }
  return `${q.questionId} 练习题：请选择正确答案`;
}

/** A `wrongbook_add` payload. */
export function addPayload(q: QuestionFacts, random: Random): Record<string, unknown> {
  const all = !q.recorded || q.divergent;
  const p: Record<string, unknown> = { wrong_id: q.wrongId, user_id: q.userId, question_id: q.questionId, create_time: q.createTime };
  if (q.patternId !== null && (all || random.chance(0.9))) p['pattern_id'] = q.patternId;
  if (all || random.chance(0.85)) p['subject'] = spell(q.subject, random);
  if (q.chapterId !== null && (all || random.chance(0.7))) p['chapter_id'] = q.chapterId;
  p['answer_record_id'] = `ar_${q.wrongId.slice(-6)}_${random.between(100, 999)}`;
  p['result'] = random.chance(0.85) ? 0 : 1;
  p['question'] = questionText(q, random);
  if (random.chance(0.6)) p['answer'] = q.subject === 'MATH' ? 'x = ?' : 'B';
  if (random.chance(0.4)) p['analysis'] = '先审题，再逐步求解。';
  if (q.difficulty !== null && random.chance(0.5)) p['difficulty'] = q.difficulty;
  if (random.chance(0.5)) p['submit_time'] = q.createTime - random.between(0, 60_000);
  if (random.chance(0.5)) p['collect_reason'] = random.pick(['答错', '不会', '粗心', '收藏']);
  if (random.chance(0.5)) p['collect_source'] = random.pick(['homework', 'exam', 'practice']);
  if (random.chance(0.3)) p['answer_image'] = `https://img.example.com/answer/${q.wrongId}.png`;
  if (random.chance(0.3)) p['q_type'] = random.between(1, 5);
  if (random.chance(0.2)) p['origin'] = random.pick(['app', 'pad', 'web']);
  return p;
}

/** A `wrongbook_fix` payload. */
export function fixPayload(q: QuestionFacts, fixId: string, fixTime: number, random: Random): Record<string, unknown> {
  const all = !q.recorded;
  const none = q.divergent;
  const fixResult = random.chance(0.7) ? 1 : 0;
  const p: Record<string, unknown> = { fix_id: fixId, wrong_id: q.wrongId, user_id: q.userId, fix_result: fixResult, fix_time: fixTime };
  if (!none && (all || random.chance(0.5))) p['question_id'] = q.questionId;
  if (!none && q.patternId !== null && (all || random.chance(0.5))) p['pattern_id'] = q.patternId;
  if (!none && (all || random.chance(0.4))) p['subject'] = spell(q.subject, random);
  if (!none && q.chapterId !== null && (all || random.chance(0.3))) p['chapter_id'] = q.chapterId;
  if (!none && (all || random.chance(0.5))) p['create_time'] = q.createTime;
  if (random.chance(0.2)) p['fix_result_desc'] = fixResult === 1 ? '订正正确' : '订正错误';
  p['fix_duration'] = random.between(10, 600);
  p['fix_attempts'] = random.between(1, 4);
  p['is_correct'] = fixResult === 1;
  if (random.chance(0.6)) p['fix_method'] = random.pick(['photo', 'typing', 'voice']);
  if (random.chance(0.6)) p['fix_source'] = random.pick(['practice', 'exam', 'homework']);
  if (random.chance(0.5)) p['confidence_score'] = Math.round((0.5 + random.next() / 2) * 100) / 100;
  if (random.chance(0.3)) p['fix_answer'] = q.subject === 'MATH' ? 'x = 2' : 'B';
  if (random.chance(0.1)) p['teacher_feedback'] = '步骤完整，注意书写。';
  if (random.chance(0.1)) p['ai_feedback'] = '已掌握该知识点。';
  return p;
}

/** A `wrongbook_delete` payload. */
export function deletePayload(q: QuestionFacts, deleteTime: number, random: Random): Record<string, unknown> {
  const p: Record<string, unknown> = { wrong_id: q.wrongId, user_id: q.userId, delete_time: deleteTime };
  if (random.chance(0.8)) p['delete_reason'] = random.pick(['已掌握', '误收藏', '重复题目', '题目有误']);
  if (random.chance(0.8)) p['delete_source'] = random.pick(['user', 'system', 'batch']);
  return p;
}
