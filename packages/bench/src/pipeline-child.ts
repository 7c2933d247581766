/**
 * One pipeline instance in its own process, so its CPU time is its own: `node pipeline-child.js
 * '<InstanceOptions as JSON>'`, forked by instances.ts. It starts the evroute or the hand-written
 * pipeline, holds the first batch until the parent's go, reports progress, and on stop sends its report
 * and exits.
 */
import { startBaseline } from './baseline-e2e.js';
import { startEvroute } from './evroute-pipeline.js';
import { RunProbe, type ChildMessage, type InstanceOptions, type ParentMessage } from './run-probe.js';
import { quietKafkajsTimerWarnings } from './quiet-warnings.js';

quietKafkajsTimerWarnings();

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as InstanceOptions;
  const probe = new RunProbe(send);
  const stop = options.side === 'evroute' ? await startEvroute(options, probe) : await startBaseline(options, probe);
  let reported = -1;
  const progress = setInterval(() => {
    if (probe.written !== reported) send({ type: 'progress', written: (reported = probe.written) });
  }, 50);
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'go') {
      probe.go();
      return;
    }
    clearInterval(progress);
    const report = probe.report();
    stop().then(
      () => process.send?.({ type: 'report', ...report } satisfies ChildMessage, undefined, undefined, () => process.exit(0)),
      (error: unknown) => process.send?.({ type: 'failed', error: String(error) } satisfies ChildMessage, undefined, undefined, () => process.exit(1)),
    );
  });
}

main().catch((error: unknown) => {
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100).unref();
});
