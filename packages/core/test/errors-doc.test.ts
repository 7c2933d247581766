// Holds docs/errors.md and the error catalogues to each other: every catalogued code has a row with the
// same retriable flag and meaning, every row names a catalogued code, and every EVR_ERR_ code the core
// sources use is catalogued. Adapter packages are covered when they have a src/errors.ts.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { coreErrors } from '@evroute/core';

type Catalogue = Readonly<Record<string, { readonly retriable: boolean; readonly text: string }>>;

interface DocRow {
  readonly code: string;
  readonly retriable: boolean;
  readonly text: string;
}

const repo = join(import.meta.dirname, '..', '..', '..');
const docPath = join(repo, 'docs', 'errors.md');
const doc = readFileSync(docPath, 'utf8');

/** The `## ` sections of a markdown text, by heading. */
function sections(markdown: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const part of markdown.split(/^## /m).slice(1)) {
    const newline = part.indexOf('\n');
    result.set(part.slice(0, newline).trim(), part.slice(newline + 1));
  }
  return result;
}

const ROW = /^\| `(EVR_ERR_[A-Z0-9_]+)` \| (yes|no) \| ([^|]+?) \|/;

/** The error rows of one section: lines starting with `| \`EVR_ERR_`; a line that does not parse fails. */
function rows(section: string): DocRow[] {
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `EVR_ERR_'))
    .map((line) => {
      const match = ROW.exec(line);
      if (!match) throw new Error(`docs/errors.md: cannot read this row as | \`CODE\` | yes/no | meaning | ...:\n${line}`);
      return { code: match[1]!, retriable: match[2] === 'yes', text: match[3]! };
    });
}

/** The rows a catalogue should have. */
function expectedRows(catalogue: Catalogue): DocRow[] {
  return Object.entries(catalogue).map(([code, { retriable, text }]) => ({ code, retriable, text }));
}

/** Rows sorted by code, so that the page may group codes in its own order. */
function byCode(list: readonly DocRow[]): DocRow[] {
  return [...list].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** Every `.ts` file under a folder. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

/** A module's exports that look like an error catalogue: `EVR_ERR_*` keys with `{ retriable, text }`. */
function cataloguesIn(module: Record<string, unknown>): Catalogue[] {
  return Object.values(module).filter((value): value is Catalogue => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const entries = Object.entries(value as Record<string, unknown>);
    return (
      entries.length > 0 &&
      entries.every(([key, entry]) => {
        const e = entry as { retriable?: unknown; text?: unknown } | null;
        return key.startsWith('EVR_ERR_') && typeof e?.retriable === 'boolean' && typeof e.text === 'string';
      })
    );
  });
}

const docSections = sections(doc);

describe('docs/errors.md: @evroute/core', () => {
  const core = docSections.get('@evroute/core');

  it('has a section for @evroute/core', () => {
    expect(core).toBeDefined();
  });

  it('has one row per code of coreErrors, with the same retriable flag and meaning', () => {
    expect(byCode(rows(core ?? ''))).toEqual(byCode(expectedRows(coreErrors)));
  });

  it('has no row for a code coreErrors does not have', () => {
    const stale = rows(core ?? '').filter((row) => !Object.hasOwn(coreErrors, row.code));
    expect(stale.map((row) => row.code)).toEqual([]);
  });

  it('lists every EVR_ERR_ code the core sources use in coreErrors', () => {
    const src = join(repo, 'packages', 'core', 'src');
    const used = new Map<string, string>();
    for (const file of tsFiles(src)) {
      for (const [code] of readFileSync(file, 'utf8').matchAll(/\bEVR_ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*\b/g)) {
        used.set(code, file.slice(repo.length + 1));
      }
    }
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter(([code]) => !Object.hasOwn(coreErrors, code)).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });
});

// Every package other than core with a src/errors.ts must have a section with its catalogue; every
// other package section must say where the catalogue will be and list no codes yet.
const packagesDir = join(repo, 'packages');
const packages = readdirSync(packagesDir)
  .filter((dir) => dir !== 'core' && existsSync(join(packagesDir, dir, 'package.json')))
  .map((dir) => {
    const { name } = JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as { name: string };
    return { dir, name, errors: join(packagesDir, dir, 'src', 'errors.ts') };
  });
const withCatalogue = packages.filter((p) => existsSync(p.errors));
const documentedWithout = packages.filter((p) => !existsSync(p.errors) && docSections.has(p.name));

describe('docs/errors.md: adapter packages', () => {
  it('has a section for each adapter package', () => {
    expect([...docSections.keys()]).toEqual(expect.arrayContaining(['@evroute/kafka', '@evroute/mysql', '@evroute/sqlite']));
  });

  it.each(withCatalogue.map((p) => [p.name, p] as const))('%s: one row per catalogued code, and no other', async (_, p) => {
    const module = (await import(pathToFileURL(p.errors).href)) as Record<string, unknown>;
    const catalogues = cataloguesIn(module);
    expect(catalogues).not.toEqual([]); // the file exports a catalogue object
    const expected = catalogues.flatMap((catalogue) => expectedRows(catalogue));
    expect(byCode(rows(docSections.get(p.name) ?? ''))).toEqual(byCode(expected));
  });

  it.each(documentedWithout.map((p) => [p.name, p] as const))('%s: no catalogue yet, so no rows and a pointer to it', (_, p) => {
    const section = docSections.get(p.name) ?? '';
    expect(rows(section)).toEqual([]);
    expect(section).toContain(`packages/${p.dir}/src/errors.ts`);
  });
});
