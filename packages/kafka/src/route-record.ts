/**
 * The record format of the routing config topic. Key = the route id; value = the route row as JSON in
 * the seed's `routing_configs` column names; a null value (tombstone) deletes the route:
 *
 *     key: "1"
 *     value: {"domain":"wrongbook","event_type":"wrongbook_add",
 *             "processor_class":"com.flink.realtime.topics.wrongbook.processor.WrongbookAddProcessor",
 *             "enabled":1,"priority":0,"config_json":{"cache_ttl":"10min"}}
 *
 * `outputs` and `fanout` are our optional extras, as in `RouteRow`.
 */
import type { OutputBinding, RouteRow } from '@evroute/core';

/** A route row as JSON on the config topic, in the seed's column names. */
export interface RouteRecordValue {
  readonly domain: string;
  readonly event_type: string;
  readonly processor_class: string;
  /** `1`/`0` like the seed's TINYINT, or a boolean; default enabled. */
  readonly enabled?: boolean | 0 | 1;
  /** Default 0. */
  readonly priority?: number;
  /** An object, a JSON string, or null. */
  readonly config_json?: unknown;
  readonly outputs?: Readonly<Record<string, OutputBinding | null>>;
  readonly fanout?: boolean;
}

/** The outcome of reading one config record. */
export type ParsedRoute = { readonly ok: true; readonly route: RouteRow } | { readonly ok: false; readonly reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function flag(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return true;
  if (value === true || value === 1 || value === '1' || value === 'true') return true;
  if (value === false || value === 0 || value === '0' || value === 'false') return false;
  return undefined;
}

function outputsOf(value: unknown): Record<string, OutputBinding | null> | string {
  if (!isObject(value)) return '`outputs` must be an object of output name to {"sink", "target"} or null';
  const out: Record<string, OutputBinding | null> = {};
  for (const [name, binding] of Object.entries(value)) {
    if (binding === null) out[name] = null;
    else if (isObject(binding) && typeof binding.sink === 'string' && binding.sink !== '' &&
      (binding.target === undefined || (typeof binding.target === 'string' && binding.target !== ''))) {
      out[name] = binding.target === undefined ? { sink: binding.sink } : { sink: binding.sink, target: binding.target };
    } else return `\`outputs.${name}\` must be {"sink": string, "target"?: string} or null`;
  }
  return out;
}

/**
 * Reads the value of config record `id`. Accepts the seed's column names, and `eventType` / `processor`
 * as spellings of `event_type` / `processor_class`. Never throws: a bad record comes back with the reason.
 */
export function parseRouteRecord(id: string, value: Uint8Array | string): ParsedRoute {
  const fail = (reason: string): ParsedRoute => ({ ok: false, reason: `route ${JSON.stringify(id)}: ${reason}` });
  let row: unknown;
  try {
    row = JSON.parse(typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8'));
  } catch (error) {
    return fail(`value is not JSON (${(error as Error).message})`);
  }
  if (!isObject(row)) return fail('value must be a JSON object with the routing_configs columns');
  const text = (name: string, alias: string): string | undefined => {
    const v = row[name] ?? row[alias];
    return typeof v === 'string' && v.trim() !== '' ? v : undefined;
  };
  const domain = text('domain', 'domain');
  const eventType = text('event_type', 'eventType');
  const processor = text('processor_class', 'processor');
  if (domain === undefined) return fail('`domain` must be a non-empty string');
  if (eventType === undefined) return fail('`event_type` must be a non-empty string');
  if (processor === undefined) return fail('`processor_class` must be a non-empty string');
  const enabled = flag(row.enabled);
  if (enabled === undefined) return fail('`enabled` must be 1, 0, true or false');
  const priorityRaw = row.priority ?? 0;
  const priority = typeof priorityRaw === 'string' && priorityRaw.trim() !== '' ? Number(priorityRaw) : priorityRaw;
  if (typeof priority !== 'number' || !Number.isInteger(priority)) return fail('`priority` must be an integer');
  const route: { -readonly [K in keyof RouteRow]: RouteRow[K] } = { id, domain, eventType, processor, enabled, priority };
  const config = row.config_json ?? row.config;
  if (config !== undefined) route.config = config;
  if (row.outputs !== undefined && row.outputs !== null) {
    const outputs = outputsOf(row.outputs);
    if (typeof outputs === 'string') return fail(outputs);
    route.outputs = outputs;
  }
  if (row.fanout !== undefined && row.fanout !== null) {
    if (typeof row.fanout !== 'boolean') return fail('`fanout` must be a boolean');
    route.fanout = row.fanout;
  }
  return { ok: true, route };
}

/** The JSON value of the config record for `route` (its `id` is the record key, not part of the value). */
export function encodeRouteRecord(route: RouteRow): string {
  const value: Record<string, unknown> = {
    domain: route.domain,
    event_type: route.eventType,
    processor_class: route.processor,
    enabled: route.enabled ? 1 : 0,
    priority: route.priority,
    config_json: route.config ?? null,
  };
  if (route.outputs !== undefined) value.outputs = route.outputs;
  if (route.fanout !== undefined) value.fanout = route.fanout;
  return JSON.stringify(value);
}
