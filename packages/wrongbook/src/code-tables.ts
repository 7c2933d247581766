/**
 * The code tables of `shared/spec/wrongbook.md` §5: subject codes (matched in any letter case, with
 * pinyin aliases) → display names, and `fix_result` → description. The defaults below are the spec's;
 * a route's `config_json` may replace each table (`subject_names`, `subject_aliases`,
 * `fix_result_names`), and {@link compileCodeTables} turns a config into lookups once per config, never
 * per event.
 */

/** Subject code → Chinese name, spec §5. Codes are upper case; matching ignores case. */
export const DEFAULT_SUBJECT_NAMES: Readonly<Record<string, string>> = Object.freeze({
  MATH: '数学',
  CHINESE: '语文',
  ENGLISH: '英语',
  PHYSICS: '物理',
  CHEMISTRY: '化学',
  BIOLOGY: '生物',
  AOSHU: '数学思维',
  SCIENCE: '科学',
});

/** Pinyin alias → subject code, spec §5 (the original Gen B producers sent `shuxue`, `yuwen` …). */
export const DEFAULT_SUBJECT_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  shuxue: 'MATH',
  yuwen: 'CHINESE',
  yingyu: 'ENGLISH',
  wuli: 'PHYSICS',
  huaxue: 'CHEMISTRY',
  shengwu: 'BIOLOGY',
});

/** `fix_result` → description, spec §5: 0 未订正 (not corrected), 1 订正 (corrected). */
export const DEFAULT_FIX_RESULT_NAMES: Readonly<Record<string, string>> = Object.freeze({
  '0': '未订正',
  '1': '订正',
});

/** The code-table part of a wrongbook route config (`config_json`); each key replaces its whole table. */
export interface CodeTableConfig {
  /** Subject code → name. Codes match in any letter case; the canonical form is upper case. */
  readonly subject_names?: Readonly<Record<string, string>>;
  /** Alias (e.g. pinyin) → subject code. Aliases match in any letter case. */
  readonly subject_aliases?: Readonly<Record<string, string>>;
  /** `"0"` / `"1"` → description of that `fix_result`. */
  readonly fix_result_names?: Readonly<Record<string, string>>;
}

/** Subject lookups compiled from a config. */
export interface SubjectTable {
  /**
   * The canonical (upper-case) code of a subject as a producer spelled it (`math`, `Math`, `shuxue`,
   * `MATH` → `MATH`), or `undefined` when it is neither a known code nor a known alias.
   */
  canonical(raw: string): string | undefined;
  /** The display name of a code (any case); an unknown code's name is the code itself (spec §5). */
  nameOf(code: string): string;
  /** The known canonical codes, in table order. */
  readonly codes: readonly string[];
}

/** Every code table of one route config. */
export interface CodeTables {
  readonly subjects: SubjectTable;
  /** The description of a `fix_result`; a code missing from the table is described by its digits. */
  fixResultName(result: 0 | 1): string;
}

function compileSubjects(names: Readonly<Record<string, string>>, aliases: Readonly<Record<string, string>>): SubjectTable {
  const byLower = new Map<string, string>();
  const nameByCode = new Map<string, string>();
  for (const [code, name] of Object.entries(names)) {
    const canonical = code.toUpperCase();
    byLower.set(code.toLowerCase(), canonical);
    nameByCode.set(canonical, name);
  }
  for (const [alias, code] of Object.entries(aliases)) {
    // An explicit code wins over an alias spelled the same.
    if (!byLower.has(alias.toLowerCase())) byLower.set(alias.toLowerCase(), code.toUpperCase());
  }
  return {
    canonical: (raw) => byLower.get(raw.trim().toLowerCase()),
    nameOf: (code) => nameByCode.get(code.toUpperCase()) ?? code,
    codes: [...nameByCode.keys()],
  };
}

/** Compiles the code tables of a route config; absent keys take the spec §5 defaults. */
export function compileCodeTables(config: CodeTableConfig = {}): CodeTables {
  const subjects = compileSubjects(config.subject_names ?? DEFAULT_SUBJECT_NAMES, config.subject_aliases ?? DEFAULT_SUBJECT_ALIASES);
  const fixNames = config.fix_result_names ?? DEFAULT_FIX_RESULT_NAMES;
  const zero = fixNames['0'] ?? '0';
  const one = fixNames['1'] ?? '1';
  return { subjects, fixResultName: (result) => (result === 1 ? one : zero) };
}
