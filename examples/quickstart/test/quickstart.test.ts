// Runs the getting-started example exactly as the guide shows it.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '@evroute/example-quickstart';

describe('quickstart example', () => {
  it('writes a ledger row per good event and dead-letters the bad ones with reasons', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evroute-quickstart-'));
    const files = { events: join(import.meta.dirname, '..', 'events.jsonl'), ledger: join(dir, 'ledger.jsonl'), deadLetters: join(dir, 'dead.jsonl') };
    const router = buildApp(files);
    await router.start();
    await router.finished();
    await router.stop();
    const rows = readFileSync(files.ledger, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { value: unknown }).value);
    expect(rows).toEqual([
      { order: 'o-1', amount: 25, currency: 'EUR', at: 1718000000000 },
      { order: 'o-1', amount: -25, currency: 'EUR', at: Date.parse('2024-06-10T06:13:22Z') },
    ]);
    const dead = readFileSync(files.deadLetters, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { code: string; message: string });
    expect(dead.map((d) => d.code).sort()).toEqual(['EVR_ERR_DECODE_NOT_JSON', 'EVR_ERR_PROCESSOR_REJECTED']);
    expect(dead.find((d) => d.code === 'EVR_ERR_PROCESSOR_REJECTED')?.message).toBe('payload.amount must be a number');
  });
});
