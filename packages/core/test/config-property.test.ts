// Property: while random config snapshots interleave with random events, every output is explained by
// exactly one table version (its tag is the tag that version routed its event type to), and within a
// partition the versions seen never go backwards.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channel, createRouter, definePlugin, type RouteRow } from '@evroute/core';
import { MemoryConfigSource, MemoryDeadLetterSink, MemoryLog, MemorySink, MemorySource, envelope, silentLogger, waitFor } from '@evroute/testkit';

const stamp = definePlugin<{ tag: string }>({
  name: 'stamp',
  version: '1.0.0',
  core: '^0.1.0',
  configSchema: { type: 'object', required: ['tag'], properties: { tag: { type: 'string' } } },
  outputs: { out: {} },
  create: (config) => ({
    process: (event, ctx) => [
      { to: 'out', value: { eventId: event.eventId, type: event.type, tag: config.tag, version: ctx.configVersion, partition: event.meta.partition } },
    ],
  }),
});

type Op = { kind: 'events'; type: 'a' | 'b'; count: number; pause: boolean } | { kind: 'config'; routes: RouteRow[]; pause: boolean };

const routeArb = (type: 'a' | 'b'): fc.Arbitrary<RouteRow | undefined> =>
  fc.option(
    fc.record({
      tag: fc.constantFrom('t1', 't2', 't3'),
      valid: fc.boolean(),
      enabled: fc.boolean(),
    }).map(({ tag, valid, enabled }) => ({
      id: type,
      domain: 'p',
      eventType: type,
      processor: 'stamp',
      enabled,
      priority: 0,
      config: valid ? { tag: `${type}-${tag}` } : { tag: 7 }, // an invalid row is refused; the old one serves
    })),
    { nil: undefined },
  );

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('events' as const), type: fc.constantFrom('a' as const, 'b' as const), count: fc.integer({ min: 1, max: 40 }), pause: fc.boolean() }),
  fc.record({ kind: fc.constant('config' as const), a: routeArb('a'), b: routeArb('b'), pause: fc.boolean() }).map(({ a, b, pause }) => ({
    kind: 'config' as const,
    routes: [a, b].filter((r): r is RouteRow => r !== undefined),
    pause,
  })),
);

describe('config changes under load (property)', () => {
  it('explains every output by exactly one table version, and versions never go backwards', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 25 }), async (ops) => {
        const log = new MemoryLog({ partitions: 3 });
        const source = new MemorySource(log, { batchSize: 7 });
        const sink = new MemorySink('mem');
        const dlq = new MemoryDeadLetterSink();
        const config = new MemoryConfigSource([]);
        const router = createRouter({
          source,
          config,
          plugins: [stamp],
          sinks: { mem: sink },
          outputs: { out: { sink: 'mem' } },
          deadLetter: dlq,
          logger: silentLogger(),
          batch: { size: 16, lingerMs: 1 },
        });
        // version → the tag each event type is routed to under that version
        const tables = new Map<number, Map<string, string>>();
        const applied: number[] = [];
        const onApplied = (message: unknown): void => {
          const table = router.table();
          expect(table.version).toBe((message as { version: number }).version);
          applied.push(table.version);
          tables.set(
            table.version,
            new Map(
              (['a', 'b'] as const).flatMap((t) => {
                const r = table.lookup('p', t)[0];
                return r ? [[t, (r.handle!.config as { tag: string }).tag] as const] : [];
              }),
            ),
          );
        };
        channel('config:applied').subscribe(onApplied);
        try {
          await router.start();
          let sent = 0;
          for (const op of ops) {
            if (op.kind === 'events') {
              log.append(Array.from({ length: op.count }, (_, i) => ({ value: envelope('p', op.type, {}, { eventId: `${sent + i}` }), key: `k${(sent + i) % 5}` })));
              sent += op.count;
            } else config.set(op.routes);
            if (op.pause) await new Promise((r) => setImmediate(r));
          }
          await waitFor(() => log.uncommitted === 0, { timeout: 10_000 });
          // Every event is accounted for: an output, or a dead letter (unmatched).
          expect(sink.records.length + dlq.records.length).toBe(sent);
          for (const record of sink.records) {
            const { type, tag, version } = record.value as { type: string; tag: string; version: number };
            expect(tables.get(version)?.get(type)).toBe(tag);
          }
          const lastByPartition = new Map<number, number>();
          for (const record of sink.records) {
            const { partition, version } = record.value as { partition: number; version: number };
            expect(version).toBeGreaterThanOrEqual(lastByPartition.get(partition) ?? 0);
            lastByPartition.set(partition, version);
          }
          expect(applied).toEqual([...applied].sort((x, y) => x - y));
        } finally {
          channel('config:applied').unsubscribe(onApplied);
          await router.stop();
        }
      }),
      { numRuns: 60 },
    );
  });
});
