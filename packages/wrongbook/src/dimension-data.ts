/**
 * The four dimension tables of spec §3 as plain rows, column for column (what `generateDimensionData`
 * produces, what `MemoryDimensions` serves, and what a SQL seed file would insert).
 */

/** A `wrong_question_record` row. */
export interface WrongQuestionRecordRow {
  readonly id: string;
  readonly user_id: string;
  readonly question_id: string;
  readonly pattern_id: string | null;
  readonly subject: string | null;
  readonly chapter_id: string | null;
  readonly chapter_name: string | null;
  /** Epoch ms. */
  readonly create_time: number;
  readonly is_delete: 0 | 1;
}

/** A `tower_pattern` row. */
export interface PatternRow {
  readonly id: string;
  readonly name: string;
  readonly type: number;
  readonly subject: string;
  /** DECIMAL(5,3), e.g. 0.625. */
  readonly difficulty: number;
}

/** A `tower_teaching_type_pt` row. */
export interface TeachingTypeLinkRow {
  readonly id: number;
  readonly teaching_type_id: string;
  /** = `tower_pattern.id`. */
  readonly pt_id: string;
  readonly order_num: number;
  readonly is_delete: 0 | 1;
}

/** A `tower_teaching_type` row. */
export interface TeachingTypeRow {
  readonly id: string;
  readonly chapter_id: string;
  readonly teaching_type_name: string;
  readonly is_delete: 0 | 1;
}

/** The rows of the four dimension tables, keyed by table name. */
export interface DimensionData {
  readonly wrong_question_record: readonly WrongQuestionRecordRow[];
  readonly tower_pattern: readonly PatternRow[];
  readonly tower_teaching_type_pt: readonly TeachingTypeLinkRow[];
  readonly tower_teaching_type: readonly TeachingTypeRow[];
}
