/**
 * The `wrongbook_fix` payload (spec §2): the student submitted a correction. Reads both spellings
 * (`fix_time` also as `submit_time` / `submitTime`) and checks the spec's validation rules; see
 * `payload-reader.ts` for the representation rules.
 */
import { PayloadReader, finishRead, type Normalized, type NormalizeOptions } from './payload-reader.js';

/** Longest `fix_result_desc` the wide table stores (`VARCHAR(64)`); longer text is cut. */
export const MAX_FIX_RESULT_DESC = 64;

/** A valid `wrongbook_fix` payload. Optional fields are `null` when absent. Times are epoch ms. */
export interface FixPayload {
  readonly fixId: string;
  readonly wrongId: string;
  readonly userId: string;
  /** 0 = 未订正 (not corrected), 1 = 订正 (corrected). */
  readonly fixResult: 0 | 1;
  /** When the correction was submitted (`fix_time`, alias `submit_time`). */
  readonly fixTime: number;
  readonly questionId: string | null;
  readonly patternId: string | null;
  /** The canonical subject code. */
  readonly subject: string | null;
  readonly chapterId: string | null;
  readonly fixAnswer: string | null;
  readonly fixImage: string | null;
  /** The producer's own description; the code table's is used when absent. */
  readonly fixResultDesc: string | null;
  /** Seconds spent. */
  readonly fixDuration: number | null;
  readonly fixAttempts: number | null;
  readonly fixMethod: string | null;
  readonly fixSource: string | null;
  readonly isCorrect: boolean | null;
  readonly confidenceScore: number | null;
  readonly teacherFeedback: string | null;
  readonly aiFeedback: string | null;
  /** When the wrong question was created (a fallback for `collect_time`). */
  readonly createTime: number | null;
  /**
   * The upstream fix record's soft-delete flag (`isDelete`, Gen C producers). 1 = the fix record was
   * withdrawn upstream: the fix processor acknowledges it and writes nothing (as the original job
   * filtered such records out).
   */
  readonly isDelete: 0 | 1 | null;
}

/**
 * Reads and validates a `wrongbook_fix` payload: `fix_id`, `wrong_id`, `user_id` non-empty,
 * `fix_result` 0 or 1, `fix_time` and `create_time` valid times with `create_time <= fix_time`,
 * `subject` a known code when present; every other spec field of the right type when present.
 */
export function normalizeFix(payload: Readonly<Record<string, unknown>>, options: NormalizeOptions): Normalized<FixPayload> {
  const r = new PayloadReader(payload, options.now, options.maxFutureMs);
  const required = { required: true } as const;
  const fixId = r.id('fix_id', required);
  const wrongId = r.id('wrong_id', required);
  const userId = r.id('user_id', required);
  const fixResult = r.zeroOne('fix_result', required);
  const fixTime = r.time('fix_time', { required: true, aliases: ['submit_time'] });
  const createTime = r.time('create_time');
  if (createTime !== null && fixTime !== null && createTime > fixTime) {
    r.problems.push(`create_time: ${createTime} is after fix_time ${fixTime} (a question is created before it is fixed)`);
  }
  const fix: FixPayload = {
    fixId: fixId ?? '',
    wrongId: wrongId ?? '',
    userId: userId ?? '',
    fixResult: fixResult ?? 0,
    fixTime: fixTime ?? 0,
    questionId: r.id('question_id'),
    patternId: r.id('pattern_id'),
    subject: r.subject('subject', options.subjects),
    chapterId: r.id('chapter_id'),
    fixAnswer: r.text('fix_answer'),
    fixImage: r.text('fix_image'),
    fixResultDesc: r.text('fix_result_desc', { truncateTo: MAX_FIX_RESULT_DESC }),
    fixDuration: r.integer('fix_duration', { min: 0 }),
    fixAttempts: r.integer('fix_attempts', { min: 0 }),
    fixMethod: r.text('fix_method'),
    fixSource: r.text('fix_source'),
    isCorrect: r.boolean('is_correct'),
    confidenceScore: r.decimal('confidence_score'),
    teacherFeedback: r.text('teacher_feedback'),
    aiFeedback: r.text('ai_feedback'),
    createTime,
    isDelete: r.zeroOne('is_delete'),
  };
  return finishRead(r, fix);
}
