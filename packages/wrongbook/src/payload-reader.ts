/**
 * Reads the fields of a wrongbook payload in either spelling (spec §2: snake_case, and the camelCase
 * that producers in the wild send) and checks each against its kind, collecting every problem instead
 * of stopping at the first, so a dead letter names all of them.
 *
 * Representation rules (one set for every payload):
 * - A field may be spelled `snake_case` or `camelCase` (`wrong_id` / `wrongId`); an alias such as
 *   `submit_time` for `fix_time` likewise. When two spellings are both present with different values
 *   the payload is ambiguous and rejected.
 * - `null` and absent are the same. For ids and codes an empty (or blank) string is absent too; a
 *   required id that is absent or blank is a problem.
 * - Ids are strings, or non-negative integers up to 2^53 − 1 that are written as their decimal string
 *   (`12345` ≡ `"12345"`); larger JSON numbers have already lost digits in transit and are refused.
 *   Ids are otherwise kept exactly as sent (no trimming) and may not exceed their column size.
 * - Integers (times, codes, counts) are JSON integers or strings of decimal digits.
 * - Times are epoch milliseconds: non-negative integers, at most `maxFutureMs` after `now`.
 */
import type { SubjectTable } from './code-tables.js';

/** Five minutes: how far in the future a payload time may be (spec §2), for clock skew. */
export const MAX_FUTURE_MS = 5 * 60 * 1000;

/** Largest id length the wide table stores (`VARCHAR(64)`). */
export const MAX_ID_LENGTH = 64;

