import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// One vitest project per workspace package (and example) that has a test/ folder, found at config time
// so a new package needs no edit here. Two projects each: `<pkg>:unit` and `<pkg>:integration`
// (files named *.integration.test.ts, which need the real Kafka broker and MariaDB).
const roots = ['packages', 'examples'].flatMap((dir) =>
  existsSync(dir)
    ? readdirSync(dir)
        .map((name) => join(dir, name))
        .filter((root) => existsSync(join(root, 'test')))
    : [],
);

// Workspace packages resolve to their TypeScript sources in tests (the `evroute-source` export
// condition), so a test run needs no build and stack traces point at src/.
const shared = {
  resolve: { conditions: ['evroute-source'] },
  ssr: { resolve: { conditions: ['evroute-source'] } },
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
} as const;

export default defineConfig({
  test: {
    globalSetup: ['./scripts/vitest-global-setup.ts'],
    projects: roots.flatMap((root) => {
      const name = (root.startsWith('examples') ? 'example-' : '') + (root.split('/').pop() as string);
      return [
        {
          ...shared,
          test: {
            name: `${name}:unit`,
            root,
            include: ['test/**/*.test.ts'],
            exclude: ['test/**/*.integration.test.ts', 'test/**/fixtures/**'],
            testTimeout: 20_000,
          },
        },
        {
          ...shared,
          test: {
            name: `${name}:integration`,
            root,
            include: ['test/**/*.integration.test.ts'],
            testTimeout: 120_000,
            hookTimeout: 120_000,
          },
        },
      ];
    }),
  },
});
