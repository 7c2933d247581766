// Three KafkaSource instances in one consumer group share six partitions; one is stopped mid-stream.
// The group rebalances, the two left take its partitions over from its committed offsets, and no
// event is lost; no instance ever commits past what the shared recording sink holds.
import { requireKafka, uniqueName, waitFor } from '@evroute/testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KafkaSource } from '../src/index.js';
import { CommitGuard, GuardedClient } from './support/guarded-client.js';
import { brokers, createTopic, endOffsets, groupOffsets, produceEvents } from './support/kafka-fixtures.js';
import { RecordingPipeline, RecordingSink } from './support/recording-pipeline.js';

beforeAll(async () => {
  await requireKafka();
});

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).toReversed()) await close();
});

describe('KafkaSource consumer group (real broker)', () => {
  it('three instances share the partitions; one stops mid-stream; the group rebalances and nothing is lost', async () => {
    const total = 60_000;
    const topic = await createTopic('src_group', 6);
    const groupId = uniqueName('src_group_group');
    await produceEvents(topic, total, 6);
    const ends = await endOffsets(topic);

    const sink = new RecordingSink();
    const guard = new CommitGuard(sink);
    const instances = [1, 2, 3].map((n) => {
      const pipeline = new RecordingPipeline(sink, { maxPending: 3_000, perTick: 8, maxDelayMs: 20 });
      const source = new KafkaSource({
        brokers: brokers(),
        groupId,
        topics: [topic],
        fromBeginning: true,
        name: `kafka-${n}`,
        commitIntervalMs: 100,
        heartbeatIntervalMs: 300,
        maxBlockMs: 300,
        clientFactory: new GuardedClient(guard).factory,
      });
      pipeline.source = source;
      closers.push(() => source.close(AbortSignal.timeout(10_000)), () => pipeline.stop());
      return { source, pipeline };
    });
    const [first, second, third] = instances as [(typeof instances)[0], (typeof instances)[0], (typeof instances)[0]];

    await Promise.all(instances.map(({ source, pipeline }) => source.start(pipeline, AbortSignal.timeout(30_000))));
    // Every instance owns partitions once the joins settle.
    await waitFor(() => instances.every(({ source }) => source.positions().length > 0), {
      timeout: 20_000,
      message: 'all three instances consuming',
    });
    await waitFor(() => sink.total >= total / 3, { timeout: 30_000, message: 'a third of the events written' });
    expect(sink.total).toBeLessThan(total);

    const stoppedAt = sink.total;
    const secondOwned = second.source.positions().map((p) => p.partition);
    await second.source.close(AbortSignal.timeout(10_000));
    second.pipeline.stop();
    expect(second.source.healthy()).toBe(false);

    await waitFor(() => sink.missing(ends).length === 0, { timeout: 45_000, message: 'every event written after the rebalance' });
    await waitFor(
      async () => {
        const group = await groupOffsets(groupId, topic);
        return [...ends].every(([partition, end]) => group.get(partition) === end);
      },
      { timeout: 15_000, interval: 200, message: 'group offsets == end offsets' },
    );

    expect(guard.violations).toEqual([]);
    const owned = [first, third].flatMap(({ source }) => source.positions().map((p) => p.partition));
    expect(owned.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(first.source.healthy() && third.source.healthy()).toBe(true);
    expect(sink.duplicates().length, 'redelivered records stay a fraction of the stream').toBeLessThan(total / 2);
    console.log(
      `[kafka-source-group] stopped instance 2 (partitions ${secondOwned.join(',')}) after ${stoppedAt}/${total} writes; ` +
        `${sink.duplicates().length} duplicates; ${guard.commits.length} partition commits`,
    );
  });
});