const DIGITS = /^-?\d+$/;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** `wrong_id` → `wrongId`. */
export function camelCase(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Options of a field read. */
export interface FieldOptions {
  /** A missing value is a problem. */
  readonly required?: boolean;
  /** Other snake_case names of the same field (each also accepted in camelCase). */
  readonly aliases?: readonly string[];
}

/**
 * One payload being read. Each reader returns the typed value, or `null` when the field is absent or
 * invalid; invalid values add a line to {@link problems}. Create one per event.
 */
export class PayloadReader {
  /** What is wrong with the payload so far, one line per field, e.g. `fix_result: must be 0 or 1, got 2`. */
  readonly problems: string[] = [];
  readonly #payload: Readonly<Record<string, unknown>>;
  readonly #now: number;
  readonly #maxFutureMs: number;

  constructor(payload: Readonly<Record<string, unknown>>, now: number, maxFutureMs: number = MAX_FUTURE_MS) {
    this.#payload = payload;
    this.#now = now;
    this.#maxFutureMs = maxFutureMs;
  }

  /** The raw value of a field in any accepted spelling; `undefined` when absent or ambiguous. */
  raw(name: string, options: FieldOptions = {}): unknown {
    let found: { key: string; value: unknown } | undefined;
    for (const snake of [name, ...(options.aliases ?? [])]) {
      for (const key of new Set([snake, camelCase(snake)])) {
        const value = this.#payload[key];
        if (value === undefined || value === null) continue;
        if (found === undefined) found = { key, value };
        else if (!sameValue(found.value, value)) {
          this.problems.push(`${name}: '${found.key}' and '${key}' are both present with different values (${show(found.value)}, ${show(value)})`);
          return undefined;
        }
      }
    }
    if (found === undefined && options.required === true) this.problems.push(`${name}: required`);
    return found?.value;
  }

  /** An id: a non-blank string or a safe non-negative integer, at most `maxLength` characters. */
  id(name: string, options: FieldOptions & { readonly maxLength?: number } = {}): string | null {
    const value = this.raw(name, options);
    if (value === undefined) return null;
    let id: string;
    if (typeof value === 'string') id = value;
    else if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) id = String(value);
    else return this.#bad(name, 'must be a string id (or an integer below 2^53)', value);
    if (id.trim() === '') {
      if (options.required === true) this.problems.push(`${name}: required, must not be empty`);
      return null;
    }
    const max = options.maxLength ?? MAX_ID_LENGTH;
    // Characters as MySQL counts them (code points); UTF-16 length is an upper bound, so check it first.
    if (id.length > max && Array.from(id).length > max) return this.#bad(name, `must be at most ${max} characters`, value);
    return id;
  }

  /** Free text. With `truncateTo`, longer text is cut to that many characters (code points). */
  text(name: string, options: FieldOptions & { readonly truncateTo?: number } = {}): string | null {
    const value = this.raw(name, options);
    if (value === undefined) return null;
    if (typeof value !== 'string') return this.#bad(name, 'must be a string', value);
    if (options.truncateTo === undefined) return value;
    // Code points, as MySQL counts the characters of a utf8mb4 VARCHAR.
    const chars = Array.from(value);
    return chars.length > options.truncateTo ? chars.slice(0, options.truncateTo).join('') : value;
  }

  /** An integer (JSON integer or digit string) within `[min, max]`. */
  integer(name: string, options: FieldOptions & { readonly min?: number; readonly max?: number } = {}): number | null {
    const value = this.raw(name, options);
    if (value === undefined) return null;
    const n = toInteger(value);
    if (n === undefined) return this.#bad(name, 'must be an integer', value);
    if (options.min !== undefined && n < options.min) return this.#bad(name, `must be at least ${options.min}`, value);
    if (options.max !== undefined && n > options.max) return this.#bad(name, `must be at most ${options.max}`, value);
    return n;
  }

  /** A 0/1 code such as `fix_result`: `0`, `1`, `"0"` or `"1"`. */
  zeroOne(name: string, options: FieldOptions = {}): 0 | 1 | null {
    const value = this.raw(name, options);
    if (value === undefined) return null;
    const n = toInteger(value);
    if (n === 0 || n === 1) return n;
    return this.#bad(name, 'must be 0 or 1', value);
  }

  /** A boolean: `true`/`false`, or `0`/`1` as number or string. */
  boolean(name: string, options: FieldOptions = {}): boolean | null {
    const value = this.raw(name, options);
    if (value === undefined) return null;
    if (typeof value === 'boolean') return value;
    const n = toInteger(value);
    if (n === 0 || n === 1) return n === 1;
    return this.#bad(name, 'must be true or false', value);
  }

  /** A finite decimal number (JSON number or numeric string), e.g. `difficulty`. */
  decimal(name: string, options: FieldOptions = {}): number | null {
    const value = this.raw(name, options);
    if (value === undefined) return null;
    const n = typeof value === 'number' ? value : typeof value === 'string' && DECIMAL.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isFinite(n)) return this.#bad(name, 'must be a number', value);
    return n;
  }

  /** A time in epoch ms: a non-negative integer, not more than `maxFutureMs` after `now`. */
  time(name: string, options: FieldOptions = {}): number | null {
    const value = this.raw(name, options);
    if (value === undefined) return null;
    const n = toInteger(value);
    if (n === undefined || n < 0) return this.#bad(name, 'must be a non-negative integer (epoch ms)', value);
    if (n > this.#now + this.#maxFutureMs) {
      return this.#bad(name, `is ${Math.round((n - this.#now) / 1000)} s in the future (at most ${this.#maxFutureMs / 1000} s allowed)`, value);
    }
    return n;
  }

  /** A subject: a known code or alias in any letter case (spec §5), returned as the canonical code. */
  subject(name: string, subjects: SubjectTable, options: FieldOptions = {}): string | null {
    const value = this.raw(name, options);
    if (value === undefined || (typeof value === 'string' && value.trim() === '')) return null;
    if (typeof value !== 'string') return this.#bad(name, 'must be a subject code string', value);
    const code = subjects.canonical(value);
    if (code === undefined) return this.#bad(name, `is not a known subject (known: ${subjects.codes.join(', ')})`, value);
    return code;
  }

  #bad(name: string, why: string, value: unknown): null {
    this.problems.push(`${name}: ${why}, got ${show(value)}`);
    return null;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const scalar = (v: unknown): boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  return scalar(a) && scalar(b) && String(a) === String(b);
}

function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && DIGITS.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/** What a payload normaliser returns: the typed payload, or every problem found with it. */
export type Normalized<T> = { readonly ok: true; readonly payload: T } | { readonly ok: false; readonly problems: readonly string[] };

/** What the payload normalisers need besides the payload. */
export interface NormalizeOptions {
  /** The subject table of the route config (validation accepts its codes and aliases). */
  readonly subjects: SubjectTable;
  /** The current time, epoch ms: times later than `now + maxFutureMs` are refused. */
  readonly now: number;
  /** Default {@link MAX_FUTURE_MS}. */
  readonly maxFutureMs?: number;
}

/** The normaliser result of a finished read: the payload when the reader found no problem. */
export function finishRead<T>(reader: PayloadReader, payload: T): Normalized<T> {
  return reader.problems.length === 0 ? { ok: true, payload } : { ok: false, problems: reader.problems };
}
