/**
 * Runs plugins in-memory against events, through the real router (decode, routing, fault isolation,
 * output binding), and returns what they produced: a plugin test harness in the spirit of Flink's
 * operator test harness. Every declared output is captured; nothing leaves the process.
 */
import { createRouter, InMemoryConfigSource, type DeadLetterRecord, type FaultIsolationOptions, type OutputBinding, type RouteRow } from '@evroute/core';
import { silentLogger } from './fixtures.js';
import { MemoryLog } from './memory-log.js';
import { MemoryDeadLetterSink, MemorySink } from './memory-sink.js';
import { MemorySource } from './memory-source.js';
import { waitFor } from './wait-for.js';

/** One captured output. */
export interface CapturedOutput {
  /** The input event's id (from the envelope), when it decoded. */
  readonly eventId: string | undefined;
  readonly to: string;
  readonly target: string;
  readonly key: string | null;
  readonly value: Readonly<Record<string, unknown>>;
}

/** What {@link runPlugins} takes. */
export interface RunPluginsOptions {
  /** Plugin manifests (definePlugin results or default exports of bundles). */
  readonly plugins: readonly unknown[];
  /** Routing rows, as in production. */
  readonly routes: readonly RouteRow[];
  /** Events: envelopes as objects or JSON text, or raw bytes. */
  readonly events: readonly (object | string | Uint8Array)[];
  /** Services for `ctx.services` (e.g. fake dimension lookups). */
  readonly services?: Readonly<Record<string, unknown>>;
  /** Output bindings; default: every declared output captured with target = output name. */
  readonly outputs?: Readonly<Record<string, OutputBinding>>;
  /** Fault isolation for the run; default: no retries, no breaker (tests want the first answer). */
  readonly faultIsolation?: FaultIsolationOptions;
  readonly timeoutMs?: number;
}

/** What {@link runPlugins} returns. */
export interface PluginRun {
  readonly outputs: readonly CapturedOutput[];
  readonly deadLetters: readonly DeadLetterRecord[];
  /** Outputs grouped by input event id. */
  byEvent(eventId: string): CapturedOutput[];
}

const CAPTURE = 'capture';

/** Runs the events through the plugins and routes; resolves when every event is acknowledged. */
export async function runPlugins(options: RunPluginsOptions): Promise<PluginRun> {
  const log = new MemoryLog({ partitions: 1 });
  const source = new MemorySource(log, { batchSize: 100 });
  const sink = new MemorySink(CAPTURE);
  const dlq = new MemoryDeadLetterSink();
  const declared = new Set<string>();
  for (const p of options.plugins) for (const name of Object.keys((p as { outputs?: object }).outputs ?? {})) declared.add(name);
  const outputs = options.outputs ?? Object.fromEntries([...declared].map((name) => [name, { sink: CAPTURE, target: name }]));
  const router = createRouter({
    source,
    config: new InMemoryConfigSource(options.routes),
    plugins: options.plugins,
    sinks: { [CAPTURE]: sink },
    outputs,
    deadLetter: dlq,
    services: { shared: options.services ?? {} },
    logger: silentLogger(),
    batch: { size: 100, lingerMs: 1 },
    faultIsolation: options.faultIsolation ?? { retries: 0, breaker: false },
  });
  await router.start();
  try {
    log.append(options.events.map((e) => ({ value: e instanceof Uint8Array || typeof e === 'string' ? e : JSON.stringify(e) })));
    await waitFor(() => log.uncommitted === 0, { timeout: options.timeoutMs ?? 10_000, message: 'every event processed' });
  } finally {
    await router.stop();
  }
  const captured: CapturedOutput[] = sink.records.map((r) => ({
    eventId: r.eventId,
    to: r.output,
    target: r.target,
    key: r.key,
    value: r.value,
  }));
  return {
    outputs: captured,
    deadLetters: dlq.records,
    byEvent: (eventId) => captured.filter((c) => c.eventId === eventId),
  };
}
