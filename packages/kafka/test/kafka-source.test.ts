// KafkaSource's bookkeeping, driven through the client seam by a scripted group consumer (the real
// broker runs in the *.integration tests): what is committed when, what a revocation does to late acks,
// how the uncommitted window and a stopped pipeline pause partitions, and the close sequence.
import type { SourceHandler, SourceRecord } from '@evroute/core';
import { describe, expect, it } from 'vitest';
import type { BatchControl, BatchHandler, GroupConsumer, GroupEvent, KafkaClient, TopicPartition, TopicPartitionOffset } from '../src/client.js';
import { KafkaSource } from '../src/index.js';

class ScriptedConsumer implements GroupConsumer {
  handler: BatchHandler | null = null;
  listener: ((event: GroupEvent) => void) | null = null;
  readonly commits: TopicPartitionOffset[][] = [];
  readonly paused = new Set<string>();
  readonly advanced = new Map<number, string>();
  disconnected = false;
  connect = async (): Promise<void> => {};
  subscribe = async (): Promise<void> => {};
  run = async (handler: BatchHandler): Promise<void> => {
    this.handler = handler;
    this.assign([0, 1]);
  };
  commit = async (offsets: readonly TopicPartitionOffset[]): Promise<void> => {
    this.commits.push([...offsets]);
  };
  pause = (tps: readonly TopicPartition[]): void => tps.forEach((tp) => this.paused.add(`${tp.topic}/${tp.partition}`));
  resume = (tps: readonly TopicPartition[]): void => tps.forEach((tp) => this.paused.delete(`${tp.topic}/${tp.partition}`));
  onEvent = (listener: (event: GroupEvent) => void): (() => void) => {
    this.listener = listener;
    return () => (this.listener = null);
  };
  disconnect = async (): Promise<void> => {
    this.disconnected = true;
  };

  assign(partitions: number[]): void {
    this.listener?.({ type: 'assigned', assignment: partitions.map((partition) => ({ topic: 't', partition })) });
  }

  /** Hands a batch of `offsets` of `partition` to the source, as the client's fetch loop would. */
  async batch(partition: number, offsets: number[], control: Partial<BatchControl> = {}): Promise<void> {
    await this.handler?.(
      {
        topic: 't',
        partition,
        highWatermark: String((offsets.at(-1) ?? 0) + 1),
        messages: offsets.map((o) => ({ key: Buffer.from(`k${o}`), value: Buffer.from(`{"o":${o}}`), offset: String(o), timestamp: '1700000000000', headers: { h: Buffer.from('v') } })),
      },
      {
        advance: (offset) => this.advanced.set(partition, offset),
        heartbeat: async () => {},
        isRunning: () => true,
        isStale: () => false,
        ...control,
      },
    );
  }

  lastCommit(): Record<number, string> {
    return Object.fromEntries(this.commits.flat().map(({ partition, offset }) => [partition, offset]));
  }
}

function setup(options: { maxUncommittedPerPartition?: number; maxBlockMs?: number; heartbeatIntervalMs?: number; maxRecordsPerDeliver?: number } = {}) {
  const consumer = new ScriptedConsumer();
  const client: KafkaClient = {
    groupConsumer: () => consumer,
    producer: () => {
      throw new Error('unused');
    },
    admin: () => {
      throw new Error('unused');
    },
  };
  const source = new KafkaSource({ brokers: ['b:9092'], groupId: 'g', topics: ['t'], clientFactory: () => client, commitIntervalMs: 60_000, ...options });
  const delivered: SourceRecord[] = [];
  const calls: number[] = [];
  let accept: Promise<void> = Promise.resolve();
  const handler: SourceHandler = {
    deliver: (records) => {
      delivered.push(...records);
      calls.push(records.length);
      return accept;
    },
  };
  const setAccept = (next: Promise<void>): void => {
    accept = next;
  };
  return { consumer, source, delivered, calls, handler, setAccept };
}

const signal = (): AbortSignal => AbortSignal.timeout(5_000);
const at = (records: SourceRecord[], ...offsets: number[]) => records.filter((r) => offsets.includes(Number(r.offset)));

