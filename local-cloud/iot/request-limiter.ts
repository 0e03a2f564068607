/**
 * Shadow request rate limits, so that throttling paths run for real locally: AWS allows 20 shadow
 * requests per second per thing and, per account, 400 or 4,000 per second depending on the region.
 * Token buckets holding one second of requests; both limits are optional.
 */
export interface RequestLimits {
  /** Requests per second per thing (AWS: 20). */
  readonly perThing?: number;
  /** Requests per second for the whole stand-in (AWS: 400 or 4,000 by region). */
  readonly account?: number;
}

class TokenBucket {
  #tokens: number;
  #updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    now: number,
  ) {
    this.#tokens = ratePerSecond;
    this.#updatedAt = now;
  }

  #refill(now: number): void {
    const elapsedSeconds = Math.max(0, now - this.#updatedAt) / 1000;
    this.#tokens = Math.min(this.ratePerSecond, this.#tokens + elapsedSeconds * this.ratePerSecond);
    this.#updatedAt = now;
  }

  available(now: number): boolean {
    this.#refill(now);
    return this.#tokens >= 1;
  }

  take(): void {
    this.#tokens -= 1;
  }

  isFull(now: number): boolean {
    this.#refill(now);
    return this.#tokens >= this.ratePerSecond;
  }
}

/**
 * Idle (full) buckets are forgotten once this many things have been seen, to bound memory; at most
 * once a second, since a bucket refills within a second and an earlier sweep would find little.
 */
const SWEEP_THRESHOLD = 10_000;
const SWEEP_INTERVAL_MS = 1_000;

export class RequestLimiter {
  readonly #perThing = new Map<string, TokenBucket>();
  readonly #account: TokenBucket | undefined;
  #sweptAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly limits: RequestLimits,
    private readonly clock: () => number = Date.now,
  ) {
    this.#account = limits.account === undefined ? undefined : new TokenBucket(limits.account, clock());
  }

  /** Takes one request for the thing; false when a limit is exhausted (nothing is taken then). */
  tryAcquire(thingName: string): boolean {
    const now = this.clock();
    const thing = this.#thingBucket(thingName, now);
    if (thing !== undefined && !thing.available(now)) return false;
    if (this.#account !== undefined && !this.#account.available(now)) return false;
    thing?.take();
    this.#account?.take();
    return true;
  }

  #thingBucket(thingName: string, now: number): TokenBucket | undefined {
    if (this.limits.perThing === undefined) return undefined;
    let bucket = this.#perThing.get(thingName);
    if (bucket === undefined) {
      if (this.#perThing.size >= SWEEP_THRESHOLD && now - this.#sweptAt >= SWEEP_INTERVAL_MS)
        this.#sweep(now);
      bucket = new TokenBucket(this.limits.perThing, now);
      this.#perThing.set(thingName, bucket);
    }
    return bucket;
  }

  #sweep(now: number): void {
    this.#sweptAt = now;
    for (const [thingName, bucket] of this.#perThing)
      if (bucket.isFull(now)) this.#perThing.delete(thingName);
  }
}
