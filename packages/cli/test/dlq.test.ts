import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '@evroute/cli';

const fixtures = join(import.meta.dirname, 'fixtures');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) } };
}

describe('evroute dlq', () => {
  it('lists dead letters and replays them through a fixed plugin version, each once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evroute-dlq-'));
    const names = ['ada', 'Bob', 'cy', 'Dee', 'eve', 'Fay'];
    writeFileSync(join(dir, 'in.jsonl'), names.map((name, i) => JSON.stringify({ domain: 'hi', type: 'greet', eventId: `g${i}`, timestamp: 1, payload: { name } })).join('\n') + '\n');
    writeFileSync(join(dir, 'routes.json'), JSON.stringify([{ id: 1, domain: 'hi', event_type: 'greet', processor_class: 'greeter', enabled: 1, priority: 0 }]));
    const config = {
      source: { type: 'jsonl', options: { path: 'in.jsonl' } },
      config: { type: 'json-file', options: { path: 'routes.json', watch: false } },
      sinks: { out: { type: 'jsonl', options: { path: 'out.jsonl' } } },
      outputs: { greetings: { sink: 'out' } },
      deadLetter: { type: 'jsonl', options: { path: 'dead.jsonl' } },
      plugins: { modules: [join(fixtures, 'greeter-v1.mjs'), join(fixtures, 'greeter-v2.mjs')] },
      logLevel: 'silent',
    };
    // First run: only v1 loaded, so the capitalised names are rejected.
    writeFileSync(join(dir, 'run-v1.json'), JSON.stringify({ ...config, plugins: { modules: [join(fixtures, 'greeter-v1.mjs')] } }));
    expect(await main(['run', '--config', join(dir, 'run-v1.json')], capture().io)).toBe(0);

    const list = capture();
    expect(await main(['dlq', 'list', '--config', join(dir, 'run-v1.json'), '--json'], list.io)).toBe(0);
    const listed = JSON.parse(list.out.join('')) as { code: string; value: string; plugin: string; pluginVersion: string }[];
    expect(listed.map((d) => [d.code, JSON.parse(d.value).payload.name, d.plugin, d.pluginVersion])).toEqual([
      ['EVR_ERR_PROCESSOR_REJECTED', 'Bob', 'greeter', '1.0.0'],
      ['EVR_ERR_PROCESSOR_REJECTED', 'Dee', 'greeter', '1.0.0'],
      ['EVR_ERR_PROCESSOR_REJECTED', 'Fay', 'greeter', '1.0.0'],
    ]);

    const dry = capture();
    expect(await main(['dlq', 'replay', '--config', join(dir, 'run-v1.json'), '--dry-run'], dry.io)).toBe(0);
    expect(dry.out.join('')).toContain('would replay 3 dead letters');

    // Replay with both versions loaded, pinned to the fixed one.
    writeFileSync(join(dir, 'run.json'), JSON.stringify(config));
    const replay = capture();
    expect(await main(['dlq', 'replay', '--config', join(dir, 'run.json'), '--pin', 'greeter@2.0.0'], replay.io)).toBe(0);
    expect(replay.out.join('')).toContain('replayed 3 dead letters: 3 processed, 0 dead-lettered again');

    const out = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { value: { id: string; text: string; by: string } }).value);
    expect(out.map((o) => `${o.id}:${o.by}`).sort()).toEqual(['g0:1.0.0', 'g1:2.0.0', 'g2:1.0.0', 'g3:2.0.0', 'g4:1.0.0', 'g5:2.0.0']);
  });
});
