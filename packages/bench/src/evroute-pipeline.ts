/**
 * The evroute side of the end-to-end benchmark, as a user would assemble it: `KafkaSource` → router
 * with the wrongbook add and fix plugins (routes as the seed's `routing_configs` rows, side outputs
 * off, no dimension service: the Flink baseline has no enrichment either) → `MySqlSink` upserting the
 * wide table in batches of `batchSize`, with the sink's own linger. The source and the sink are wrapped
 * to measure, not to change anything: the source holds the first batch until go and counts acknowledged
 * (durably written) events; the sink times each write.
 */
import { channel, createRouter, type DeadLetterRecord, type DeadLetterSink, type Sink, type SinkRecord, type Source, type SourceHandler, type SourceRecord, type WriteResult } from '@evroute/core';
import { KafkaSource } from '@evroute/kafka';
import { DEFAULT_MYSQL_LINGER_MS, MySqlSink } from '@evroute/mysql';
import wrongbookAdd from '@evroute/plugin-wrongbook-add';
import wrongbookFix from '@evroute/plugin-wrongbook-fix';
import { WIDE_TABLE } from '@evroute/wrongbook';
import { pino } from 'pino';
import type { InstanceOptions, RunProbe } from './run-probe.js';

/** The seed's two routing rows (processor_class names the original Java classes). */
export const WRONGBOOK_ROUTES = [
  { id: '1', domain: 'wrongbook', eventType: 'wrongbook_add', processor: 'com.flink.realtime.topics.wrongbook.processor.WrongbookAddProcessor', enabled: true, priority: 0, config: { emit_wrong_answers: false } },
  { id: '2', domain: 'wrongbook', eventType: 'wrongbook_fix', processor: 'com.flink.realtime.topics.wrongbook.processor.WrongbookFixProcessor', enabled: true, priority: 0, config: { emit_fix_metrics: false } },
] as const;

/** Passes everything through to the real source; holds deliveries until go and counts acks. */
class ProbedSource implements Source {
  readonly name: string;
  constructor(
    private readonly inner: Source,
    private readonly probe: RunProbe,
  ) {
    this.name = inner.name;
  }
  start(handler: SourceHandler, signal: AbortSignal): Promise<void> {
    const probe = this.probe;
    return this.inner.start(
      {
        async deliver(records: readonly SourceRecord[]): Promise<void> {
          await probe.held();
          return handler.deliver(records);
        },
      },
      signal,
    );
  }
  ack(records: readonly SourceRecord[]): void {
    this.inner.ack(records);
    this.probe.wrote(records.length);
  }
  close(signal: AbortSignal): Promise<void> {
    return this.inner.close(signal);
  }
}

/** Passes writes through to the MySQL sink and times them (one performance.now pair per batch). */
class TimedSink implements Sink {
  readonly name: string;
  constructor(
    private readonly inner: MySqlSink,
    private readonly probe: RunProbe,
  ) {
    this.name = inner.name;
  }
  start(signal: AbortSignal): Promise<void> {
    return this.inner.start(signal);
  }
  write(records: readonly SinkRecord[], signal: AbortSignal): Promise<WriteResult> {
    return this.probe.timeWrite(() => this.inner.write(records, signal));
  }
  close(signal: AbortSignal): Promise<void> {
    return this.inner.close(signal);
  }
}

/** Counts dead letters; a correct run has none (the workload has no bad messages). */
class CountingDeadLetters implements DeadLetterSink {
  readonly name = 'count';
  count = 0;
  constructor(private readonly probe: RunProbe) {}
  write(records: readonly DeadLetterRecord[]): Promise<void> {
    this.count += records.length;
    this.probe.rejected += records.length;
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Starts an evroute instance; resolves to its stop function once it consumes. */
export async function startEvroute(options: InstanceOptions, probe: RunProbe): Promise<() => Promise<void>> {
  const source = new KafkaSource({ brokers: [...options.brokers], clientId: `evroute-bench-${process.pid}`, groupId: options.groupId, topics: [options.topic], fromBeginning: true });
  const sink = new MySqlSink({ name: 'db', connection: { url: options.mysqlUrl }, maxRowsPerStatement: options.batchSize });
  const router = createRouter({
    source: new ProbedSource(source, probe),
    config: {
      name: 'static',
      start: (handler) => Promise.resolve(handler.snapshot({ version: 1, routes: WRONGBOOK_ROUTES })),
      close: () => Promise.resolve(),
    },
    plugins: [wrongbookAdd, wrongbookFix],
    sinks: { db: new TimedSink(sink, probe) },
    outputs: { wide_table: { sink: 'db', target: WIDE_TABLE } },
    deadLetter: new CountingDeadLetters(probe),
    logger: pino({ level: 'silent' }),
    batch: { size: options.batchSize, lingerMs: DEFAULT_MYSQL_LINGER_MS },
  });
  const onBackpressure = (): void => {
    probe.backpressure++;
  };
  channel('pipeline:backpressure').subscribe(onBackpressure);
  await router.start();
  return async () => {
    channel('pipeline:backpressure').unsubscribe(onBackpressure);
    await router.stop({ timeoutMs: 10_000 });
  };
}
