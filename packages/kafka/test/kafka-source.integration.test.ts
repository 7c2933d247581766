// KafkaSource against the real broker: 100 000 events over 6 partitions, acknowledged out of order by a
// recording pipeline; every event must be delivered, no commit may run ahead of the sink, and after the
// drain the committed offsets must equal the end offsets.
import { requireKafka, uniqueName, waitFor } from '@evroute/testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KafkaSource } from '../src/index.js';
import { CommitGuard, GuardedClient } from './support/guarded-client.js';
import { brokers, createTopic, endOffsets, groupOffsets, produceEvents } from './support/kafka-fixtures.js';
import { RecordingPipeline, RecordingSink } from './support/recording-pipeline.js';

beforeAll(async () => {
  await requireKafka();
});

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).toReversed()) await close();
});

const asObject = (offsets: ReadonlyMap<number, string>): Record<number, string> => Object.fromEntries(offsets);

describe('KafkaSource (real broker)', () => {
  it('delivers 100 000 events from 6 partitions and commits exactly the end offsets after the drain', async () => {
    const total = 100_000;
    const topic = await createTopic('src_flow', 6);
    const groupId = uniqueName('src_flow_group');
    const t0 = performance.now();
    await produceEvents(topic, total, 6);
    const produced = performance.now();
    const ends = await endOffsets(topic);
    expect([...ends.values()].reduce((sum, end) => sum + Number(end), 0)).toBe(total);

    const sink = new RecordingSink();
    const guard = new CommitGuard(sink);
    const pipeline = new RecordingPipeline(sink, { maxPending: 30_000, maxDelayMs: 30 });
    const source = new KafkaSource({
      brokers: brokers(),
      groupId,
      topics: [topic],
      fromBeginning: true,
      commitIntervalMs: 200,
      partitionsConsumedConcurrently: 3,
      clientFactory: new GuardedClient(guard).factory,
    });
    pipeline.source = source;
    closers.push(() => source.close(AbortSignal.timeout(10_000)), async () => pipeline.stop());

    const started = performance.now();
    await source.start(pipeline, AbortSignal.timeout(30_000));
    expect(source.healthy()).toBe(true);
    await waitFor(() => sink.total >= total, { timeout: 45_000, message: `all ${total} events written` });
    const delivered = performance.now();
    await waitFor(
      () => {
        const committed = new Map(source.committed().map(({ partition, offset }) => [partition, offset]));
        return [...ends].every(([partition, end]) => committed.get(partition) === end);
      },
      { timeout: 10_000, message: 'committed offsets == end offsets' },
    );
    await source.close(AbortSignal.timeout(10_000));

    expect(sink.missing(ends)).toEqual([]);
    expect(guard.violations).toEqual([]);
    expect(guard.commits.length).toBeGreaterThan(6);
    expect(asObject(await groupOffsets(groupId, topic))).toEqual(asObject(ends));
    expect(source.healthy()).toBe(false);
    console.log(
      `[kafka-source] ${total} events: produce ${Math.round(produced - t0)} ms, consume+ack ${Math.round(delivered - started)} ms ` +
        `(${Math.round(total / ((delivered - started) / 1000))} ev/s), ${guard.commits.length} partition commits, ${sink.duplicates().length} duplicates`,
    );
  });
});
