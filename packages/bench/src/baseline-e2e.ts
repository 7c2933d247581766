/**
 * The hand-written baseline of the end-to-end benchmark: what a user would write without evroute.
 * kafkajs `eachBatch` → JSON.parse and an envelope check → the same pure row builders the wrongbook
 * plugins call (`interpretAdd` / `interpretFix` of `@evroute/wrongbook`, so the processing cost per
 * event is the same) → mysql2 multi-row `INSERT … ON DUPLICATE KEY UPDATE` with the SQL text
 * `MySqlSink` renders (`compileUpsert`), in statements of the same batch size → commit the batch's
 * offsets after the write. One batch at a time: read, process, write, commit, next (no pipelining).
 */
import type { EventEnvelope } from '@evroute/core';
import { compileUpsert, type UpsertStatement } from '@evroute/mysql';
import { compileCodeTables, interpretAdd, interpretFix, WIDE_TABLE, WIDE_TABLE_SPECS } from '@evroute/wrongbook';
import { Kafka, logLevel } from 'kafkajs';
import { createPool, type Pool } from 'mysql2/promise';
import type { InstanceOptions, RunProbe } from './run-probe.js';

/** `INSERT … VALUES ? ON DUPLICATE KEY UPDATE …` for mysql2's nested-array expansion, and the column order. */
interface Statement {
  readonly sql: string;
  readonly columns: readonly string[];
  readonly zeroWhenAbsent: ReadonlySet<string>;
}

function statementOf(compiled: UpsertStatement): Statement {
  return { sql: `${compiled.head}?${compiled.tail}`, columns: compiled.plan.columns, zeroWhenAbsent: compiled.zeroWhenAbsent };
}

function valuesOf(statement: Statement, row: Readonly<Record<string, unknown>>): unknown[] {
  return statement.columns.map((column) => row[column] ?? (statement.zeroWhenAbsent.has(column) ? 0 : null));
}

/** The envelope, or undefined for a message that is not one. */
function decode(value: Buffer | null): EventEnvelope | undefined {
  if (value === null) return undefined;
  try {
    const e = JSON.parse(value.toString('utf8')) as Record<string, unknown>;
    const { domain, type, eventId } = e;
    if (typeof domain !== 'string' || typeof type !== 'string' || typeof eventId !== 'string') return undefined;
    const timestamp = typeof e['timestamp'] === 'number' ? e['timestamp'] : typeof e['event_time'] === 'string' ? Date.parse(e['event_time']) : Number.NaN;
    const payload: unknown = typeof e['payload'] === 'string' ? JSON.parse(e['payload']) : e['payload'];
    if (!Number.isFinite(timestamp) || typeof payload !== 'object' || payload === null) return undefined;
    return { domain, type, eventId, timestamp, payload: payload as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

async function insert(pool: Pool, statement: Statement, rows: readonly unknown[][], batchSize: number, probe: RunProbe): Promise<void> {
  for (let i = 0; i < rows.length; i += batchSize) await probe.timeWrite(() => pool.query(statement.sql, [rows.slice(i, i + batchSize)]));
}

/** Starts the hand-written pipeline; resolves to its stop function once it consumes. */
export async function startBaseline(options: InstanceOptions, probe: RunProbe): Promise<() => Promise<void>> {
  const add = statementOf(compileUpsert(WIDE_TABLE, WIDE_TABLE_SPECS.add));
  const fix = statementOf(compileUpsert(WIDE_TABLE, WIDE_TABLE_SPECS.fix));
  const tables = compileCodeTables({});
  // The same pool settings MySqlSink uses by default.
  const pool = createPool({ uri: options.mysqlUrl, connectionLimit: 4, timezone: 'Z', supportBigNumbers: true, enableKeepAlive: true });
  const kafka = new Kafka({ clientId: `baseline-bench-${process.pid}`, brokers: [...options.brokers], logLevel: logLevel.NOTHING });
  // The same fetch settings KafkaSource uses (its maxWaitTimeMs default is 500).
  const consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 500 });
  await consumer.connect();
  await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async (payload) => {
      const { batch } = payload;
      await probe.held();
      const adds: unknown[][] = [];
      const fixes: unknown[][] = [];
      let rejected = 0;
      for (const message of batch.messages) {
        const event = decode(message.value);
        if (event?.type === 'wrongbook_add') {
          const result = await interpretAdd(event, { tables, dimensions: undefined, now: Date.now() });
          if (result.ok) adds.push(valuesOf(add, result.row));
          else rejected++;
        } else if (event?.type === 'wrongbook_fix') {
          const result = await interpretFix(event, { tables, dimensions: undefined, now: Date.now() });
          if (result.ok && result.row !== null) fixes.push(valuesOf(fix, result.row));
          else if (!result.ok) rejected++;
        } else {
          rejected++;
        }
      }
      await insert(pool, add, adds, options.batchSize, probe);
      await insert(pool, fix, fixes, options.batchSize, probe);
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() }]);
      probe.wrote(batch.messages.length, rejected);
      await payload.heartbeat();
    },
  });
  return async () => {
    await consumer.disconnect();
    await pool.end();
  };
}
