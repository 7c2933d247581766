/**
 * The teaching-type choice of spec §3. A pattern links to many teaching types, the wide table holds
 * one: for CHINESE and ENGLISH the one whose `chapter_id` equals the event's chapter (none when the
 * chapter is unknown or nothing matches), for every other subject (and an unknown one) the one with the
 * lowest `order_num`. Ties, which the spec leaves open, go to the lowest teaching type id (numerically
 * when both ids are integers), so the choice never depends on lookup order.
 */

/** Subjects whose teaching type is chosen by chapter. */
export const CHAPTER_MATCHED_SUBJECTS: ReadonlySet<string> = new Set(['CHINESE', 'ENGLISH']);

/** A linked teaching type that exists: the link's order and the type's row. */
export interface TeachingTypeCandidate {
  readonly teaching_type_id: string;
  readonly order_num: number;
  readonly chapter_id: string | null;
  readonly teaching_type_name: string | null;
}

const INTEGER = /^-?\d+$/;

function compareIds(a: string, b: string): number {
  if (INTEGER.test(a) && INTEGER.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Chooses the teaching type of a wrong question among the candidates of its pattern.
 * @param subject the canonical subject code, or null when unknown
 * @param chapterId the event's chapter (payload, else `wrong_question_record`), or null
 * @returns the chosen candidate, or undefined when none qualifies
 */
export function chooseTeachingType(
  candidates: readonly TeachingTypeCandidate[],
  subject: string | null,
  chapterId: string | null,
): TeachingTypeCandidate | undefined {
  const byChapter = subject !== null && CHAPTER_MATCHED_SUBJECTS.has(subject);
  if (byChapter && chapterId === null) return undefined;
  let best: TeachingTypeCandidate | undefined;
  for (const candidate of candidates) {
    if (byChapter && candidate.chapter_id !== chapterId) continue;
    if (
      best === undefined ||
      candidate.order_num < best.order_num ||
      (candidate.order_num === best.order_num && compareIds(candidate.teaching_type_id, best.teaching_type_id) < 0)
    ) {
      best = candidate;
    }
  }
  return best;
}
