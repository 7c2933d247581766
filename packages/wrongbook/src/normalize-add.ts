/**
 * The `wrongbook_add` payload (spec §2): a wrong answer was collected. Reads both spellings and checks
 * the spec's validation rules; see `payload-reader.ts` for the representation rules.
 */
import { PayloadReader, finishRead, type Normalized, type NormalizeOptions } from './payload-reader.js';

/** A valid `wrongbook_add` payload. Optional fields are `null` when absent. Times are epoch ms. */
export interface AddPayload {
  readonly wrongId: string;
  readonly userId: string;
  readonly questionId: string;
  /** When the wrong question was collected; becomes `collect_time`. */
  readonly createTime: number;
  readonly patternId: string | null;
  /** The canonical subject code (`math`, `shuxue` → `MATH`). */
  readonly subject: string | null;
  readonly chapterId: string | null;
  readonly answerRecordId: string | null;
  readonly answerImage: string | null;
  /** 0 wrong, 1 right; an add with `result = 0` also goes to the `wrong_answers` output. */
  readonly result: 0 | 1 | null;
  readonly correctStatus: number | null;
  readonly origin: string | null;
  readonly tagGroup: string | null;
  readonly draftImage: string | null;
  readonly qType: number | null;
  readonly zpdPatternId: string | null;
  readonly submitTime: number | null;
  readonly question: string | null;
  readonly answer: string | null;
  readonly analysis: string | null;
  readonly difficulty: number | null;
  readonly collectReason: string | null;
  readonly collectSource: string | null;
}

/**
 * Reads and validates a `wrongbook_add` payload: `wrong_id`, `user_id`, `question_id` non-empty,
 * `create_time` (and `submit_time` when present) valid times, `subject` a known code when present,
 * `result` 0 or 1 when present; every other spec field of the right type when present.
 */
export function normalizeAdd(payload: Readonly<Record<string, unknown>>, options: NormalizeOptions): Normalized<AddPayload> {
  const r = new PayloadReader(payload, options.now, options.maxFutureMs);
  const required = { required: true } as const;
  const wrongId = r.id('wrong_id', required);
  const userId = r.id('user_id', required);
  const questionId = r.id('question_id', required);
  const createTime = r.time('create_time', required);
  const add: AddPayload = {
    wrongId: wrongId ?? '',
    userId: userId ?? '',
    questionId: questionId ?? '',
    createTime: createTime ?? 0,
    patternId: r.id('pattern_id'),
    subject: r.subject('subject', options.subjects),
    chapterId: r.id('chapter_id'),
    answerRecordId: r.id('answer_record_id'),
    answerImage: r.text('answer_image'),
    result: r.zeroOne('result'),
    correctStatus: r.integer('correct_status'),
    origin: r.text('origin'),
    tagGroup: r.text('tag_group'),
    draftImage: r.text('draft_image'),
    qType: r.integer('q_type'),
    zpdPatternId: r.id('zpd_pattern_id'),
    submitTime: r.time('submit_time'),
    question: r.text('question'),
    answer: r.text('answer'),
    analysis: r.text('analysis'),
    difficulty: r.decimal('difficulty'),
    collectReason: r.text('collect_reason'),
    collectSource: r.text('collect_source'),
  };
  return finishRead(r, add);
}
