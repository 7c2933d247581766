// PacedSource hands batches on no faster than its rate, and passes acks and done() through.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlFileSource, type SourceRecord } from '@evroute/core';
import { PacedSource } from '../src/index.js';

describe('PacedSource', () => {
  it('delivers 2,000 lines at 10,000/s in no less than 0.15 s, and finishes when all are acknowledged', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wrongbook-paced-')), 'lines.jsonl');
    writeFileSync(path, Array.from({ length: 2000 }, (_, i) => `{"n":${i}}\n`).join(''));
    const source = new PacedSource(new JsonlFileSource({ path, batchSize: 100 }), 10_000);
    const received: SourceRecord[] = [];
    const started = performance.now();
    await source.start({ deliver: (records) => (received.push(...records), source.ack(records), Promise.resolve()) }, new AbortController().signal);
    await source.done();
    expect(received).toHaveLength(2000);
    // The first batch goes at once; the last of 20 batches is due after 19 × 100 / 10 000 s.
    expect(performance.now() - started).toBeGreaterThanOrEqual(180);
    await source.close(new AbortController().signal);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new PacedSource(new JsonlFileSource({ path: 'x' }), 0)).toThrow(RangeError);
  });
});
