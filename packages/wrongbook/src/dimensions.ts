/**
 * The dimension lookups the wrongbook plugins enrich events with (spec §3), as one host service. The
 * host registers an implementation under {@link DIMENSIONS_SERVICE}: `new MemoryDimensions(data)` in
 * tests and the embedded demo, or `dimensionsFromTables(...)` over cached MySQL lookups in production.
 *
 * Every method resolves `undefined` when the key is not found *or the lookup failed*; none rejects. A
 * failure is the implementation's to count and log (the plugins count what they see: hits and misses,
 * and an `error` when an implementation breaks this contract by throwing). Results may be returned
 * synchronously or as a promise; lookups issued together (the plugins issue one event's lookups in
 * parallel) can be batched by the implementation.
 */

/** The name plugins look the dimensions up by: `ctx.services.get<DimensionLookups>('wrongbook.dimensions')`. */
export const DIMENSIONS_SERVICE = 'wrongbook.dimensions';

/** A value now or later. */
export type Awaitable<T> = T | PromiseLike<T>;

/** A `wrong_question_record` row (database `shuxue`): the wrong question as the app stored it. */
export interface WrongQuestionRecord {
  /** = `wrong_id`. */
  readonly id: string;
  readonly user_id: string | null;
  readonly question_id: string | null;
  readonly pattern_id: string | null;
  readonly subject: string | null;
  readonly chapter_id: string | null;
  readonly chapter_name: string | null;
  /** Epoch ms. */
  readonly create_time: number | null;
  readonly is_delete: number | null;
}

/** A `tower_pattern` row: a question pattern (题型/知识点). */
export interface Pattern {
  /** = `pattern_id`. */
  readonly id: string;
  readonly name: string | null;
  readonly type: number | null;
  readonly subject: string | null;
  /** DECIMAL(5,3). */
  readonly difficulty: number | null;
}

/** A live (`is_delete = 0`) `tower_teaching_type_pt` link of a pattern to a teaching type. */
export interface TeachingTypeLink {
  readonly teaching_type_id: string;
  /** Teaching order; the lowest wins outside CHINESE and ENGLISH. */
  readonly order_num: number;
}

/** A live (`is_delete = 0`) `tower_teaching_type` row. */
export interface TeachingType {
  readonly id: string;
  readonly chapter_id: string | null;
  readonly teaching_type_name: string | null;
}

/** The enrichment lookups. See the file comment for the error contract. */
export interface DimensionLookups {
  /** The `wrong_question_record` row whose `id` is `wrongId`. */
  getWrongQuestionRecord(wrongId: string): Awaitable<WrongQuestionRecord | undefined>;
  /** The `tower_pattern` row `patternId`. */
  getPattern(patternId: string): Awaitable<Pattern | undefined>;
  /** The live links of `patternId` (`tower_teaching_type_pt.pt_id = patternId AND is_delete = 0`); none → `[]` or `undefined`. */
  getTeachingTypesForPattern(patternId: string): Awaitable<readonly TeachingTypeLink[] | undefined>;
  /** The live `tower_teaching_type` row `id` (`is_delete = 0`). */
  getTeachingType(id: string): Awaitable<TeachingType | undefined>;
}
