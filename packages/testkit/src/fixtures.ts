/** Small builders for tests: event envelopes and a logger that writes nothing. */
import { pino, type Logger } from 'pino';

/** A valid event envelope as JSON text, with `overrides` merged in. */
export function envelope(domain: string, type: string, payload: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ domain, type, eventId: `${domain}-${type}-${Math.random().toString(36).slice(2)}`, timestamp: Date.now(), payload, ...overrides });
}

/** A pino logger at level `silent`, or at `EVROUTE_TEST_LOG` when that is set (e.g. `debug`). */
export function silentLogger(): Logger {
  return pino({ level: process.env['EVROUTE_TEST_LOG'] ?? 'silent' });
}
