/**
 * The enrichment chain of spec §3/§4: what an event does not say about its wrong question is read from
 * `wrong_question_record`; the pattern's name from `tower_pattern`; the teaching type through
 * `tower_teaching_type_pt` → `tower_teaching_type` and the choice rule of `teaching-type.ts`.
 *
 * A lookup that finds nothing, or fails, leaves its columns NULL and never fails the event. The chain
 * asks only what it needs: `wrong_question_record` only when the payload lacks one of its facts, the
 * pattern tables only when a pattern id is known; one event's independent lookups run in parallel.
 */
import type { SubjectTable } from './code-tables.js';
import type { Awaitable, DimensionLookups, WrongQuestionRecord } from './dimensions.js';
import { chooseTeachingType, type TeachingTypeCandidate } from './teaching-type.js';

/** What the event itself says about its wrong question (null = not in the payload). */
export interface KnownFacts {
  readonly wrongId: string;
  /** Canonical subject code. */
  readonly subject: string | null;
  readonly questionId: string | null;
  readonly patternId: string | null;
  readonly chapterId: string | null;
  /** When the wrong question was created, epoch ms. */
  readonly createTime: number | null;
}

/** The facts after enrichment: the payload's, else the dimension tables'; null when neither has them. */
export interface EnrichedFacts {
  readonly subject: string | null;
  readonly questionId: string | null;
  readonly patternId: string | null;
  readonly chapterId: string | null;
  readonly createTime: number | null;
  readonly patternName: string | null;
  readonly teachTypeId: string | null;
  readonly teachTypeName: string | null;
}

/** The dimension tables, as named in metrics. */
export type LookupTable = 'wrong_question_record' | 'tower_pattern' | 'tower_teaching_type_pt' | 'tower_teaching_type';

/** What one lookup gave: a row, nothing, or an exception (the implementation broke its contract). */
export type LookupOutcome = 'hit' | 'miss' | 'error';

/** Told about every lookup the chain makes; plugins count these in their metrics. */
export type LookupObserver = (table: LookupTable, outcome: LookupOutcome) => void;

const ignore: LookupObserver = () => {};

async function look<T>(table: LookupTable, observe: LookupObserver, lookup: () => Awaitable<T | undefined>): Promise<T | undefined> {
  try {
    const found = await lookup();
    const hit = found !== undefined && found !== null && !(Array.isArray(found) && found.length === 0);
    observe(table, hit ? 'hit' : 'miss');
    return hit ? found : undefined;
  } catch {
    observe(table, 'error');
    return undefined;
  }
}

function present(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}

function time(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

async function teachingTypeOf(
  lookups: DimensionLookups,
  patternId: string,
  subject: string | null,
  chapterId: string | null,
  observe: LookupObserver,
): Promise<TeachingTypeCandidate | undefined> {
  const links = await look('tower_teaching_type_pt', observe, () => lookups.getTeachingTypesForPattern(patternId));
  if (links === undefined) return undefined;
  const candidates = await Promise.all(
    links.map(async (link) => {
      const type = await look('tower_teaching_type', observe, () => lookups.getTeachingType(link.teaching_type_id));
      return type === undefined
        ? undefined
        : { teaching_type_id: link.teaching_type_id, order_num: link.order_num, chapter_id: type.chapter_id, teaching_type_name: type.teaching_type_name };
    }),
  );
  return chooseTeachingType(candidates.filter((c) => c !== undefined), subject, chapterId);
}

/**
 * Completes an event's facts from the dimension tables. Without `lookups` (no dimension service) the
 * payload's facts come back with the derived columns NULL. Never rejects.
 */
export async function enrich(
  known: KnownFacts,
  lookups: DimensionLookups | undefined,
  subjects: SubjectTable,
  observe: LookupObserver = ignore,
): Promise<EnrichedFacts> {
  const none = { patternName: null, teachTypeId: null, teachTypeName: null };
  const { wrongId, ...own } = known;
  if (lookups === undefined) return { ...own, ...none };
  const incomplete = own.subject === null || own.questionId === null || own.patternId === null || own.chapterId === null || own.createTime === null;
  const record: WrongQuestionRecord | undefined = incomplete
    ? await look('wrong_question_record', observe, () => lookups.getWrongQuestionRecord(wrongId))
    : undefined;
  const recordSubject = present(record?.subject);
  const facts = {
    subject: own.subject ?? (recordSubject === null ? null : (subjects.canonical(recordSubject) ?? recordSubject)),
    questionId: own.questionId ?? present(record?.question_id),
    patternId: own.patternId ?? present(record?.pattern_id),
    chapterId: own.chapterId ?? present(record?.chapter_id),
    createTime: own.createTime ?? time(record?.create_time),
  };
  const { patternId } = facts;
  if (patternId === null) return { ...facts, ...none };
  const [pattern, teachingType] = await Promise.all([
    look('tower_pattern', observe, () => lookups.getPattern(patternId)),
    teachingTypeOf(lookups, patternId, facts.subject, facts.chapterId, observe),
  ]);
  return {
    ...facts,
    patternName: present(pattern?.name),
    teachTypeId: teachingType?.teaching_type_id ?? null,
    teachTypeName: present(teachingType?.teaching_type_name),
  };
}
