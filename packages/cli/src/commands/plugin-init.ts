/**
 * `evroute plugin init <name> [--out <parent dir>]`: scaffolds a plugin package: TypeScript source with a
 * working processor, a declarative test for `evroute test`, and scripts to type-check, test, pack and
 * sign it. docs/guides/write-a-plugin.md walks through what it makes.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EvrouteError, CORE_VERSION } from '@evroute/core';

const NAME = /^[a-z0-9][a-z0-9._-]*$/;

function files(name: string): Record<string, string> {
  const coreRange = `^${CORE_VERSION}`;
  return {
    'package.json': `${JSON.stringify(
      {
        name,
        version: '0.1.0',
        description: `The ${name} processor plugin for evroute.`,
        type: 'module',
        main: './src/index.ts',
        exports: { '.': './src/index.ts' },
        files: ['src', 'bundles'],
        scripts: {
          typecheck: 'tsc --noEmit',
          test: 'evroute test test',
          pack: 'evroute plugin pack . --out bundles',
          sign: `evroute plugin sign --key keys/${name}.key bundles/${name}@0.1.0`,
        },
        peerDependencies: { '@evroute/core': coreRange },
        devDependencies: { '@evroute/core': coreRange, '@evroute/cli': coreRange, typescript: '^7.0.0' },
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `${JSON.stringify(
      {
        compilerOptions: {
          target: 'es2023',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          verbatimModuleSyntax: true,
          erasableSyntaxOnly: true,
          skipLibCheck: true,
          noEmit: true,
        },
        include: ['src'],
      },
      null,
      2,
    )}\n`,
    'src/index.ts': `// The ${name} plugin. Replace the processor with your own logic; keep the default export.
import { definePlugin, EvrouteError } from '@evroute/core';

interface Config {
  greeting: string;
}

export default definePlugin<Config>({
  name: '${name}',
  version: '0.1.0',
  core: '${coreRange}',
  configSchema: {
    type: 'object',
    properties: { greeting: { type: 'string', default: 'hello' } },
    additionalProperties: false,
  },
  outputs: { out: { description: 'what this plugin emits' } },
  create(config) {
    return {
      process(event) {
        const name = event.payload['name'];
        if (typeof name !== 'string') throw new EvrouteError('EVR_ERR_PROCESSOR_REJECTED', 'payload.name must be a string');
        return [{ to: 'out', value: { id: event.eventId, text: \`\${config.greeting} \${name}\` } }];
      },
    };
  },
});
`,
    'test/plugin.evtest.json': `${JSON.stringify(
      {
        plugins: ['../src/index.ts'],
        routes: [{ id: '1', domain: 'demo', event_type: 'greet', processor_class: name, enabled: 1, priority: 0 }],
        cases: [
          {
            name: 'greets by name',
            input: { domain: 'demo', type: 'greet', eventId: 'e1', timestamp: 1, payload: { name: 'Ada' } },
            expect: { outputs: [{ to: 'out', value: { id: 'e1', text: 'hello Ada' } }] },
          },
          {
            name: 'rejects an event without a name',
            input: { domain: 'demo', type: 'greet', eventId: 'e2', timestamp: 1, payload: {} },
            expect: { deadLetter: 'EVR_ERR_PROCESSOR_REJECTED' },
          },
        ],
      },
      null,
      2,
    )}\n`,
    'README.md': `# ${name}

An evroute processor plugin.

- \`npm test\`: runs \`test/*.evtest.json\` against the plugin (\`evroute test\`).
- \`npm run pack\`: bundles it for hot deployment into \`bundles/${name}@<version>/\`.
- \`npm run sign\`: signs the bundle with \`keys/${name}.key\` (make one with \`npx evroute plugin keygen --out keys/${name}\`).

Drop the bundle folder into a router's plugin folder to deploy it.
`,
    '.gitignore': 'node_modules/\nbundles/\nkeys/*.key\n',
  };
}

/** Scaffolds the plugin package `<parent>/<name>`; throws a usage error when it exists or the name is bad. */
export async function initPlugin(name: string, parent = '.'): Promise<string> {
  if (!NAME.test(name)) throw new EvrouteError('EVR_ERR_CLI_USAGE', `plugin name '${name}' must be lower case letters, digits, '.', '_' or '-'`);
  const dir = resolve(parent, name);
  if (existsSync(dir)) throw new EvrouteError('EVR_ERR_CLI_USAGE', `${dir} exists already; pick another name or folder`);
  for (const [file, text] of Object.entries(files(name))) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  return dir;
}

/** `evroute plugin init`: resolves with the exit code. */
export async function initCommand(opts: { readonly name: string; readonly parent?: string; readonly print: (t: string) => void }): Promise<number> {
  const dir = await initPlugin(opts.name, opts.parent);
  opts.print(`created ${dir}\nnext: cd ${opts.name} && npm install && npm test\n`);
  return 0;
}
