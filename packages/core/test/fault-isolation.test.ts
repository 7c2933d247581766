import { describe, expect, it } from 'vitest';
import { channel, definePlugin, EvrouteError, type Event } from '@evroute/core';
import { waitFor } from '@evroute/testkit';
import { echo, harness, route } from './harness.js';

/** A plugin whose behaviour the test switches at run time. */
function switchable() {
  const state = { mode: 'ok' as 'ok' | 'throw' | 'flaky' | 'hang' | 'slow', calls: 0, seen: [] as string[] };
  const plugin = definePlugin({
    name: 'switchable',
    version: '1.0.0',
    core: '^0.1.0',
    outputs: { out: {} },
    create: () => ({
      process(event: Event) {
        state.calls++;
        const out = [{ to: 'out', value: { eventId: event.eventId, tag: 'sw' } }];
        switch (state.mode) {
          case 'throw':
            throw new Error('processor is down');
          case 'flaky':
            if (Math.random() < 0.3) throw new Error('flaky');
            return out;
          case 'hang':
            return new Promise<never>(() => undefined);
          case 'slow':
            return new Promise((resolve) => setTimeout(() => resolve(out), 5));
          case 'ok':
            break;
        }
        state.seen.push(event.eventId);
        return out;
      },
    }),
  });
  return { state, plugin };
}

const fast = { backoff: { initialMs: 1, maxMs: 2 } };

