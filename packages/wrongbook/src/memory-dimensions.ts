/**
 * {@link DimensionLookups} over rows held in memory: for tests and the embedded demo. Answers
 * synchronously, applies the `is_delete = 0` filters of spec §3 to links and teaching types, and
 * counts its calls so tests can check what was looked up.
 */
import type { DimensionData } from './dimension-data.js';
import type { DimensionLookups, Pattern, TeachingType, TeachingTypeLink, WrongQuestionRecord } from './dimensions.js';

/** Lookups per table since construction. */
export interface MemoryDimensionCalls {
  wrongQuestionRecord: number;
  pattern: number;
  teachingTypeLinks: number;
  teachingType: number;
}

/** In-memory dimension tables. Replace the data with {@link load}; the old maps are dropped. */
export class MemoryDimensions implements DimensionLookups {
  /** Calls per method, for assertions. */
  readonly calls: MemoryDimensionCalls = { wrongQuestionRecord: 0, pattern: 0, teachingTypeLinks: 0, teachingType: 0 };
  #records = new Map<string, WrongQuestionRecord>();
  #patterns = new Map<string, Pattern>();
  #links = new Map<string, TeachingTypeLink[]>();
  #types = new Map<string, TeachingType>();

  constructor(data?: Partial<DimensionData>) {
    if (data) this.load(data);
  }

  /** Replaces the tables given (the others are kept). */
  load(data: Partial<DimensionData>): void {
    if (data.wrong_question_record) this.#records = new Map(data.wrong_question_record.map((r) => [r.id, r]));
    if (data.tower_pattern) this.#patterns = new Map(data.tower_pattern.map((p) => [p.id, p]));
    if (data.tower_teaching_type_pt) {
      const links = new Map<string, TeachingTypeLink[]>();
      for (const row of data.tower_teaching_type_pt) {
        if (row.is_delete !== 0) continue;
        const list = links.get(row.pt_id) ?? [];
        list.push({ teaching_type_id: row.teaching_type_id, order_num: row.order_num });
        links.set(row.pt_id, list);
      }
      this.#links = links;
    }
    if (data.tower_teaching_type) {
      const live = data.tower_teaching_type.filter((t) => t.is_delete === 0);
      this.#types = new Map(live.map((t) => [t.id, { id: t.id, chapter_id: t.chapter_id, teaching_type_name: t.teaching_type_name }]));
    }
  }

  /** {@inheritDoc DimensionLookups.getWrongQuestionRecord} */
  getWrongQuestionRecord(wrongId: string): WrongQuestionRecord | undefined {
    this.calls.wrongQuestionRecord++;
    return this.#records.get(wrongId);
  }

  /** {@inheritDoc DimensionLookups.getPattern} */
  getPattern(patternId: string): Pattern | undefined {
    this.calls.pattern++;
    return this.#patterns.get(patternId);
  }

  /** {@inheritDoc DimensionLookups.getTeachingTypesForPattern} */
  getTeachingTypesForPattern(patternId: string): readonly TeachingTypeLink[] | undefined {
    this.calls.teachingTypeLinks++;
    return this.#links.get(patternId);
  }

  /** {@inheritDoc DimensionLookups.getTeachingType} */
  getTeachingType(id: string): TeachingType | undefined {
    this.calls.teachingType++;
    return this.#types.get(id);
  }
}
