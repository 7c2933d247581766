import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerState } from '@evroute/core';

describe('CircuitBreaker (seed semantics)', () => {
  it('opens after 5 consecutive failures, half-opens after the wait, closes after 3 half-open successes', () => {
    let now = 0;
    const moves: [BreakerState, BreakerState][] = [];
    const b = new CircuitBreaker({}, (from, to) => moves.push([from, to]), () => now);
    for (let i = 0; i < 4; i++) b.failure();
    b.success(); // a success in between resets the count
    for (let i = 0; i < 4; i++) b.failure();
    expect(b.state).toBe('closed');
    b.failure();
    expect(b.state).toBe('open');
    expect(b.allows()).toBe(false);
    now += 29_999;
    expect(b.allows()).toBe(false);
    now += 1;
    expect(b.state).toBe('half-open');
    b.success();
    b.success();
    expect(b.state).toBe('half-open');
    b.success();
    expect(b.state).toBe('closed');
    expect(moves).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'closed'],
    ]);
  });

  it('goes back to open on a failure in half-open, and waits the full time again', () => {
    let now = 0;
    const b = new CircuitBreaker({ failureThreshold: 2, successThreshold: 1, openMs: 100 }, undefined, () => now);
    b.failure();
    b.failure();
    now = 100;
    expect(b.state).toBe('half-open');
    b.failure();
    expect(b.state).toBe('open');
    now = 150;
    expect(b.remainingOpenMs).toBe(50);
    now = 200;
    expect(b.allows()).toBe(true);
  });
});

describe('seed fault.isolation.* properties', () => {
  it('map onto the fault-isolation options', async () => {
    const { isolationFromSeedProperties } = await import('@evroute/core');
    const seed = {
      'fault.isolation.enabled': 'true',
      'fault.isolation.circuit.breaker.enabled': 'true',
      'fault.isolation.failure.threshold': '5',
      'fault.isolation.success.threshold': '3',
      'fault.isolation.timeout.ms': '30000',
      'fault.isolation.fallback.enabled': 'true',
      'fault.isolation.bogus': 'x',
    };
    expect(isolationFromSeedProperties(seed)).toEqual({
      options: { breaker: { failureThreshold: 5, successThreshold: 3, openMs: 30000 }, fallback: 'dead-letter' },
      unknown: ['fault.isolation.bogus'],
    });
    expect(isolationFromSeedProperties({ ...seed, 'fault.isolation.fallback.enabled': 'false', 'fault.isolation.circuit.breaker.enabled': 'false' }).options).toEqual({ breaker: false, fallback: 'park' });
    expect(isolationFromSeedProperties({ 'fault.isolation.enabled': 'false' }).options).toMatchObject({ breaker: false, retries: 0 });
  });
});