describe('fault isolation', () => {
  it('opens the breaker after 5 consecutive failures, dead-letters while open, half-opens and closes after 3 successes; other routes keep every event', async () => {
    const { state, plugin } = switchable();
    const transitions: string[] = [];
    const onState = (m: unknown): void => void transitions.push((m as { to: string }).to);
    channel('breaker:state').subscribe(onState);
    const h = await harness([route('bad', 'a', { processor: 'switchable' }), route('good', 'b')], {
      plugins: [echo, plugin],
      partitions: 1,
      faultIsolation: { ...fast, retries: 0, breaker: { openMs: 150 } },
    });
    try {
      state.mode = 'throw';
      h.send('a', 5);
      await waitFor(() => transitions.includes('open'));
      expect(state.calls).toBe(5); // no retries configured: five events, five failures
      const goodIds = h.send('b', 40);
      h.send('a', 10); // while open: straight to the fallback, the processor is not called
      await waitFor(() => h.log.uncommitted === 0);
      expect(state.calls).toBe(5);
      expect(h.dlq.withCode('EVR_ERR_PROCESSOR_FAILED')).toHaveLength(5);
      expect(h.dlq.withCode('EVR_ERR_PROCESSOR_CIRCUIT_OPEN')).toHaveLength(10);
      expect(h.sink.records.filter((r) => goodIds.includes(r.value['eventId'] as string))).toHaveLength(40);
      expect(h.router.breakers().find((b) => b.route === 'bad')?.state).toBe('open');
      expect(h.router.breakers().find((b) => b.route === 'good')?.state).toBe('closed');

      state.mode = 'ok';
      await waitFor(() => h.router.breakers().find((b) => b.route === 'bad')?.state === 'half-open');
      h.send('a', 3);
      await waitFor(() => transitions.includes('closed'));
      expect(transitions).toEqual(['open', 'half-open', 'closed']);
      await waitFor(() => h.log.uncommitted === 0);
      expect(state.seen).toHaveLength(3);
    } finally {
      channel('breaker:state').unsubscribe(onState);
      await h.router.stop();
    }
  });

  it('retries a flaky processor with backoff so that nothing is lost, counting attempts', async () => {
    const { state, plugin } = switchable();
    state.mode = 'flaky';
    const h = await harness([route('1', 'a', { processor: 'switchable', config: { retry_times: 10 } })], {
      plugins: [echo, plugin],
      faultIsolation: { ...fast, breaker: false },
    });
    const ids = h.send('a', 200);
    await waitFor(() => h.log.uncommitted === 0);
    expect(new Set(h.sink.records.map((r) => r.value['eventId']))).toEqual(new Set(ids));
    expect(state.calls).toBeGreaterThan(200);
    expect(h.dlq.records).toHaveLength(0);
    await h.router.stop();
  });

  it('times out a hanging processor, dead-letters the event with the timeout code, and keeps the partition flowing', async () => {
    const { state, plugin } = switchable();
    state.mode = 'hang';
    const h = await harness([route('1', 'a', { processor: 'switchable', config: { timeout_ms: 30, retry_times: 1 } }), route('2', 'b')], {
      plugins: [echo, plugin],
      partitions: 1,
      faultIsolation: fast,
    });
    h.send('a', 2);
    const good = h.send('b', 20);
    await waitFor(() => h.log.uncommitted === 0);
    expect(h.dlq.withCode('EVR_ERR_PROCESSOR_TIMEOUT').map((d) => d.attempts)).toEqual([2, 2]);
    expect(h.sink.records.map((r) => r.value['eventId'])).toEqual(good);
    await h.router.stop({ timeoutMs: 100 });
  });

  it('dead-letters a poison event after its retries with full context and commits past it', async () => {
    const poison = definePlugin({
      name: 'poison',
      version: '3.1.0',
      core: '^0.1.0',
      outputs: { out: {} },
      create: () => ({
        process(event: Event) {
          if (event.payload['poison']) throw new TypeError('cannot read properties of undefined');
          return [{ to: 'out', value: { eventId: event.eventId } }];
        },
      }),
    });
    const h = await harness([route('p', 'a', { processor: 'poison', config: { retry_times: 2 } })], { plugins: [echo, poison], partitions: 1, faultIsolation: fast });
    h.send('a', 5);
    h.send('a', 1, { poison: true });
    h.send('a', 5);
    await waitFor(() => h.log.uncommitted === 0);
    expect(h.log.committed).toEqual([11]);
    expect(h.sink.records).toHaveLength(10);
    const [dead] = h.dlq.records;
    expect(dead).toMatchObject({ code: 'EVR_ERR_PROCESSOR_FAILED', attempts: 3, plugin: 'poison', pluginVersion: '3.1.0', route: 'p', offset: '5', eventId: 'e5' });
    expect(dead?.stack).toContain('TypeError: cannot read properties of undefined');
    await h.router.stop();
  });

  it('does not retry or trip the breaker for a rejected (bad data) event', async () => {
    const strict = definePlugin({
      name: 'strict',
      version: '1.0.0',
      core: '^0.1.0',
      outputs: { out: {} },
      create: () => ({
        process() {
          throw new EvrouteError('EVR_ERR_PROCESSOR_REJECTED', 'wrong_id is empty');
        },
      }),
    });
    const h = await harness([route('s', 'a', { processor: 'strict' })], { plugins: [echo, strict], faultIsolation: fast });
    h.send('a', 12);
    await waitFor(() => h.log.uncommitted === 0);
    expect(h.dlq.withCode('EVR_ERR_PROCESSOR_REJECTED').map((d) => d.attempts)).toEqual(Array(12).fill(1));
    expect(h.router.breakers()[0]?.state).toBe('closed');
    await h.router.stop();
  });

  it('park: holds a failing route in order without holding other routes, and processes every parked event once it recovers', async () => {
    const { state, plugin } = switchable();
    const h = await harness([route('sw', 'a', { processor: 'switchable', config: { fallback: 'park' } }), route('other', 'b')], {
      plugins: [echo, plugin],
      partitions: 2,
      faultIsolation: { ...fast, retries: 1, breaker: { openMs: 50, failureThreshold: 3, successThreshold: 1 } },
    });
    state.mode = 'throw';
    const parkedIds = h.send('a', 30);
    const otherIds = h.send('b', 30);
    await waitFor(() => (h.router.stats().parked ?? 0) > 0);
    await waitFor(() => otherIds.every((id) => h.sink.records.some((r) => r.value['eventId'] === id)));
    expect(h.dlq.records).toHaveLength(0); // parked, not dead-lettered
    expect(h.log.uncommitted).toBeGreaterThan(0); // and not acknowledged while parked
    state.mode = 'ok';
    await waitFor(() => h.log.uncommitted === 0);
    // Every parked event processed exactly once, in the order each partition delivered them.
    expect([...state.seen].sort()).toEqual([...parkedIds].sort());
    for (const p of [0, 1]) {
      const order = h.log.partitions[p]!.map((r) => JSON.parse(r.value as string).eventId as string).filter((id) => parkedIds.includes(id));
      expect(state.seen.filter((id) => order.includes(id))).toEqual(order);
    }
    expect(h.dlq.records).toHaveLength(0);
    await h.router.stop();
  });

  it('bulkhead: a slow processor cannot hold more calls than its limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = definePlugin({
      name: 'slowpoke',
      version: '1.0.0',
      core: '^0.1.0',
      outputs: { out: {} },
      create: () => ({
        async process(event: Event) {
          peak = Math.max(peak, ++inFlight);
          await new Promise((r) => setTimeout(r, 10));
          inFlight--;
          return [{ to: 'out', value: { eventId: event.eventId } }];
        },
      }),
    });
    const h = await harness([route('s', 'a', { processor: 'slowpoke', config: { max_concurrency: 2 } }), route('other', 'b')], {
      plugins: [echo, slow],
      partitions: 6,
      faultIsolation: fast,
    });
    const ids = h.send('a', 60);
    const other = h.send('b', 60);
    await waitFor(() => h.log.uncommitted === 0, { timeout: 20_000 });
    expect(peak).toBeLessThanOrEqual(2);
    const written = new Set(h.sink.records.map((r) => r.value['eventId']));
    expect(other.every((id) => written.has(id))).toBe(true);
    // Calls beyond the limit wait for a slot: nothing is shed, nothing dead-lettered.
    expect(ids.every((id) => written.has(id))).toBe(true);
    expect(h.dlq.records).toHaveLength(0);
    await h.router.stop();
  });
});

describe('operator pause', () => {
  it('holds a paused route in order and releases every held event on resume; other routes flow', async () => {
    const h = await harness([route('1', 'a', { config: { tag: 'A' } }), route('2', 'b', { config: { tag: 'B' } })], { partitions: 1, faultIsolation: fast });
    h.router.pauseRoute('1');
    expect(h.router.pausedRoutes()).toEqual(['1']);
    const held = h.send('a', 10);
    const flowing = h.send('b', 10);
    await waitFor(() => flowing.every((id) => h.sink.records.some((r) => r.value['eventId'] === id)));
    expect(h.sink.records.filter((r) => r.value['tag'] === 'A')).toHaveLength(0);
    expect(h.log.uncommitted).toBeGreaterThan(0);
    h.router.resumeRoute('1');
    await waitFor(() => h.log.uncommitted === 0);
    expect(h.sink.records.filter((r) => r.value['tag'] === 'A').map((r) => r.value['eventId'])).toEqual(held);
    expect(h.dlq.records).toHaveLength(0);
    await h.router.stop();
  });
});
