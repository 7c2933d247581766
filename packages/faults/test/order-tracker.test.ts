// The out-of-order counter: writes that go back in offset order within a partition count, replays
// after a redelivery or a reassignment do not, and duplicated event ids are matched in order.
import { describe, expect, it } from 'vitest';
import { OrderTracker } from '../src/index.js';

const record = (partition: number, offset: number, eventId: string) => ({ partition, offset: String(offset), value: Buffer.from(JSON.stringify({ eventId })) });

describe('OrderTracker', () => {
  it('counts nothing for writes in offset order, across partitions interleaved', () => {
    const t = new OrderTracker();
    t.delivered([record(0, 0, 'a'), record(0, 1, 'b'), record(1, 0, 'c'), record(0, 2, 'd')]);
    t.written([{ eventId: 'a' }, { eventId: 'c' }]);
    t.written([{ eventId: 'b' }, { eventId: 'd' }]);
    expect(t.report().outOfOrder).toBe(0);
  });

  it('counts a write that goes back within a partition', () => {
    const t = new OrderTracker();
    t.delivered([record(0, 0, 'a'), record(0, 1, 'b'), record(0, 2, 'c')]);
    t.written([{ eventId: 'c' }]);
    t.written([{ eventId: 'a' }, { eventId: 'b' }]);
    expect(t.report().outOfOrder).toBe(2);
    expect(t.report().details[0]).toMatch(/partition 0: offset 0 written after 2/);
  });

  it('matches a duplicated event id to its deliveries in order', () => {
    const t = new OrderTracker();
    t.delivered([record(0, 5, 'dup'), record(0, 6, 'x'), record(0, 7, 'dup')]);
    t.written([{ eventId: 'dup' }, { eventId: 'x' }, { eventId: 'dup' }]);
    expect(t.report().outOfOrder).toBe(0);
  });

  it('starts a partition afresh when it is delivered again from an earlier offset', () => {
    const t = new OrderTracker();
    t.delivered([record(0, 0, 'a'), record(0, 1, 'b')]);
    t.written([{ eventId: 'a' }, { eventId: 'b' }]);
    t.delivered([record(0, 0, 'a'), record(0, 1, 'b')]); // replay after a restart or rebalance
    t.written([{ eventId: 'a' }, { eventId: 'b' }]);
    expect(t.report().outOfOrder).toBe(0);
  });

  it('ignores values that are not JSON envelopes', () => {
    const t = new OrderTracker();
    t.delivered([{ partition: 0, offset: '0', value: Buffer.from([0xff, 0x00]) }, { partition: 0, offset: '1', value: null }]);
    t.written([{ eventId: undefined }]);
    expect(t.report().outOfOrder).toBe(0);
  });
});
