/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this many ms (default 10 000). */
  timeout?: number;
  /** Poll every this many ms (default 20). */
  interval?: number;
  /** Names the condition in the timeout error. */
  message?: string;
}

/**
 * Polls `predicate` until it returns a truthy value (or a promise of one) and returns that value.
 * Throws after `timeout` ms with `message` and the last error the predicate threw, if any. Tests wait
 * for conditions this way; they never sleep a fixed time.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeout = 10_000, interval = 20, message = 'condition' }: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`waitFor: ${message} did not hold within ${timeout} ms${why}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
