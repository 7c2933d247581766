// Follows docs/guides/write-a-plugin.md step by step, in a temporary folder outside the repository:
// the files and commands come from the guide itself, so the guide cannot drift from what works.
// The one difference: `npm install` is replaced by links to this workspace's packages (they are not
// published from here), which is what npm would put in node_modules.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KafkaSink } from '@evroute/kafka';
import kafkajs from 'kafkajs';
import { requireKafka, uniqueName, waitFor } from '@evroute/testkit';

const { Kafka, logLevel } = kafkajs;
const repo = join(import.meta.dirname, '..', '..', '..');
const guide = readFileSync(join(repo, 'docs', 'guides', 'write-a-plugin.md'), 'utf8');
const cli = join(repo, 'packages', 'cli', 'dist', 'bin.js');

/** The guide's files: fenced blocks whose info string names a file (```ts file=src/index.ts). */
function guideFile(name: string): string {
  const block = new RegExp('```\\w+ file=' + name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '\\n([\\s\\S]*?)```').exec(guide);
  if (!block?.[1]) throw new Error(`docs/guides/write-a-plugin.md has no block for ${name}`);
  return block[1];
}

/** Runs `evroute <args>` (the guide's `npx evroute …` and npm scripts) in `cwd`. */
function evroute(cwd: string, ...args: string[]): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

const children: ReturnType<typeof spawn>[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('docs/guides/write-a-plugin.md, followed step by step', () => {
  it('scaffolds, implements, tests, packs, signs and hot-deploys a plugin into a running router', async () => {
    const brokers = (await requireKafka()).join(',');
    const work = mkdtempSync(join(tmpdir(), 'evroute-guide-'));

    // 1. Scaffold, and "npm install".
    expect(evroute(work, 'plugin', 'init', 'greeting').status).toBe(0);
    const pkg = join(work, 'greeting');
    mkdirSync(join(pkg, 'node_modules', '@evroute'), { recursive: true });
    for (const name of ['core', 'cli', 'kafka']) symlinkSync(join(repo, 'packages', name), join(pkg, 'node_modules', '@evroute', name));
    // The scaffold's own test passes before any change.
    expect(evroute(pkg, 'test', 'test')).toMatchObject({ status: 0, out: expect.stringContaining('2 passed, 0 failed') as unknown });

    // 2. Implement, 3. Test.
    writeFileSync(join(pkg, 'src', 'index.ts'), guideFile('src/index.ts'));
    writeFileSync(join(pkg, 'test', 'plugin.evtest.json'), guideFile('test/plugin.evtest.json'));
    const tested = evroute(pkg, 'test', 'test');
    expect(tested.out).toContain('2 passed, 0 failed');
    expect(tested.status).toBe(0);

    // 4. Pack, 5. Sign (the npm scripts the scaffold wrote).
    const scripts = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const script = (name: string): string[] => (scripts[name] ?? '').replace(/^evroute /, '').split(' ');
    expect(evroute(pkg, ...script('pack')).status).toBe(0);
    expect(evroute(pkg, 'plugin', 'keygen', '--out', 'keys/greeting').status).toBe(0);
    expect(evroute(pkg, ...script('sign')).status).toBe(0);
    expect(existsSync(join(pkg, 'bundles', 'greeting@0.1.0', 'plugin.json'))).toBe(true);

    // 6. A router watching a plugin folder.
    const topic = uniqueName('greetings');
    const runConfig = guideFile('run.json').replace('${EVROUTE_KAFKA_BROKERS}', brokers).replace('"groupId": "greetings"', `"groupId": "${uniqueName('g')}"`).replace('["greetings"]', `["${topic}"]`);
    writeFileSync(join(pkg, 'run.json'), runConfig);
    writeFileSync(join(pkg, 'routes.json'), guideFile('routes.json'));
    mkdirSync(join(pkg, 'plugins'));
    // The topic must exist before the router starts (the guide says so).
    const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = new KafkaSink({ brokers: brokers.split(','), name: 'producer' });
    const signal = new AbortController().signal;
    let n = 0;
    const send = async (): Promise<void> => {
      const eventId = `guide-${n++}`;
      await producer.write([{ output: 'x', spec: {}, target: topic, key: 'k', headers: {}, value: { domain: 'demo', type: 'greet', eventId, timestamp: Date.now(), payload: { name: `Ada${n}` } } }], signal);
    };
    await send();
    const child = spawn(process.execPath, [cli, 'run', '--config', 'run.json'], { cwd: pkg, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let log = '';
    child.stdout.on('data', (b: Buffer) => (log += b.toString()));
    child.stderr.on('data', (b: Buffer) => (log += b.toString()));
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`evroute run exited with ${child.exitCode}:\n${log}`);
        return log.includes('router started');
      },
      { timeout: 60_000, message: 'evroute run started' },
    );

    // 7. Deploy: stage, then rename into place.
    cpSync(join(pkg, 'bundles', 'greeting@0.1.0'), join(pkg, 'plugins', '.incoming-greeting'), { recursive: true });
    renameSync(join(pkg, 'plugins', '.incoming-greeting'), join(pkg, 'plugins', 'greeting@0.1.0'));

    // Events keep coming; once the plugin serves, they are greeted.
    const greeted = (): string[] =>
      existsSync(join(pkg, 'greetings.jsonl'))
        ? readFileSync(join(pkg, 'greetings.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { value: { text: string } }).value.text)
        : [];
    await waitFor(
      async () => {
        await send();
        return greeted().length > 0;
      },
      { timeout: 60_000, interval: 250, message: 'the plugin serves events (see the router log in the error above)' },
    );
    await producer.close(signal);
    expect(greeted()[0]).toMatch(/^bonjour Ada\d+$/);
    expect(log).toContain('greeting ready');

    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });
});
