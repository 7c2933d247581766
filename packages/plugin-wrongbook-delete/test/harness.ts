// A router over in-memory parts with the wrongbook outputs bound as a host would bind them: the wide
// table to a "db" sink, the side outputs to a "kafka" sink under their default topic names.
import { createRouter, type RouteRow, type Router, type RouterOptions } from '@evroute/core';
import { MemoryConfigSource, MemoryDeadLetterSink, MemoryLog, MemorySink, MemorySource, silentLogger, waitFor } from '@evroute/testkit';
import { DEFAULT_OUTPUT_TARGETS, DIMENSIONS_SERVICE, type DimensionLookups } from '@evroute/wrongbook';

/** One `ctx.metrics.increment` call. */
export interface Counted {
  readonly plugin: string;
  readonly name: string;
  readonly by: number;
  readonly labels: Readonly<Record<string, string>>;
}

export interface Harness {
  readonly router: Router;
  readonly log: MemoryLog;
  readonly db: MemorySink;
  readonly kafka: MemorySink;
  readonly dlq: MemoryDeadLetterSink;
  readonly config: MemoryConfigSource;
  readonly counted: Counted[];
  /** Appends one envelope keyed by the payload's user id; returns its eventId. */
  send(type: string, payload: Record<string, unknown>, envelope?: Record<string, unknown>): string;
  /** Waits until everything sent is processed and committed. */
  settled(): Promise<void>;
}

let n = 0;

/** A route of the wrongbook domain. */
export function route(id: string, eventType: string, processor: string, extra: Partial<RouteRow> = {}): RouteRow {
  return { id, domain: 'wrongbook', eventType, processor, enabled: true, priority: 0, ...extra };
}

export async function harness(
  plugins: readonly unknown[],
  routes: RouteRow[],
  options: { dimensions?: DimensionLookups; router?: Partial<RouterOptions> } = {},
): Promise<Harness> {
  const log = new MemoryLog({ topic: 'wrongbook-events', partitions: 2 });
  const db = new MemorySink('db');
  const kafka = new MemorySink('kafka');
  const dlq = new MemoryDeadLetterSink();
  const config = new MemoryConfigSource(routes);
  const counted: Counted[] = [];
  const router = createRouter({
    source: new MemorySource(log, { batchSize: 20 }),
    config,
    plugins,
    sinks: { db, kafka },
    outputs: {
      wide_table: { sink: 'db', target: DEFAULT_OUTPUT_TARGETS.wide_table },
      wrong_answers: { sink: 'kafka', target: DEFAULT_OUTPUT_TARGETS.wrong_answers },
      fix_metrics: { sink: 'kafka', target: DEFAULT_OUTPUT_TARGETS.fix_metrics },
      audit: { sink: 'kafka', target: DEFAULT_OUTPUT_TARGETS.audit },
    },
    deadLetter: dlq,
    logger: silentLogger(),
    services: options.dimensions === undefined ? {} : { shared: { [DIMENSIONS_SERVICE]: options.dimensions } },
    metrics: (plugin) => ({
      increment: (name, by = 1, labels = {}) => void counted.push({ plugin, name, by, labels }),
      observe: () => {},
    }),
    batch: { size: 50, lingerMs: 1 },
    ...options.router,
  });
  await router.start();
  return {
    router, log, db, kafka, dlq, config, counted,
    send(type, payload, envelope = {}) {
      const eventId = `evt-${++n}`;
      const user = payload['user_id'] ?? payload['userId'];
      const key = typeof user === 'string' ? user : 'none';
      log.append([{ key, value: JSON.stringify({ domain: 'wrongbook', type, timestamp: Date.now(), eventId, payload, version: '1.0', source: 'math_app', ...envelope }) }]);
      return eventId;
    },
    async settled() {
      await waitFor(() => log.uncommitted === 0, { message: 'every event committed' });
    },
  };
}
