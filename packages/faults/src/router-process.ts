/**
 * A router process under test: `node packages/faults/dist/router-process.js`, started by the suite with
 * an IPC channel. It waits for its config (first IPC message), builds the wrongbook router
 * (`router-wiring.ts`), starts it, reports `ready`, its memory every `rssIntervalMs`, its gates and its
 * write order, and stops gracefully on SIGTERM or a `stop` message. Logs go to stdout as pino JSON; the
 * suite captures every line (and scans them for secrets).
 */
import { pino, type Logger } from 'pino';
import { ChildGates, send } from './child-gates.js';
import { isMessage, type ParentMessage, type RouterProcessConfig } from './ipc.js';
import { OrderTracker } from './order-tracker.js';
import { wireRouter, type WiredRouter } from './router-wiring.js';

const logger: Logger = pino({ level: 'info', base: { pid: process.pid } });
let gates = new ChildGates({});
const order = new OrderTracker();
let wired: WiredRouter | undefined;
let stopping: Promise<void> | undefined;

function errorFields(error: unknown): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown } | null;
  return { code: typeof e?.code === 'string' ? e.code : 'UNKNOWN', message: typeof e?.message === 'string' ? e.message : String(error) };
}

async function start(config: RouterProcessConfig): Promise<void> {
  gates = new ChildGates(config.gates);
  const child = logger.child({ instance: config.name });
  wired = wireRouter(config, child, gates, order);
  const { router, loader, admin } = wired;
  const memory = setInterval(() => {
    const m = process.memoryUsage();
    send({ t: 'memory', rss: m.rss, heapUsed: m.heapUsed, at: Date.now() });
    const report = order.report();
    if (report.outOfOrder > 0) send({ t: 'order', ...report });
  }, config.rssIntervalMs);
  memory.unref();
  const deadline = new Promise<never>((_, reject) => {
    setTimeout(() => reject(Object.assign(new Error(`the router did not start within ${config.startTimeoutMs} ms`), { code: 'FAULTS_START_TIMEOUT' })), config.startTimeoutMs).unref();
  });
  try {
    await Promise.race([
      (async () => {
        await loader?.start();
        await router.start();
        await admin?.start();
      })(),
      deadline,
    ]);
  } catch (error) {
    child.error({ err: error }, 'router process could not start');
    send({ t: 'start-failed', ...errorFields(error) });
    await stop(1);
    return;
  }
  send({ t: 'ready', ...(admin?.url === undefined ? {} : { adminUrl: admin.url }) });
}

function stop(exitCode = 0): Promise<void> {
  stopping ??= (async () => {
    gates.releaseAll();
    const parts = wired;
    try {
      await parts?.admin?.close();
      await parts?.router.stop({ timeoutMs: 10_000 });
      await parts?.loader?.close();
    } catch (error) {
      logger.error({ err: error }, 'router process stop failed');
      exitCode = exitCode === 0 ? 1 : exitCode;
    }
    send({ t: 'stopped' });
    logger.flush();
    process.exit(exitCode);
  })();
  return stopping;
}

process.on('message', (raw: unknown) => {
  if (!isMessage<ParentMessage>(raw)) return;
  switch (raw.t) {
    case 'config':
      void start(raw.config);
      return;
    case 'release':
      gates.release(raw.id);
      return;
    case 'list-bundles':
      send({
        t: 'loader',
        id: raw.id,
        bundles: (wired?.loader?.list() ?? []).map((b) => ({ name: b.name, version: b.version, state: b.state, code: b.error?.code })),
      });
      return;
    case 'table': {
      const table = wired?.router.table();
      send({
        t: 'table',
        id: raw.id,
        table: {
          version: table?.version ?? -1,
          routes: (table?.routes ?? []).map((r) => ({
            id: r.id, processor: r.row.processor, enabled: r.enabled, live: r.handle !== undefined,
            config: typeof r.row.config === 'string' ? r.row.config : r.row.config === undefined || r.row.config === null ? null : JSON.stringify(r.row.config),
            pluginVersion: r.handle?.registered.plugin.version,
          })),
          refused: (table?.refused ?? []).map((r) => ({ id: r.id, code: r.code, keptPrevious: r.keptPrevious })),
          paused: wired?.router.pausedRoutes() ?? [],
        },
      });
      return;
    }
    case 'stop':
      void stop();
      return;
  }
});
process.on('SIGTERM', () => void stop());
// The suite is gone: nobody would stop this process or read what it reports.
process.on('disconnect', () => void stop());
