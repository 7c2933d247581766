import type { AdapterContext } from '@evroute/core';
import { evrouteAdapters } from '@evroute/mysql';
import { describe, expect, it } from 'vitest';

describe('evrouteAdapters (mysql)', () => {
  it('builds each adapter from JSON-like options without connecting, with a child of the host logger', async () => {
    const children: unknown[] = [];
    const logger = { child: (bindings: unknown) => (children.push(bindings), logger), debug() {}, info() {}, warn() {}, error() {} };
    const ctx = { baseDir: '/', logger } as unknown as AdapterContext;
    const connection = { url: 'jdbc:mysql://127.0.0.1:1/config_db', user: 'u', password: 'p' };
    const signal = new AbortController().signal;
    const sink = evrouteAdapters.sinks.mysql({ connection }, ctx);
    const config = evrouteAdapters.configSources.mysql({ connection, intervalMs: 1_000 }, ctx);
    const dlq = evrouteAdapters.deadLetterSinks.mysql({ connection }, ctx);
    const lookup = evrouteAdapters.services['mysql-lookup']({ connection, table: 'tower_pattern', columns: ['name'] }, ctx);
    expect(children).toEqual([{ component: 'mysql-sink' }, { component: 'mysql-config' }, { component: 'mysql-dead-letter' }, { component: 'mysql-lookup' }]);
    await Promise.all([sink.close(signal), config.close(signal), dlq.close(signal), lookup.close()]);
    expect(() => evrouteAdapters.sinks.mysql({ connection: {} }, ctx)).toThrow(expect.objectContaining({ code: 'EVR_ERR_MYSQL_OPTIONS' }) as Error);
  });
});
