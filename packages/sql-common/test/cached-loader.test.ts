import { describe, expect, it } from 'vitest';
import { CachedLoader } from '../src/cached-loader.js';

function loader(table: Record<string, string>, overrides: Partial<ConstructorParameters<typeof CachedLoader<string | undefined>>[0]> = {}) {
  const fetched: string[][] = [];
  let now = 0;
  const instance = new CachedLoader<string | undefined>({
    ttlMs: 1_000, negativeTtlMs: 100, errorTtlMs: 0, maxEntries: 1_000, batchWindowMs: 0, maxBatchSize: 100, absent: undefined,
    fetch: async (keys) => {
      fetched.push([...keys]);
      return new Map(keys.filter((k) => k in table).map((k) => [k, table[k]]));
    },
    now: () => now,
    ...overrides,
  });
  return { instance, fetched, advance: (ms: number) => (now += ms) };
}

describe('CachedLoader (behind the dimension lookups)', () => {
  it('fetches the keys of one tick together, once each, and serves repeats from the cache until the TTL', async () => {
    const { instance, fetched, advance } = loader({ a: 'A', b: 'B' });
    expect(await Promise.all([instance.get('a'), instance.get('b'), instance.get('a'), instance.get('x')])).toEqual(['A', 'B', 'A', undefined]);
    expect(fetched).toEqual([['a', 'b', 'x']]);
    expect(await instance.get('a')).toBe('A');
    advance(150);
    expect(await instance.get('x')).toBeUndefined(); // negative entry expired: asked again
    advance(900);
    expect(await instance.get('a')).toBe('A'); // positive entry expired
    expect(fetched).toEqual([['a', 'b', 'x'], ['x'], ['a']]);
    expect(instance.stats()).toMatchObject({ hits: 1, misses: 6, coalesced: 1, fetches: 3 });
  });

  it('splits large batches at maxBatchSize', async () => {
    const { instance, fetched } = loader({}, { maxBatchSize: 3 });
    await Promise.all(['1', '2', '3', '4', '5', '6', '7'].map((k) => instance.get(k)));
    expect(fetched.map((f) => f.length)).toEqual([3, 3, 1]);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const { instance, fetched } = loader({ a: 'A', b: 'B', c: 'C' }, { maxEntries: 2 });
    await instance.get('a');
    await instance.get('b');
    await instance.get('a'); // a is now more recent than b
    await instance.get('c'); // evicts b
    await instance.get('a');
    await instance.get('b');
    expect(fetched).toEqual([['a'], ['b'], ['c'], ['b']]);
    expect(instance.stats().evictions).toBe(2);
  });

  it('answers nothing, counts the error and never rejects when the fetch fails; errorTtlMs spares the database', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const { instance } = loader({}, {
      errorTtlMs: 50,
      fetch: () => {
        calls++;
        return Promise.reject(new Error('down'));
      },
      metrics: { error: (e) => errors.push(e), hit: () => { throw new Error('a broken metrics callback is ignored'); } },
    });
    expect(await Promise.all([instance.get('a'), instance.get('b')])).toEqual([undefined, undefined]);
    expect(await instance.get('a')).toBeUndefined();
    expect(calls).toBe(1);
    expect(errors).toHaveLength(1);
    expect(instance.stats()).toMatchObject({ errors: 1, hits: 1 });
  });

  it('resolves pending callers with nothing on close', async () => {
    const { instance } = loader({ a: 'A' }, { batchWindowMs: 10_000 });
    const pending = instance.get('a');
    instance.close();
    expect(await pending).toBeUndefined();
  });
});
