/**
 * Reading a wide table back for comparison with the reference model (`comparableTable` of
 * `@evroute/wrongbook`): SQLite's ISO-8601 text times become Dates and its 64-bit `id` a decimal
 * string; MySQL is read with `id` as text and DATETIME(3) as Dates in UTC (the sink's time zone).
 */
import { DatabaseSync } from 'node:sqlite';
import type { Pool } from 'mysql2/promise';
import { decodeMessages, MemoryDimensions, referenceTable, comparableTable, WIDE_TABLE, type GeneratedMessage } from '@evroute/wrongbook';
import { sampleDimensionData } from '../../src/index.js';

const TIMES = ['collect_time', 'fix_time', 'delete_time', 'process_time'];
const INTEGERS = ['fix_result', 'is_deleted'];

/** The rows of the SQLite wide table, as the model's types. */
export function readSqliteWideTable(path: string): Record<string, unknown>[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const statement = db.prepare(`SELECT * FROM ${WIDE_TABLE}`);
    statement.setReadBigInts(true);
    return statement.all().map((row) => {
      const out: Record<string, unknown> = { ...row, id: String(row['id']) };
      for (const column of TIMES) out[column] = typeof row[column] === 'string' ? new Date(row[column]) : null;
      for (const column of INTEGERS) out[column] = row[column] === null ? null : Number(row[column]);
      return out;
    });
  } finally {
    db.close();
  }
}

/** The rows of the MySQL wide table, as the model's types (`pool` made with `timezone: 'Z'`). */
export async function readMysqlWideTable(pool: Pool): Promise<Record<string, unknown>[]> {
  const [rows] = await pool.query(`SELECT *, CAST(id AS CHAR) AS id FROM ${WIDE_TABLE}`);
  return rows as Record<string, unknown>[];
}

/** What the reference model makes of `messages` with the shipped sample dimensions, ready to compare. */
export async function expectedTable(messages: readonly GeneratedMessage[]): Promise<ReturnType<typeof comparableTable>> {
  const model = await referenceTable(decodeMessages(messages), { dimensions: new MemoryDimensions(sampleDimensionData()), now: Date.now() });
  return comparableTable(model.values());
}

/** The dead-letter code each bad message must get. */
export function expectedCode(message: GeneratedMessage): string {
  return message.bad === 'not-json' ? 'EVR_ERR_DECODE_NOT_JSON' : 'EVR_ERR_PROCESSOR_REJECTED';
}
