/**
 * What the embedded run produced, read back from its SQLite file: the wide table's rows by subject (with
 * the subject names the plugins wrote, the corrected share and the deleted rows) and the dead letters by
 * code, formatted for the terminal.
 */
import { DatabaseSync } from 'node:sqlite';
import { WIDE_TABLE } from '@evroute/wrongbook';

/** One subject's rows of the wide table. */
export interface SubjectSummary {
  readonly subject: string;
  readonly subjectName: string;
  readonly rows: number;
  /** Rows not deleted. */
  readonly live: number;
  /** Live rows whose newest fix says 订正 (corrected, `fix_result = 1`). */
  readonly corrected: number;
  /** Live rows with a fix of any outcome. */
  readonly withFix: number;
  readonly deleted: number;
}

/** The wide table and the dead letters of one run. */
export interface TableSummary {
  readonly subjects: readonly SubjectSummary[];
  readonly total: SubjectSummary;
  readonly deadLetters: ReadonlyArray<{ readonly code: string; readonly count: number }>;
}

/** Reads the summary from the SQLite file of an embedded run (opened read-only, closed again). */
export function summarizeSqlite(path: string): TableSummary {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db
      .prepare(
        `SELECT COALESCE(subject, '(none)') AS subject, COALESCE(MAX(subject_name), subject, '-') AS subjectName, COUNT(*) AS rows,
                SUM(is_deleted = 0) AS live, SUM(is_deleted = 0 AND fix_result = 1) AS corrected,
                SUM(is_deleted = 0 AND fix_result IS NOT NULL) AS withFix, SUM(is_deleted = 1) AS deleted
           FROM ${WIDE_TABLE} GROUP BY subject ORDER BY COUNT(*) DESC, subject`,
      )
      .all();
    const subjects: SubjectSummary[] = rows.map((r) => ({
      subject: String(r['subject']), subjectName: String(r['subjectName']), rows: Number(r['rows']), live: Number(r['live']),
      corrected: Number(r['corrected']), withFix: Number(r['withFix']), deleted: Number(r['deleted']),
    }));
    const sum = (key: 'rows' | 'live' | 'corrected' | 'withFix' | 'deleted'): number => subjects.reduce((n, s) => n + s[key], 0);
    const total = { subject: 'ALL', subjectName: '', rows: sum('rows'), live: sum('live'), corrected: sum('corrected'), withFix: sum('withFix'), deleted: sum('deleted') };
    const deadLetters = db
      .prepare('SELECT code, COUNT(*) AS count FROM evroute_dead_letter GROUP BY code ORDER BY COUNT(*) DESC, code')
      .all()
      .map((d) => ({ code: String(d['code']), count: Number(d['count']) }));
    return { subjects, total, deadLetters };
  } finally {
    db.close();
  }
}

/** Terminal columns of a string: CJK characters take two. */
function width(text: string): number {
  let n = 0;
  for (const ch of text) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return n;
}

const pad = (text: string, columns: number, right = false): string => {
  const fill = ' '.repeat(Math.max(0, columns - width(text)));
  return right ? fill + text : text + fill;
};

const percent = (part: number, whole: number): string => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)} %`);

/** The summary as aligned text lines: a table by subject, then the dead letters by code. */
export function formatSummary(summary: TableSummary): string[] {
  const head = ['subject', 'name', 'rows', 'corrected', 'fix rate', 'deleted'];
  const body = [...summary.subjects, summary.total].map((s) => [
    s.subject, s.subjectName, s.rows.toLocaleString('en-US'), s.corrected.toLocaleString('en-US'), percent(s.corrected, s.live), s.deleted.toLocaleString('en-US'),
  ]);
  const widths = head.map((h, i) => Math.max(width(h), ...body.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]): string => `  ${cells.map((c, i) => pad(c, widths[i] ?? 0, i >= 2)).join('  ')}`;
  const lines = [line(head), ...body.slice(0, -1).map(line), `  ${'-'.repeat(widths.reduce((a, b) => a + b + 2, -2))}`, line(body.at(-1) ?? [])];
  lines.push('  fix rate = corrected (the newest fix says 订正) / rows not deleted; (none): rows only a delete reached');
  return lines;
}
