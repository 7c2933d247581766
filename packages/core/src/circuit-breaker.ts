/**
 * A consecutive-failure circuit breaker with the original job's semantics: open after N consecutive
 * failures, half-open after a wait, close after M consecutive successes in half-open (a failure there
 * opens it again).
 *
 * Why not cockatiel or opossum: both wrap every call in a promise, which would cost an allocation per
 * event on the synchronous fast path (the dispatch benchmark is sensitive to exactly that), and neither
 * closes after M > 1 half-open successes, which the seed's `fault.isolation.success.threshold`
 * requires. The state machine is small enough to own.
 */

/** Breaker settings; defaults are the seed's `fault.isolation.*` values. */
export interface BreakerOptions {
  /** Consecutive failures that open the breaker (seed `failure.threshold`, default 5). */
  readonly failureThreshold?: number;
  /** Consecutive half-open successes that close it (seed `success.threshold`, default 3). */
  readonly successThreshold?: number;
  /** How long it stays open before letting a trial call through, ms (seed `timeout.ms`, default 30 000). */
  readonly openMs?: number;
}

/** The three states. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** One breaker; `onChange` hears every transition. Not thread-safe (there is one thread). */
export class CircuitBreaker {
  #state: BreakerState = 'closed';
  #failures = 0;
  #successes = 0;
  #openedAt = 0;
  readonly #failureThreshold: number;
  readonly #successThreshold: number;
  readonly #openMs: number;
  readonly #onChange: (from: BreakerState, to: BreakerState) => void;
  readonly #now: () => number;

  constructor(options: BreakerOptions = {}, onChange: (from: BreakerState, to: BreakerState) => void = () => undefined, now: () => number = Date.now) {
    this.#failureThreshold = options.failureThreshold ?? 5;
    this.#successThreshold = options.successThreshold ?? 3;
    this.#openMs = options.openMs ?? 30_000;
    this.#onChange = onChange;
    this.#now = now;
  }

  /** The state now (an open breaker whose wait is over reports half-open). */
  get state(): BreakerState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#openMs) this.#move('half-open');
    return this.#state;
  }

  /** Milliseconds until an open breaker half-opens (0 when it is not open). */
  get remainingOpenMs(): number {
    return this.state === 'open' ? Math.max(0, this.#openMs - (this.#now() - this.#openedAt)) : 0;
  }

  /** Whether a call may go through now. */
  allows(): boolean {
    return this.state !== 'open';
  }

  success(): void {
    if (this.#state === 'half-open') {
      if (++this.#successes >= this.#successThreshold) this.#move('closed');
    } else this.#failures = 0;
  }

  failure(): void {
    if (this.#state === 'half-open') {
      this.#open();
      return;
    }
    if (++this.#failures >= this.#failureThreshold && this.#state === 'closed') this.#open();
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#move('open');
  }

  #move(to: BreakerState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#failures = 0;
    this.#successes = 0;
    this.#onChange(from, to);
  }
}
