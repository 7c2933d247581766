/**
 * `explain`: what the router would do with one event, and why, under the live table: the decode result,
 * the routes that match (and those that do not run: disabled, lower priority without fan-out, refused),
 * and, when asked, each running route's outputs and where they would go. Nothing is written.
 */
import { decodeRecord } from './decode.js';
import type { SourceRecord } from './event.js';
import type { CompiledRoute, RoutingTable } from './routing-table.js';
import type { RouteRunner } from './dispatch.js';
import type { SinkRecord } from './sink.js';

/** One route's part in an explanation. */
export interface RouteExplanation {
  readonly id: string;
  readonly processor: string;
  readonly plugin?: string;
  readonly priority: number;
  readonly fanout: boolean;
  /** Whether it runs for this event, and why (not). */
  readonly runs: boolean;
  readonly why: string;
  /** With `dryRun`: what it emitted (sink, target, value), or the error it failed with. */
  readonly outputs?: readonly { readonly output: string; readonly sink: string; readonly target: string; readonly value: unknown }[];
  readonly error?: { readonly code: string; readonly message: string };
}

/** The whole explanation of one event. */
export interface Explanation {
  readonly tableVersion: number;
  readonly decoded: boolean;
  readonly error?: { readonly code: string; readonly message: string };
  readonly key?: string;
  readonly routes: readonly RouteExplanation[];
  /** What happens in the end: processed by N routes, dead-lettered (and why), or dropped. */
  readonly verdict: string;
}

/** Explains one raw value (bytes, JSON text or an envelope object) under `table`. */
export async function explain(
  table: RoutingTable,
  value: SourceRecord['value'],
  options: { readonly unmatched: 'dead-letter' | 'drop'; readonly run?: RouteRunner },
): Promise<Explanation> {
  const record: SourceRecord = { value, key: null, headers: {}, topic: 'explain', partition: 0, offset: '0' };
  const decoded = decodeRecord(record);
  if (!decoded.ok) {
    const error = { code: decoded.error.code, message: decoded.error.message };
    return { tableVersion: table.version, decoded: false, error, routes: [], verdict: `dead-lettered: ${error.code}` };
  }
  const { event } = decoded;
  const key = `${event.domain}:${event.type}`;
  const running = new Set(table.lookup(event.domain, event.type));
  const candidates = table.routes.filter((r) => r.domain === event.domain && r.eventType === event.type);
  const routes: RouteExplanation[] = [];
  for (const route of candidates) {
    const base = { id: route.id, processor: route.row.processor, priority: route.priority, fanout: route.fanout, ...(route.handle ? { plugin: route.handle.registered.id } : {}) };
    if (!running.has(route)) {
      routes.push({ ...base, runs: false, why: whyNot(route, running) });
      continue;
    }
    const why = [...running][0] === route ? 'highest-priority enabled route' : 'fan-out route';
    if (!options.run) {
      routes.push({ ...base, runs: true, why });
      continue;
    }
    const emitted: SinkRecord[] = [];
    const sinks: string[] = [];
    let failure = options.run(event, route, table, (sink, r) => {
      sinks.push(sink);
      emitted.push(r);
    });
    if (failure instanceof Promise) failure = await failure;
    routes.push({
      ...base,
      runs: true,
      why,
      outputs: emitted.map((r, i) => ({ output: r.output, sink: sinks[i]!, target: r.target, value: r.value })),
      ...(failure ? { error: { code: failure.error.code, message: failure.error.message } } : {}),
    });
  }
  for (const refusal of table.refused) {
    if (!candidates.some((r) => r.id === refusal.id)) routes.push({ id: refusal.id, processor: '?', priority: 0, fanout: false, runs: false, why: `row refused: ${refusal.code}: ${refusal.message}` });
  }
  const ran = routes.filter((r) => r.runs);
  const failed = ran.filter((r) => r.error);
  const verdict =
    ran.length === 0
      ? options.unmatched === 'dead-letter'
        ? 'dead-lettered: EVR_ERR_ROUTE_UNMATCHED (no enabled route)'
        : 'dropped: no enabled route (unmatched policy drop)'
      : failed.length > 0
        ? `dead-lettered by ${failed.length} of ${ran.length} routes: ${failed.map((r) => r.error!.code).join(', ')}`
        : `processed by ${ran.length} route${ran.length > 1 ? 's' : ''}`;
  return { tableVersion: table.version, decoded: true, key, routes, verdict };
}

function whyNot(route: CompiledRoute, running: ReadonlySet<CompiledRoute>): string {
  if (!route.enabled) return 'disabled';
  if (!route.handle) return 'no processor instance';
  const top = [...running][0];
  return top ? `lower priority than route ${top.id} and not fan-out` : 'not running';
}
