// Builds a router over in-memory parts for the core tests.
import { createRouter, definePlugin, type RouteRow, type Router, type RouterOptions } from '@evroute/core';
import { MemoryConfigSource, MemoryDeadLetterSink, MemoryLog, MemorySink, MemorySource, envelope, silentLogger } from '@evroute/testkit';

export interface EchoConfig {
  tag: string;
}

/** Emits one record per event on `out`, stamped with the config tag, table version and route. */
export const echo = definePlugin<EchoConfig>({
  name: 'echo',
  version: '1.0.0',
  core: '^0.1.0',
  aliases: ['com.example.EchoProcessor'],
  configSchema: { type: 'object', properties: { tag: { type: 'string', default: 'v1' } }, additionalProperties: false },
  outputs: { out: {} },
  create(config, ctx) {
    return {
      process(event, pctx) {
        return [{ to: 'out', value: { eventId: event.eventId, tag: config.tag, version: pctx.configVersion, route: ctx.route.id } }];
      },
    };
  },
});

export function route(id: string, eventType: string, extra: Partial<RouteRow> = {}): RouteRow {
  return { id, domain: 'd', eventType, processor: 'echo', enabled: true, priority: 0, ...extra };
}

export interface Harness {
  log: MemoryLog;
  source: MemorySource;
  sink: MemorySink;
  dlq: MemoryDeadLetterSink;
  config: MemoryConfigSource;
  router: Router;
  /** Appends events `d:<type>` and returns their ids. */
  send(type: string, count?: number, payload?: Record<string, unknown>): string[];
}

export async function harness(routes: RouteRow[], options: Partial<RouterOptions> & { partitions?: number; batchSize?: number } = {}): Promise<Harness> {
  const log = new MemoryLog({ partitions: options.partitions ?? 2 });
  const source = new MemorySource(log, { batchSize: options.batchSize ?? 50 });
  const sink = new MemorySink('mem');
  const dlq = new MemoryDeadLetterSink();
  const config = new MemoryConfigSource(routes);
  const router = createRouter({
    source,
    config,
    plugins: [echo],
    sinks: { mem: sink },
    outputs: { out: { sink: 'mem', target: 'out' } },
    deadLetter: dlq,
    logger: silentLogger(),
    batch: { size: 100, lingerMs: 1 },
    ...options,
  });
  await router.start();
  let n = 0;
  const send = (type: string, count = 1, payload: Record<string, unknown> = {}): string[] => {
    const ids: string[] = [];
    log.append(
      Array.from({ length: count }, () => {
        const eventId = `e${n++}`;
        ids.push(eventId);
        return { value: envelope('d', type, payload, { eventId }), key: eventId };
      }),
    );
    return ids;
  };
  return { log, source, sink, dlq, config, router, send };
}
