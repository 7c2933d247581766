import type { DeadLetterRecord } from '@evroute/core';
import { SqliteDeadLetterSink } from '@evroute/sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDatabase } from './fixtures/temp-db.js';

const t = tempDatabase();
afterAll(() => t.remove());
const signal = new AbortController().signal;
const record = (attempts: number, timestamp: number): DeadLetterRecord => ({
  value: new Uint8Array([0, 255]), key: null, headers: {}, code: 'EVR_ERR_PROCESSOR_FAILED', message: 'boom', topic: 't', partition: 0, offset: '5', timestamp, attempts,
});

describe('SqliteDeadLetterSink', () => {
  it('stays idempotent for a replay of the same failure', async () => {
    const sink = new SqliteDeadLetterSink({ database: t.db, createTable: true });
    await sink.start(signal);
    await sink.write([record(1, 1_000)], signal);
    await sink.write([record(3, 2_000)], signal);
    expect(t.db.prepare('SELECT attempts, dead_lettered_at, last_dead_lettered_at, value_kind FROM evroute_dead_letter').all().map((r) => ({ ...r }))).toEqual([
      { attempts: 3, dead_lettered_at: '1970-01-01T00:00:01.000Z', last_dead_lettered_at: '1970-01-01T00:00:02.000Z', value_kind: 'bytes' },
    ]);
    await sink.close(signal);
  });
});
