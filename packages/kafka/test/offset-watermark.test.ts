import { assert, boolean, func, infiniteStream, nat, property, uniqueArray } from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartitionWatermark } from '../src/offset-watermark.js';

const offsets = (from: number, count: number): Array<{ offset: string }> =>
  Array.from({ length: count }, (_, i) => ({ offset: String(from + i) }));

describe('PartitionWatermark', () => {
  it('commits nothing until the first delivered offset is acked', () => {
    const w = new PartitionWatermark('t', 0);
    w.track(offsets(10, 3));
    expect(w.commitOffset()).toBeNull();
    w.ack('11');
    w.ack('12');
    expect(w.commitOffset()).toBeNull();
    expect(w.window).toBe(3);
    w.ack('10');
    expect(w.commitOffset()).toBe('13');
    expect(w.window).toBe(0);
  });

  it('stops at a gap of unacknowledged records and jumps over it once filled', () => {
    const w = new PartitionWatermark('t', 0);
    w.track(offsets(0, 6));
    for (const o of ['0', '1', '3', '4', '5']) w.ack(o);
    expect(w.commitOffset()).toBe('2');
    expect(w.unacked).toBe(1);
    w.ack('2');
    expect(w.commitOffset()).toBe('6');
  });

  it('follows delivered offsets, not arithmetic: holes from compaction or control records are skipped', () => {
    const w = new PartitionWatermark('t', 0);
    w.track([{ offset: '3' }, { offset: '7' }, { offset: '8' }]);
    w.ack('7');
    w.ack('3');
    expect(w.commitOffset()).toBe('8');
    w.ack('8');
    expect(w.commitOffset()).toBe('9');
  });

  it('is exact past 2^53', () => {
    const base = 2n ** 63n - 10n;
    const w = new PartitionWatermark('t', 0);
    w.track(Array.from({ length: 5 }, (_, i) => ({ offset: (base + BigInt(i)).toString() })));
    for (let i = 4; i >= 0; i--) w.ack((base + BigInt(i)).toString());
    expect(w.commitOffset()).toBe((base + 5n).toString());
    expect(w.commitOffset()).toBe('9223372036854775803');
  });

  it('ignores duplicate, unknown and early acks', () => {
    const w = new PartitionWatermark('t', 0);
    w.track(offsets(0, 2));
    expect(w.ack('0')).toBe(true);
    expect(w.ack('0')).toBe(false);
    expect(w.ack('99')).toBe(false);
    expect(w.commitOffset()).toBe('1');
  });

  it('skips records delivered again after a refetch from the committed offset', () => {
    const w = new PartitionWatermark('t', 0);
    w.track(offsets(0, 10));
    for (let i = 0; i < 4; i++) w.ack(String(i));
    // The client rejoined and fetched from committed offset 2 again: 2..9 are known, 10..11 are new.
    expect(w.track(offsets(2, 10))).toBe(8);
    expect(w.unacked).toBe(8);
    for (let i = 4; i < 12; i++) w.ack(String(i));
    expect(w.commitOffset()).toBe('12');
  });

  it('reports only commits that move forward', () => {
    const w = new PartitionWatermark('t', 0);
    w.track(offsets(0, 3));
    w.ack('0');
    expect(w.pendingCommit()).toBe('1');
    w.markCommitted('1');
    expect(w.pendingCommit()).toBeNull();
    w.ack('1');
    expect(w.pendingCommit()).toBe('2');
    expect(w.committed).toBe('1');
  });

  it('computes lag from the end offset', () => {
    const w = new PartitionWatermark('t', 0);
    w.track(offsets(0, 3));
    w.observeHigh('100');
    w.ack('0');
    expect(w.lag()).toBe(99n);
  });

  it('keeps memory to the uncommitted window (compaction) over a long run', () => {
    const w = new PartitionWatermark('t', 0);
    let next = 0;
    for (let round = 0; round < 200; round++) {
      w.track(offsets(next, 500));
      for (let i = next + 499; i >= next; i--) w.ack(String(i));
      next += 500;
    }
    expect(w.commitOffset()).toBe(String(next));
    expect(w.window).toBe(0);
  });

  it('property: the commit offset is one past the longest acked prefix of what was delivered', () => {
    assert(
      property(
        uniqueArray(nat({ max: 2_000 }), { minLength: 1, maxLength: 200 }).map((xs) => xs.sort((a, b) => a - b)),
        func(boolean()),
        infiniteStream(nat()),
        (delivered, shouldAck, picks) => {
          const w = new PartitionWatermark('t', 3);
          // Deliver in 1..4 batches, acking a random subset in a random order in between.
          const acked = new Set<number>();
          const pending: number[] = [];
          const pick = picks[Symbol.iterator]();
          let cursor = 0;
          while (cursor < delivered.length) {
            const size = 1 + ((pick.next().value as number) % Math.max(1, Math.ceil(delivered.length / 3)));
            const batch = delivered.slice(cursor, cursor + size);
            cursor += batch.length;
            w.track(batch.map((o) => ({ offset: String(o) })));
            pending.push(...batch);
            while (pending.length > 0 && shouldAck(pending.length)) {
              const [offset] = pending.splice((pick.next().value as number) % pending.length, 1) as [number];
              if (shouldAck(offset)) {
                w.ack(String(offset));
                acked.add(offset);
              }
            }
          }
          let prefix = 0;
          while (prefix < delivered.length && acked.has(delivered[prefix] as number)) prefix++;
          const expected = prefix === 0 ? null : String((delivered[prefix - 1] as number) + 1);
          expect(w.commitOffset()).toBe(expected);
          expect(w.unacked).toBe(delivered.length - acked.size);
          expect(w.window).toBe(delivered.length - prefix);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('acks 100 000 records in random order in well under a second', () => {
    const n = 100_000;
    const w = new PartitionWatermark('t', 0);
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    const started = performance.now();
    for (let b = 0; b < n; b += 5_000) w.track(offsets(b, 5_000));
    for (const o of order) w.ack(String(o));
    const took = performance.now() - started;
    expect(w.commitOffset()).toBe(String(n));
    expect(took).toBeLessThan(1_000);
  });
});
