import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { main, runConfigSchema } from '@evroute/cli';

function capture(): { out: string[]; err: string[]; io: { out: (t: string) => void; err: (t: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t) => void out.push(t), err: (t) => void err.push(t) } };
}

const fixtures = join(import.meta.dirname, 'fixtures');

function writeConfig(dir: string, config: unknown): string {
  const path = join(dir, 'run.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

describe('evroute CLI', () => {
  it('prints a JSON Schema that ajv accepts', async () => {
    const c = capture();
    expect(await main(['config-schema'], c.io)).toBe(0);
    const schema = JSON.parse(c.out.join('')) as object;
    expect(schema).toEqual(JSON.parse(JSON.stringify(runConfigSchema)));
    expect(() => new Ajv({ strict: false }).compile(schema)).not.toThrow();
  });

  it('validate points at every bad key and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evroute-cli-'));
    const path = writeConfig(dir, {
      source: { type: 'jsonl', options: { path: 'in.jsonl' } },
      config: { tpye: 'json-file' },
      sinks: { db: { type: 'jsonl' } },
      outputs: { shouted: { sink: 'missing' } },
      unmatched: 'ignore',
    });
    const c = capture();
    expect(await main(['validate', '--config', path, '--json'], c.io)).toBe(2);
    const report = JSON.parse(c.out.join('')) as { valid: boolean; problems: string[] };
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        "/config: unknown key 'tpye'",
        "/config: missing 'type'",
        expect.stringMatching(/^\/unmatched: must be one of/),
        "/outputs/shouted/sink: no sink named 'missing' in /sinks",
      ]),
    );
  });

  it('run processes a JSONL file through a plugin module into a sink, dead-letters bad lines, and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evroute-cli-'));
    const events = [
      { domain: 'demo', type: 'say', eventId: 'a', timestamp: 1, payload: { text: 'hello' } },
      'this line is not json',
      { domain: 'demo', type: 'say', eventId: 'b', event_time: '2024-01-01T00:00:00Z', payload: '{"text":"world"}' },
      { domain: 'demo', type: 'unknown', eventId: 'c', timestamp: 1, payload: {} },
    ];
    writeFileSync(join(dir, 'in.jsonl'), events.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n') + '\n');
    writeFileSync(join(dir, 'routes.json'), JSON.stringify([{ id: 1, domain: 'demo', event_type: 'say', processor_class: 'com.example.UpperProcessor', enabled: 1, priority: 0, config_json: '{"suffix":"?"}' }]));
    const path = writeConfig(dir, {
      source: { type: 'jsonl', options: { path: 'in.jsonl' } },
      config: { type: 'json-file', options: { path: 'routes.json', watch: false } },
      sinks: { out: { type: 'jsonl', options: { path: 'out.jsonl' } } },
      outputs: { shouted: { sink: 'out', target: 'shouts' } },
      deadLetter: { type: 'jsonl', options: { path: 'dead.jsonl' } },
      plugins: { modules: [join(fixtures, 'upper-plugin.mjs')] },
      logLevel: 'silent',
    });
    const c = capture();
    expect(await main(['run', '--config', path], c.io)).toBe(0);
    const out = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { target: string; value: { id: string; text: string } });
    expect(out.map((o) => [o.target, o.value.id, o.value.text])).toEqual([
      ['shouts', 'a', 'HELLO?'],
      ['shouts', 'b', 'WORLD?'],
    ]);
    const dead = readFileSync(join(dir, 'dead.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { code: string; value: string; offset: string });
    expect(dead.map((d) => d.code).sort()).toEqual(['EVR_ERR_DECODE_NOT_JSON', 'EVR_ERR_ROUTE_UNMATCHED']);
    expect(dead.find((d) => d.code === 'EVR_ERR_DECODE_NOT_JSON')).toMatchObject({ value: 'this line is not json', offset: '1' });
  });

  it('run names a missing adapter package and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evroute-cli-'));
    const path = writeConfig(dir, { source: { type: 'nosuchthing' }, config: { type: 'memory' }, logLevel: 'silent' });
    const c = capture();
    expect(await main(['run', '--config', path], c.io)).toBe(1);
    expect(c.err.join('')).toMatch(/EVR_ERR_CLI_ADAPTER_NOT_FOUND: adapter 'nosuchthing' \(sources\): cannot import @evroute\/nosuchthing/);
  });

  it('rejects unknown commands with usage and exit code 2', async () => {
    const c = capture();
    expect(await main(['frobnicate'], c.io)).toBe(2);
    expect(c.err.join('')).toContain('Usage:');
  });
});

