/** How many requests a client may send at once (`capacity`) and how fast its allowance comes back. */
export interface BucketRate {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

export type Take = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets keyed by client (a source address and a route group): each request takes a token,
 * tokens come back at `refillPerSecond` up to `capacity`. Kept in the function's memory, so on AWS
 * each warm instance limits on its own and API Gateway's stage throttle caps the sum (ADR 0006).
 * At most `maxClients` buckets are kept: the least recently seen one is forgotten first, so a flood
 * from many addresses cannot grow memory without bound (a forgotten client starts with a full bucket).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    /** Epoch seconds. */
    private readonly now: () => number,
    private readonly maxClients = 10_000,
  ) {}

  take(key: string, rate: BucketRate): Take {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: rate.capacity, at: now };
    this.buckets.delete(key);
    bucket.tokens = Math.min(
      rate.capacity,
      bucket.tokens + Math.max(0, now - bucket.at) * rate.refillPerSecond,
    );
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxClients) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate.refillPerSecond)),
    };
  }
}
