import { z } from 'zod';
import { LambdaTiming } from './duration.ts';

/**
 * The price table (`schedules/cost/prices-eu-west-3.json`): one list price per billing unit, each
 * with the page it comes from and whether that price was read for the table's region. Data, not
 * code: a price changes by editing the file, and the README's cost section is regenerated from it.
 * Beside the prices, what Lambda's billed durations are modelled with (schedules/cost/duration.ts).
 */
export const PRICE_KEYS = [
  'iotConnectivity',
  'iotMessaging',
  'iotShadow',
  'iotRulesTriggered',
  'iotRuleActions',
  'lambdaRequests',
  'lambdaArmGbSecond',
  'dynamoWriteUnits',
  'dynamoReadUnits',
  'dynamoWriteCapacityHour',
  'dynamoReadCapacityHour',
  'kinesisShardHour',
  'kinesisPutPayloadUnits',
  'firehoseGbIngested',
  's3Put',
  's3StorageGbMonth',
  'schedulerInvocations',
  'sqsRequests',
  'logsIngestedGb',
  'customMetricMonth',
  'alarmMetricMonth',
  'dashboardMonth',
] as const;
export type PriceKey = (typeof PRICE_KEYS)[number];

export const Price = z.strictObject({
  /** US dollars for `per` units. */
  usd: z.number().min(0).max(1_000),
  per: z.number().int().positive(),
  unit: z.string().min(1).max(80),
  source: z.url({ protocol: /^https$/ }),
  /** Whether this figure was read for the table's region; false: a stated stand-in (see `note`). */
  confirmed: z.boolean(),
  note: z.string().max(300).optional(),
});
export type Price = z.output<typeof Price>;

export const PriceTable = z.strictObject({
  region: z.string().regex(/^[a-z]{2}-[a-z]+-\d$/),
  currency: z.literal('USD'),
  asOf: z.iso.date(),
  prices: z.strictObject(
    Object.fromEntries(PRICE_KEYS.map((key) => [key, Price])) as Record<PriceKey, typeof Price>,
  ),
  lambdaTiming: LambdaTiming,
});
export type PriceTable = z.output<typeof PriceTable>;

/** The price of `quantity` units. */
export const priceOf = (table: PriceTable, key: PriceKey, quantity: number): number => {
  const price = table.prices[key];
  return (quantity / price.per) * price.usd;
};
