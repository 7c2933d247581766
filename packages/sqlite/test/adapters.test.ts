import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdapterContext } from '@evroute/core';
import { evrouteAdapters } from '@evroute/sqlite';
import { describe, expect, it } from 'vitest';

describe('evrouteAdapters (sqlite)', () => {
  it('opens a relative path in the run config folder and logs through a child of the host logger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evr-sqlite-adapters-'));
    const children: unknown[] = [];
    const logger = { child: (bindings: unknown) => (children.push(bindings), logger), debug() {}, info() {}, warn() {}, error() {} };
    try {
      const sink = evrouteAdapters.sinks.sqlite({ path: 'data/../evroute.db' }, { baseDir: dir, logger } as unknown as AdapterContext);
      expect(existsSync(join(dir, 'evroute.db'))).toBe(true);
      expect(children).toEqual([{ component: 'sqlite-sink' }]);
      await sink.close(new AbortController().signal);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
