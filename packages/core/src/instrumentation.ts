/**
 * Instrumentation events, published on `node:diagnostics_channel` channels named `evroute:<event>`
 * (docs/events.md lists them and their payloads). With no subscriber, publishing is one check (the
 * caller still builds the payload object, so none is published per event on the hot path).
 */
import diagnosticsChannel from 'node:diagnostics_channel';

/** Every instrumentation event and its payload shape. */
export interface InstrumentationEvents {
  'config:applied': { version: number; sourceVersion: number; routes: number; refused: readonly unknown[] };
  'config:refused': { id: string; code: string; message: string; keptPrevious: boolean; version: number };
  'config:stale': { version: number; live: number };
  'config:source-error': { code: string; message: string };
  'event:dead-letter': { code: string; topic: string; partition: number; offset: string; route?: string };
  'event:unmatched': { key: string; policy: 'dead-letter' | 'drop' };
  'sink:retry': { sink: string; attempt: number; delayMs: number; code: string };
  'breaker:state': { route: string; plugin: string; from: string; to: string };
  'event:parked': { route: string; parked: number };
  'pipeline:backpressure': { inFlight: number; limit: number };
}

/** The channel name of an event. */
export type InstrumentationEvent = keyof InstrumentationEvents;

const channels = new Map<string, diagnosticsChannel.Channel>();

/** The diagnostics channel of an event, e.g. `channel('config:applied')` → `evroute:config:applied`. */
export function channel(event: InstrumentationEvent): diagnosticsChannel.Channel {
  let ch = channels.get(event);
  if (!ch) {
    ch = diagnosticsChannel.channel(`evroute:${event}`);
    channels.set(event, ch);
  }
  return ch;
}

/** Publishes an event when anyone listens. */
export function publish<E extends InstrumentationEvent>(event: E, payload: InstrumentationEvents[E]): void {
  const ch = channel(event);
  if (ch.hasSubscribers) ch.publish(payload);
}
