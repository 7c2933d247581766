import { describe, expect, it } from 'vitest';
import { AckTracker } from '../src/ack-tracker.js';

const track = (tracker: AckTracker, topic: string, partition: number, from: number, count: number): void => {
  tracker.ensure(topic, partition).track(Array.from({ length: count }, (_, i) => ({ offset: String(from + i) })));
};

describe('AckTracker', () => {
  it('commits per partition, independently', () => {
    const t = new AckTracker();
    track(t, 'a', 0, 0, 3);
    track(t, 'a', 1, 50, 3);
    t.get('a', 1)?.ack('50');
    t.get('a', 0)?.ack('1');
    expect(t.pendingCommits()).toEqual([{ topic: 'a', partition: 1, offset: '51' }]);
  });

  it('drops revoked partitions: late acks are ignored and nothing is committed for them', () => {
    const t = new AckTracker();
    track(t, 'a', 0, 0, 5);
    track(t, 'a', 1, 0, 5);
    t.get('a', 0)?.ack('0');
    const dropped = t.assign([{ topic: 'a', partition: 1 }]);
    expect(dropped.map((w) => w.partition)).toEqual([0]);
    expect(t.get('a', 0)).toBeUndefined();
    expect(t.isAssigned('a', 0)).toBe(false);
    expect(t.pendingCommits()).toEqual([]);
    expect(t.unacked()).toBe(5);
  });

  it('keeps partitions that stay assigned, with their in-flight records', () => {
    const t = new AckTracker();
    track(t, 'a', 0, 0, 5);
    t.get('a', 0)?.ack('0');
    t.assign([{ topic: 'a', partition: 0 }, { topic: 'a', partition: 2 }]);
    t.get('a', 0)?.ack('1');
    expect(t.pendingCommits()).toEqual([{ topic: 'a', partition: 0, offset: '2' }]);
  });

  it('records commits and reports positions with lag', () => {
    const t = new AckTracker();
    track(t, 'b', 0, 0, 2);
    track(t, 'a', 0, 0, 2);
    t.get('a', 0)?.observeHigh('10');
    t.get('a', 0)?.ack('0');
    t.markCommitted(t.pendingCommits());
    t.markCommitted([{ topic: 'gone', partition: 9, offset: '1' }]);
    expect(t.pendingCommits()).toEqual([]);
    expect(t.positions()).toEqual([
      { topic: 'a', partition: 0, committed: '1', acknowledged: '1', window: 1, lag: '9' },
      { topic: 'b', partition: 0, committed: null, acknowledged: null, window: 2, lag: null },
    ]);
  });
});
