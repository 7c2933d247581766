/**
 * `config-propagation-mysql`, `config-propagation-kafka`: how long a route change takes to go live in a
 * running router. The router (createRouter, with a plugin whose config carries a counter) follows
 * `routing_configs` through `MySqlConfigSource` polling every second, or the compacted config topic
 * through `KafkaConfigSource`; a change is an UPDATE of the row's `config_json` (timed from its commit)
 * or a `RoutePublisher.publish` (timed from the call), and it is live when the router publishes
 * `evroute:config:applied` with a table whose route carries the new counter.
 */
import { channel, createRouter, definePlugin, type ConfigSource, type RouteRow, type Router } from '@evroute/core';
import { KafkaConfigSource, RoutePublisher, createConfigTopic } from '@evroute/kafka';
import { MySqlConfigSource } from '@evroute/mysql';
import { waitFor } from '@evroute/testkit';
import { pino } from 'pino';
import type { BenchContext } from './context.js';
import { load } from './proc-cpu.js';
import { machine, percentile, spread, type BenchResult } from './results.js';

const POLL_MS = 1_000;
const PROCESSOR = 'bench-counter';

const counter = definePlugin<{ n: number }>({
  name: PROCESSOR,
  version: '1.0.0',
  core: '^0.1.0',
  configSchema: { type: 'object', properties: { n: { type: 'integer', default: 0 } }, additionalProperties: false },
  outputs: { out: {} },
  create: (config) => ({ process: () => [{ to: 'out', value: { n: config.n } }] }),
});

const route = (n: number): RouteRow => ({ id: '1', domain: 'bench', eventType: 'tick', processor: PROCESSOR, enabled: true, priority: 0, config: { n } });

/** The counter of route 1 in the router's live table. */
function liveCounter(router: Router): number | undefined {
  const config = router.table().routes.find((r) => r.id === '1')?.row.config;
  const parsed = typeof config === 'string' ? (JSON.parse(config) as { n?: number }) : (config as { n?: number } | undefined);
  return parsed?.n;
}

/** Makes `changes` changes with `change(n)` and returns ms from each change to the router applying it. */
async function measure(router: Router, changes: number, change: (n: number) => Promise<number>, spacing: () => number): Promise<number[]> {
  const applied = new Map<number, number>();
  const onApplied = (): void => {
    const n = liveCounter(router);
    if (n !== undefined && !applied.has(n)) applied.set(n, performance.now());
  };
  channel('config:applied').subscribe(onApplied);
  try {
    const samples: number[] = [];
    for (let n = 1; n <= changes; n++) {
      const wait = spacing();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const changedAt = await change(n);
      const at = await waitFor(() => applied.get(n), { timeout: 10_000, interval: 1, message: `change ${n} applied` });
      samples.push(at - changedAt);
    }
    return samples;
  } finally {
    channel('config:applied').unsubscribe(onApplied);
  }
}

function startRouter(config: ConfigSource): Router {
  return createRouter({
    source: { name: 'idle', start: () => Promise.resolve(), ack: () => undefined, close: () => Promise.resolve() },
    config,
    plugins: [counter],
    sinks: { none: { name: 'none', write: () => Promise.resolve(), close: () => Promise.resolve() } },
    outputs: { out: { sink: 'none' } },
    logger: pino({ level: 'silent' }),
  });
}

function result(ctx: BenchContext, id: string, name: string, goal: string, limitMs: number, samples: readonly number[], extra: Record<string, unknown>): BenchResult {
  const p99 = Number(percentile(samples, 99).toFixed(1));
  return {
    id,
    name,
    unit: 'ms',
    value: p99,
    baseline: null,
    ratio: null,
    goal,
    met: p99 <= limitMs,
    command: ctx.command(id),
    machine: machine(),
    date: new Date().toISOString(),
    details: {
      changes: samples.length,
      p50: Number(percentile(samples, 50).toFixed(1)),
      p99,
      mean: Number((samples.reduce((a, b) => a + b, 0) / samples.length).toFixed(1)),
      latencyMs: spread(samples, 1),
      load: load(),
      ...extra,
    },
  };
}

async function viaMySql(ctx: BenchContext, changes: number): Promise<BenchResult> {
  const db = await ctx.database('bench_config');
  await db.pool.query('INSERT INTO routing_configs (id, domain, event_type, processor_class, enabled, priority, config_json) VALUES (1, ?, ?, ?, 1, 0, ?)', ['bench', 'tick', PROCESSOR, JSON.stringify({ n: 0 })]);
  const router = startRouter(new MySqlConfigSource({ connection: { url: db.url }, intervalMs: POLL_MS }));
  await router.start();
  try {
    // A random wait before each change spreads the changes evenly over the poll cycle.
    const samples = await measure(
      router,
      changes,
      async (n) => {
        await db.pool.query('UPDATE routing_configs SET config_json = ? WHERE id = 1', [JSON.stringify({ n })]);
        return performance.now(); // autocommit: the change is committed when the UPDATE returns
      },
      () => Math.random() * POLL_MS,
    );
    return result(ctx, 'config-propagation-mysql', `Route change in MariaDB routing_configs → live in a running router (MySqlConfigSource polling every ${POLL_MS} ms)`, `p99 ≤ poll interval + 250 ms (${POLL_MS + 250} ms)`, POLL_MS + 250, samples, {
      intervalMs: POLL_MS,
      notes: [
        `Polling every ${POLL_MS} ms: a change waits for the next poll, so the expected mean is about half the interval (${POLL_MS / 2} ms) plus one read of the table, and the p99 just under one interval. The interval is the setting to turn: the seed's default is 30 s.`,
        'Timed from the UPDATE committing (autocommit) to the router publishing evroute:config:applied with a table whose route carries the new config; changes are spread over the poll cycle by a random wait.',
      ],
    });
  } finally {
    await router.stop();
  }
}

async function viaKafka(ctx: BenchContext, changes: number): Promise<BenchResult> {
  const where = { brokers: ctx.services.brokers, topic: ctx.topic('bench_routing_config') };
  await createConfigTopic(where);
  const publisher = new RoutePublisher(where);
  await publisher.publish(route(0));
  const router = startRouter(new KafkaConfigSource(where));
  await router.start();
  try {
    const samples = await measure(
      router,
      changes,
      async (n) => {
        const at = performance.now();
        await publisher.publish(route(n));
        return at;
      },
      () => 0,
    );
    return result(ctx, 'config-propagation-kafka', 'Route change published to the compacted config topic → live in a running router (KafkaConfigSource)', 'p99 ≤ 250 ms', 250, samples, {
      notes: [
        'Timed from RoutePublisher.publish called (idempotent producer, acks = all) to the router publishing evroute:config:applied with the new config: the produce, the config consumer\'s fetch and the table rebuild.',
      ],
    });
  } finally {
    await router.stop();
    await publisher.close();
  }
}

export async function runConfigPropagation(ctx: BenchContext, want: { readonly mysql: boolean; readonly kafka: boolean }): Promise<BenchResult[]> {
  const changes = ctx.quick ? 20 : 100;
  const results: BenchResult[] = [];
  if (want.mysql) {
    await ctx.quiet();
    ctx.log(`config-propagation-mysql: ${changes} changes, poll every ${POLL_MS} ms`);
    results.push(await viaMySql(ctx, changes));
  }
  if (want.kafka) {
    await ctx.quiet();
    ctx.log(`config-propagation-kafka: ${changes} changes`);
    results.push(await viaKafka(ctx, changes));
  }
  return results;
}
