/**
 * Retries an operation that returns a typed result, with exponential backoff and full jitter
 * (delay = random(0, min(cap, base * 2^attempt))), as AWS recommends for throttling. The operation
 * decides what is retryable; the last result is returned when attempts run out.
 */
export interface BackoffOptions {
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly capMs: number;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_BACKOFF: BackoffOptions = { maxAttempts: 8, baseMs: 50, capMs: 5_000 };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withBackoff<R>(
  operation: () => Promise<R>,
  shouldRetry: (result: R) => boolean,
  options: BackoffOptions = DEFAULT_BACKOFF,
): Promise<{ result: R; attempts: number }> {
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? realSleep;
  let attempts = 0;
  for (;;) {
    const result = await operation();
    attempts++;
    if (!shouldRetry(result) || attempts >= options.maxAttempts) return { result, attempts };
    await sleep(random() * Math.min(options.capMs, options.baseMs * 2 ** (attempts - 1)));
  }
}

/** Runs `work` over `items` with at most `limit` calls in flight; results keep the input order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
