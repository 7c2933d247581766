// The generator behind `generate.js`: exact counts, the same messages for the same seed, realistic
// trouble (out of order, duplicates, bad messages), and the JSONL file the embedded mode reads.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRecord } from '@evroute/core';
import { generateStream, writeStreamToFile } from '../src/event-stream.js';

const timeOf = (value: string): number => {
  const decoded = decodeRecord({ value, key: null, headers: {}, topic: 't', partition: 0, offset: '0' });
  return decoded.ok ? decoded.event.timestamp : Number.NaN;
};

describe('generateStream', () => {
  it('makes exactly --count messages, the same ones for the same seed', () => {
    const a = generateStream({ count: 3000, seed: 3 });
    expect(a).toHaveLength(3000);
    expect(generateStream({ count: 3000, seed: 3 })).toEqual(a);
    expect(generateStream({ count: 3000, seed: 4 })).not.toEqual(a);
  });

  it('mixes in duplicates, bad messages of every kind, and arrival out of event-time order', () => {
    const messages = generateStream({ count: 5000 });
    expect(messages.filter((m) => m.duplicate).length / 5000).toBeGreaterThan(0.03);
    expect(new Set(messages.flatMap((m) => (m.bad === null ? [] : [m.bad])))).toEqual(new Set(['not-json', 'missing-field', 'bad-fix-result', 'future-time']));
    const times = messages.filter((m) => m.bad === null).map((m) => timeOf(m.value));
    const late = times.filter((t, i) => i > 0 && t < (times[i - 1] as number)).length;
    expect(late / times.length).toBeGreaterThan(0.1);
    expect(new Set(messages.map((m) => m.type))).toEqual(new Set(['wrongbook_add', 'wrongbook_fix', 'wrongbook_delete']));
  });

  it('goes past one pass of the sample data with the next seeds', () => {
    const messages = generateStream({ count: 30_000, duplicateRate: 0, badRate: 0 });
    expect(messages).toHaveLength(30_000);
    expect(new Set(messages.map((m) => m.eventId)).size).toBe(30_000);
  });

  it('writes one message value per line', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wrongbook-gen-')), 'events.jsonl');
    const messages = generateStream({ count: 1200 });
    await writeStreamToFile(messages, path);
    expect(readFileSync(path, 'utf8').split('\n').slice(0, -1)).toEqual(messages.map((m) => m.value));
  });
});
