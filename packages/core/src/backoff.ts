/** Options of {@link backoffDelay}. */
export interface BackoffOptions {
  /** First delay, ms (default 100). */
  readonly initialMs?: number;
  /** Largest delay, ms (default 30 000). */
  readonly maxMs?: number;
  /** Growth per attempt (default 2). */
  readonly factor?: number;
}

/**
 * Exponential backoff with "equal jitter": a random delay in [c/2, c] where c = min(max, initial * factor^attempt).
 * `attempt` counts from 0. The jitter spreads retries of many writers so they do not collide again, and
 * the floor keeps a retry from firing almost at once.
 */
export function backoffDelay(attempt: number, { initialMs = 100, maxMs = 30_000, factor = 2 }: BackoffOptions = {}): number {
  const ceiling = Math.min(maxMs, initialMs * factor ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