describe('published schema file', () => {
  it('run-config.schema.json is the schema the CLI validates with (regenerate with `evroute config-schema`)', () => {
    const file = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'run-config.schema.json'), 'utf8')) as object;
    expect(file).toEqual(JSON.parse(JSON.stringify(runConfigSchema)));
  });
});

describe('evroute explain', () => {
  it('prints the route an event takes and its outputs, without writing anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evroute-cli-'));
    writeFileSync(join(dir, 'routes.json'), JSON.stringify([{ id: 7, domain: 'demo', event_type: 'say', processor_class: 'upper', enabled: 1, priority: 0 }]));
    const path = writeConfig(dir, {
      source: { type: 'jsonl', options: { path: 'unused.jsonl' } },
      config: { type: 'json-file', options: { path: 'routes.json', watch: false } },
      sinks: { out: { type: 'jsonl', options: { path: 'out.jsonl' } } },
      outputs: { shouted: { sink: 'out', target: 'shouts' } },
      plugins: { modules: [join(fixtures, 'upper-plugin.mjs')] },
    });
    const c = capture();
    const event = JSON.stringify({ domain: 'demo', type: 'say', eventId: 'z', timestamp: 1, payload: { text: 'hi' } });
    expect(await main(['explain', '--config', path, '--event', event, '--dry-run'], c.io)).toBe(0);
    const text = c.out.join('');
    expect(text).toContain('RUNS  route 7 (upper@1.0.0, priority 0): highest-priority enabled route');
    expect(text).toContain('→ shouted → sink out / shouts: {"id":"z","text":"HI!"}');
    expect(text).toContain('verdict: processed by 1 route');
    expect(existsSync(join(dir, 'out.jsonl')) ? readFileSync(join(dir, 'out.jsonl'), 'utf8') : '').toBe(''); // nothing written
    const miss = capture();
    expect(await main(['explain', '--config', path, '--event', '{"domain":"demo","type":"other","eventId":"q","timestamp":1,"payload":{}}'], miss.io)).toBe(1);
    expect(miss.out.join('')).toContain('verdict: dead-lettered: EVR_ERR_ROUTE_UNMATCHED');
  });
});

describe('evroute test', () => {
  it('passes a test file whose expectations hold', async () => {
    const c = capture();
    expect(await main(['test', join(fixtures, 'evtest')], c.io)).toBe(0);
    expect(c.out.join('')).toContain('2 passed, 0 failed');
  });

  it('fails when an expected output differs, and says how', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evroute-evtest-'));
    const spec = JSON.parse(readFileSync(join(fixtures, 'evtest', 'upper.evtest.json'), 'utf8')) as { plugins: string[]; cases: { expect: { outputs?: { value: Record<string, unknown> }[] } }[] };
    spec.plugins = [join(fixtures, 'upper-plugin.mjs')];
    spec.cases[0]!.expect.outputs![0]!.value['text'] = 'HEY?';
    writeFileSync(join(dir, 'wrong.evtest.json'), JSON.stringify(spec));
    const c = capture();
    expect(await main(['test', dir], c.io)).toBe(1);
    const text = c.out.join('');
    expect(text).toContain('FAIL');
    expect(text).toContain('outputs[0].value.text: expected "HEY?", got "HEY!!"');
    expect(text).toContain('1 passed, 1 failed');
  });
});
