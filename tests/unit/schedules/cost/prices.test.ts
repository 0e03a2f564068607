import { describe, expect, it } from 'vitest';
import { PRICE_KEYS, PriceTable, priceOf } from '#schedules/cost/prices.ts';
import { prices } from './fixtures.ts';

describe('the price table', () => {
  it('is dated, for one region in US dollars, and gives every price a source', () => {
    expect(prices.region).toBe('eu-west-3');
    for (const key of PRICE_KEYS) expect(prices.prices[key].source).toMatch(/^https:\/\/aws\.amazon\.com\//);
  });

  it('says why, for every price not confirmed for its region', () => {
    for (const key of PRICE_KEYS) {
      const price = prices.prices[key];
      if (!price.confirmed) expect(price.note, key).toBeTruthy();
    }
  });

  it('refuses a table missing a price, or a price without its source, naming the field', () => {
    const { iotMessaging: _, ...missing } = prices.prices;
    const withoutSource = { ...prices.prices, s3Put: { ...prices.prices.s3Put, source: undefined } };
    const first = PriceTable.safeParse({ ...prices, prices: missing });
    const second = PriceTable.safeParse({ ...prices, prices: withoutSource });
    expect(first.success || first.error.issues[0]?.path).toEqual(['prices', 'iotMessaging']);
    expect(second.success || second.error.issues[0]?.path).toEqual(['prices', 's3Put', 'source']);
  });

  it('prices a quantity per its unit block', () => {
    expect(priceOf(prices, 'sqsRequests', 2_000_000)).toBeCloseTo(2 * prices.prices.sqsRequests.usd, 9);
  });
});
