/**
 * Maps rows of a `routing_configs` table (the seed's columns plus our optional `outputs_json` and
 * `fanout`) to `RouteRow`s, refusing a malformed row on its own, and detects changes by content (never
 * by `update_time`, which has one-second resolution and missed two updates within the same second).
 */
import type { ConfigSnapshot, OutputBinding, RouteRow } from '@evroute/core';

/** A `routing_configs` row as the driver returns it (optional columns absent when the table lacks them). */
export interface RoutingTableRow {
  readonly id: unknown;
  readonly domain: unknown;
  readonly event_type: unknown;
  readonly processor_class: unknown;
  readonly enabled: unknown;
  readonly priority: unknown;
  readonly config_json: unknown;
  readonly outputs_json?: unknown;
  readonly fanout?: unknown;
}

/** The routes and refused rows of one read, without a version yet. */
export interface RoutingContent {
  readonly routes: readonly RouteRow[];
  readonly invalid: ReadonlyArray<{ readonly id: string; readonly reason: string }>;
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return `${value}`;
  return JSON.stringify(value) ?? null;
}

function flag(value: unknown): boolean {
  // NULL counts as 0, as JDBC's getBoolean reads it.
  if (value === null || value === undefined) return false;
  return Number(value) !== 0;
}

function parseOutputs(raw: string): Readonly<Record<string, OutputBinding | null>> {
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('outputs_json must be a JSON object of output name → {"sink", "target"?} or null');
  }
  const outputs: Record<string, OutputBinding | null> = {};
  for (const [name, binding] of Object.entries(parsed as Record<string, unknown>)) {
    if (binding === null) {
      outputs[name] = null;
      continue;
    }
    const b = binding as { sink?: unknown; target?: unknown };
    if (typeof b !== 'object' || typeof b.sink !== 'string' || b.sink === '' || (b.target !== undefined && typeof b.target !== 'string')) {
      throw new Error(`outputs_json.${name} must be null or {"sink": string, "target"?: string}`);
    }
    outputs[name] = b.target === undefined ? { sink: b.sink } : { sink: b.sink, target: b.target };
  }
  return outputs;
}

/**
 * One table row → a route, or the reason it is refused (empty domain, event type or processor,
 * `config_json` that is not a JSON object, malformed `outputs_json`). `config` is handed on as the raw
 * `config_json` text (the router parses and validates it against the plugin schema) or `null`; a blank
 * `config_json` counts as `null`.
 */
export function toRouteRow(row: RoutingTableRow): { route: RouteRow } | { invalid: { id: string; reason: string } } {
  const id = text(row.id) ?? '';
  const fail = (reason: string): { invalid: { id: string; reason: string } } => ({ invalid: { id, reason } });
  const domain = text(row.domain);
  const eventType = text(row.event_type);
  const processor = text(row.processor_class);
  if (!domain) return fail('domain is empty');
  if (!eventType) return fail('event_type is empty');
  if (!processor) return fail('processor_class is empty');
  let config = text(row.config_json);
  if (config !== null && config.trim() === '') config = null;
  if (config !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(config);
    } catch (error) {
      return fail(`config_json is not valid JSON (${(error as Error).message})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return fail('config_json must be a JSON object');
    }
  }
  const route: { -readonly [K in keyof RouteRow]: RouteRow[K] } = {
    id,
    domain,
    eventType,
    processor,
    enabled: flag(row.enabled),
    priority: Number(row.priority ?? 0) || 0,
    config,
  };
  const outputsText = text(row.outputs_json);
  if (outputsText !== null && outputsText.trim() !== '') {
    try {
      route.outputs = parseOutputs(outputsText);
    } catch (error) {
      return fail(`outputs_json is invalid: ${(error as Error).message}`);
    }
  }
  if ('fanout' in row) route.fanout = flag(row.fanout);
  return { route };
}

/** All rows → routes and refused rows, ordered by id as the query returned them. */
export function toRoutingContent(rows: readonly RoutingTableRow[]): RoutingContent {
  const routes: RouteRow[] = [];
  const invalid: Array<{ id: string; reason: string }> = [];
  for (const row of rows) {
    const result = toRouteRow(row);
    if ('route' in result) routes.push(result.route);
    else invalid.push(result.invalid);
  }
  return { routes, invalid };
}

/** A string that differs whenever anything a router sees in the content differs. */
export function contentFingerprint(content: RoutingContent): string {
  return JSON.stringify([content.routes, content.invalid]);
}

/**
 * Tracks the last emitted content and hands out strictly increasing versions: the next version is the
 * greater of (last + 1) and the current time in ms, so a re-created source still moves forward.
 */
export class SnapshotTracker {
  #fingerprint: string | undefined;
  #version = 0;

  /** The snapshot to emit for `content`, or `undefined` when nothing changed since the last one. */
  next(content: RoutingContent, now: number = Date.now()): ConfigSnapshot | undefined {
    const fingerprint = contentFingerprint(content);
    if (fingerprint === this.#fingerprint) return undefined;
    this.#fingerprint = fingerprint;
    this.#version = Math.max(this.#version + 1, now);
    return { version: this.#version, routes: content.routes, invalid: content.invalid };
  }

  /** The version of the last emitted snapshot (0 before the first). */
  get version(): number {
    return this.#version;
  }
}
