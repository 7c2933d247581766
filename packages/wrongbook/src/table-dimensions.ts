/**
 * {@link DimensionLookups} over generic keyed table lookups, such as `@evroute/mysql`'s cached
 * `DimensionLookup` (one row by key) and `DimensionListLookup` (rows by a non-unique column), without
 * depending on them: any object with a matching `get` fits. Rows come back as the driver read them
 * (BIGINT and DECIMAL possibly as strings, ids possibly as numbers) and are mapped onto the typed records
 * here; soft-deleted links and teaching types (`is_delete` truthy) are dropped even if the lookup was
 * not configured with `where: { is_delete: 0 }`.
 */
import type { Awaitable, DimensionLookups, Pattern, TeachingType, TeachingTypeLink, WrongQuestionRecord } from './dimensions.js';

/** A database row as a lookup returns it. */
export type TableRow = Readonly<Record<string, unknown>>;

/** A lookup of at most one row by key (e.g. `tower_pattern` by `id`). */
export interface KeyedTableLookup {
  get(key: string): Awaitable<TableRow | undefined>;
}

/** A lookup of all rows with a key (e.g. `tower_teaching_type_pt` by `pt_id`). */
export interface ListTableLookup {
  get(key: string): Awaitable<readonly TableRow[] | undefined>;
}

/** The four lookups, one per dimension table of spec §3. */
export interface DimensionTableLookups {
  /** `wrong_question_record` by `id`. */
  readonly wrongQuestionRecord: KeyedTableLookup;
  /** `tower_pattern` by `id`. */
  readonly pattern: KeyedTableLookup;
  /** `tower_teaching_type_pt` by `pt_id` (ideally with `where: { is_delete: 0 }`). */
  readonly teachingTypeLinks: ListTableLookup;
  /** `tower_teaching_type` by `id` (ideally with `where: { is_delete: 0 }`). */
  readonly teachingType: KeyedTableLookup;
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}

function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function deleted(row: TableRow): boolean {
  const flag = row['is_delete'];
  return flag === true || (num(flag) ?? 0) !== 0;
}

async function safely<T>(read: () => Awaitable<T | undefined>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined; // the contract: a failed lookup is "nothing"; the lookup itself counts its errors
  }
}

/** Adapts keyed table lookups to the {@link DimensionLookups} the wrongbook plugins use. */
export function dimensionsFromTables(tables: DimensionTableLookups): DimensionLookups {
  return {
    async getWrongQuestionRecord(wrongId): Promise<WrongQuestionRecord | undefined> {
      const row = await safely(() => tables.wrongQuestionRecord.get(wrongId));
      if (row === undefined) return undefined;
      return {
        id: text(row['id']) ?? wrongId, user_id: text(row['user_id']), question_id: text(row['question_id']), pattern_id: text(row['pattern_id']),
        subject: text(row['subject']), chapter_id: text(row['chapter_id']), chapter_name: text(row['chapter_name']),
        create_time: num(row['create_time']), is_delete: num(row['is_delete']),
      };
    },
    async getPattern(patternId): Promise<Pattern | undefined> {
      const row = await safely(() => tables.pattern.get(patternId));
      if (row === undefined) return undefined;
      return { id: text(row['id']) ?? patternId, name: text(row['name']), type: num(row['type']), subject: text(row['subject']), difficulty: num(row['difficulty']) };
    },
    async getTeachingTypesForPattern(patternId): Promise<readonly TeachingTypeLink[] | undefined> {
      const rows = await safely(() => tables.teachingTypeLinks.get(patternId));
      const links: TeachingTypeLink[] = [];
      for (const row of rows ?? []) {
        const id = text(row['teaching_type_id']);
        if (id !== null && !deleted(row)) links.push({ teaching_type_id: id, order_num: num(row['order_num']) ?? 0 });
      }
      return links;
    },
    async getTeachingType(id): Promise<TeachingType | undefined> {
      const row = await safely(() => tables.teachingType.get(id));
      if (row === undefined || deleted(row)) return undefined;
      return { id: text(row['id']) ?? id, chapter_id: text(row['chapter_id']), teaching_type_name: text(row['teaching_type_name']) };
    },
  };
}