describe('KafkaSource (scripted client)', () => {
  it('delivers decoded records and commits only the contiguous acked prefix', async () => {
    const { consumer, source, delivered, handler } = setup();
    await source.start(handler, signal());
    expect(source.healthy()).toBe(true);
    await consumer.batch(0, [0, 1, 2, 3]);
    expect(consumer.advanced.get(0)).toBe('3');
    expect(delivered[0]).toMatchObject({ topic: 't', partition: 0, offset: '0', key: 'k0', headers: { h: 'v' }, timestamp: 1_700_000_000_000 });
    expect(Buffer.from(delivered[0]?.value as Uint8Array).toString()).toBe('{"o":0}');

    source.ack(at(delivered, 1, 3));
    await source.commit();
    expect(consumer.commits).toEqual([]);
    source.ack(at(delivered, 0));
    await source.commit();
    expect(consumer.lastCommit()).toEqual({ 0: '2' });
    source.ack(at(delivered, 2));
    await source.commit();
    expect(consumer.lastCommit()).toEqual({ 0: '4' });
    expect(source.committed()).toEqual([{ topic: 't', partition: 0, offset: '4' }]);
    await source.close(signal());
  });

  it('does not deliver records again that a rebalance refetched, for a partition it kept', async () => {
    const { consumer, source, delivered, handler } = setup();
    await source.start(handler, signal());
    await consumer.batch(0, [0, 1, 2]);
    consumer.assign([0]);
    await consumer.batch(0, [0, 1, 2, 3]);
    expect(delivered.map((r) => r.offset)).toEqual(['0', '1', '2', '3']);
    await source.close(signal());
  });

  it('ignores late acks for a revoked partition and never commits it again', async () => {
    const { consumer, source, delivered, handler } = setup();
    await source.start(handler, signal());
    await consumer.batch(1, [10, 11]);
    source.ack(at(delivered, 10));
    await source.commit();
    expect(consumer.lastCommit()).toEqual({ 1: '11' });
    consumer.listener?.({ type: 'rebalancing' });
    consumer.assign([0]);
    source.ack(at(delivered, 11));
    await source.commit();
    expect(consumer.commits.flat().filter((c) => c.offset === '12')).toEqual([]);
    expect(source.positions().map((p) => p.partition)).toEqual([]);
    // A batch of a partition no longer assigned (fetched before the rebalance) is not delivered.
    await consumer.batch(1, [12]);
    expect(delivered).toHaveLength(2);
    await source.close(signal());
  });

  it('pauses a partition whose uncommitted window is full and resumes it when half is acked', async () => {
    const { consumer, source, delivered, handler } = setup({ maxUncommittedPerPartition: 4 });
    await source.start(handler, signal());
    await consumer.batch(0, [0, 1, 2, 3]);
    expect(consumer.paused.has('t/0')).toBe(true);
    source.ack(at(delivered, 1, 2, 3));
    expect(consumer.paused.has('t/0')).toBe(true); // acked out of order: still behind offset 0
    source.ack(at(delivered, 0));
    expect(consumer.paused.has('t/0')).toBe(false);
    await source.close(signal());
  });

  it('heartbeats while waiting; pauses a partition not accepted in maxBlockMs and resumes it on acceptance', async () => {
    const { consumer, source, handler, setAccept } = setup({ maxBlockMs: 100, heartbeatIntervalMs: 10 });
    await source.start(handler, signal());
    let accept!: () => void;
    setAccept(new Promise<void>((resolve) => (accept = resolve)));
    let heartbeats = 0;
    await consumer.batch(0, [0, 1], { heartbeat: async () => void heartbeats++ });
    expect(consumer.paused.has('t/0')).toBe(true);
    expect(consumer.advanced.get(0)).toBe('1');
    accept();
    await new Promise((resolve) => setImmediate(resolve));
    expect(consumer.paused.has('t/0')).toBe(false);
    expect(heartbeats).toBeGreaterThanOrEqual(3);
    await source.close(signal());
  });

  it('lets a rebalance detected by a heartbeat through, with the waiting partition paused', async () => {
    const { consumer, source, handler, setAccept } = setup({ maxBlockMs: 1_000, heartbeatIntervalMs: 5 });
    await source.start(handler, signal());
    let accept!: () => void;
    setAccept(new Promise<void>((resolve) => (accept = resolve)));
    const rebalancing = Object.assign(new Error('rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
    await expect(consumer.batch(0, [0], { heartbeat: () => Promise.reject(rebalancing) })).rejects.toBe(rebalancing);
    expect(consumer.paused.has('t/0')).toBe(true);
    accept();
    await new Promise((resolve) => setImmediate(resolve));
    expect(consumer.paused.has('t/0')).toBe(false);
    await source.close(signal());
  });

  it('delivers a big batch in chunks, and leaves the rest for later when a chunk is not accepted in time', async () => {
    const { consumer, source, calls, handler, setAccept } = setup({ maxRecordsPerDeliver: 1_000, maxBlockMs: 20 });
    await source.start(handler, signal());
    await consumer.batch(0, Array.from({ length: 2_500 }, (_, i) => i));
    expect(calls).toEqual([1_000, 1_000, 500]);
    let accept!: () => void;
    setAccept(new Promise<void>((resolve) => (accept = resolve)));
    await consumer.batch(1, Array.from({ length: 2_500 }, (_, i) => i));
    expect(calls).toEqual([1_000, 1_000, 500, 1_000]);
    expect(consumer.advanced.get(1)).toBe('999'); // the client fetches 1000.. again once resumed
    expect(consumer.paused.has('t/1')).toBe(true);
    accept();
    await new Promise((resolve) => setImmediate(resolve));
    expect(consumer.paused.has('t/1')).toBe(false);
    await source.close(signal());
  });

  it('stops delivering when the pipeline is stopped, and reports unhealthy', async () => {
    const { consumer, source, delivered, handler, setAccept } = setup();
    await source.start(handler, signal());
    setAccept(Promise.reject(Object.assign(new Error('stopped'), { code: 'EVR_ERR_PIPELINE_STOPPED' })));
    await consumer.batch(0, [0]);
    expect(source.healthy()).toBe(false);
    expect(consumer.paused.has('t/0') && consumer.paused.has('t/1')).toBe(true);
    setAccept(Promise.resolve());
    await consumer.batch(1, [5]);
    expect(delivered.map((r) => r.offset)).toEqual(['0']);
    await source.close(signal());
  });

  it('commits what is acknowledged on close, then disconnects; close is idempotent', async () => {
    const { consumer, source, delivered, handler } = setup();
    await source.start(handler, signal());
    await consumer.batch(0, [0, 1]);
    source.ack(delivered);
    await Promise.all([source.close(signal()), source.close(signal())]);
    expect(consumer.lastCommit()).toEqual({ 0: '2' });
    expect(consumer.disconnected).toBe(true);
    expect(source.healthy()).toBe(false);
    source.ack(delivered); // late acks after close are harmless
  });

  it('rejects bad options with EVR_ERR_KAFKA_OPTIONS_INVALID, without echoing secrets', () => {
    const make = (o: Record<string, unknown>) => () => new KafkaSource({ brokers: ['b:1'], groupId: 'g', topics: ['t'], ...o });
    expect(make({ topics: [], topicPattern: /x/ })).toThrow(/exactly one of/);
    expect(make({ groupId: '' })).toThrow(/groupId/);
    expect(make({ brokers: ['nohost'] })).toThrow(/host:port/);
    expect(make({ commitIntervalMs: -1 })).toThrow(/commitIntervalMs/);
    const sasl = make({ sasl: { mechanism: 'gssapi', username: 'u', password: 's3cret-pw' } });
    expect(sasl).toThrow(expect.objectContaining({ code: 'EVR_ERR_KAFKA_OPTIONS_INVALID' }));
    expect(sasl).not.toThrow(/s3cret-pw/);
  });
});
