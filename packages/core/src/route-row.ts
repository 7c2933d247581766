/**
 * Reads a routing row given in either spelling: ours (`eventType`, `processor`, `config`) or the seed's
 * `routing_configs` columns (`event_type`, `processor_class`, `config_json`, `enabled` as 0/1). Shapes
 * are checked later by the router, which refuses a bad row with a coded error.
 */
import type { OutputBinding, RouteRow } from './config-source.js';

type Loose = Record<string, unknown>;

function parseOutputs(value: unknown): Record<string, OutputBinding | null> {
  if (typeof value !== 'string') return value as Record<string, OutputBinding | null>;
  try {
    return JSON.parse(value) as Record<string, OutputBinding | null>;
  } catch (error) {
    throw new Error(`outputs_json is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Maps a row object in either spelling to a {@link RouteRow}; `fallbackId` is used when it has no id.
 * Throws an Error naming the column when `outputs_json` is not JSON (callers report that row alone).
 */
export function routeFromColumns(input: unknown, fallbackId: string): RouteRow {
  const row = (typeof input === 'object' && input !== null ? input : {}) as Loose;
  const pick = (...names: string[]): unknown => names.map((n) => row[n]).find((v) => v !== undefined && v !== null);
  const enabled = pick('enabled');
  const outputs = pick('outputs', 'outputs_json');
  const fanout = pick('fanout');
  const id = pick('id');
  return {
    id: typeof id === 'string' || typeof id === 'number' || typeof id === 'bigint' ? String(id) : fallbackId,
    domain: pick('domain') as string,
    eventType: pick('eventType', 'event_type') as string,
    processor: pick('processor', 'processor_class') as string,
    enabled: enabled === undefined ? true : enabled === true || enabled === 1 || enabled === '1',
    priority: Number(pick('priority') ?? 0),
    config: pick('config', 'config_json'),
    ...(outputs === undefined ? {} : { outputs: parseOutputs(outputs) }),
    ...(fanout === undefined ? {} : { fanout: fanout === true || fanout === 1 || fanout === '1' }),
  };
}
