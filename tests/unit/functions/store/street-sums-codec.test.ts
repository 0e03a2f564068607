import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STREETS_PER_PART } from '#functions/store/closed-night-store.ts';
import { packStreets, unpackStreets } from '#functions/store/street-sums-codec.ts';
import { emptySums, lineKey } from '#schedules/report/closed-night.ts';
import type { PriceLine } from '#schedules/tariff/prices.ts';
import { streetSumsOf } from '#tests/support/schedules/street-sums.ts';

const linesOf = (count: number): PriceLine[] =>
  Array.from({ length: count }, (_, i) => ({
    tariffId: `tarif-${i % 3}`,
    season: i % 2 === 0 ? 'hiver' : 'été',
    period: `P${i}`,
    eurPerKwh: 0.1 + i / 100,
  }));

const figure = fc.double({ noNaN: true, noDefaultInfinity: true });

describe('street sums codec', () => {
  it('gives back every street with every sum bit for bit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.array(
          fc.record({
            street: fc.string({ minLength: 1, maxLength: 128 }),
            counts: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
            figures: fc.array(figure, { minLength: 10, maxLength: 10 }),
            kwh: fc.array(figure, { minLength: 6, maxLength: 6 }),
          }),
          { maxLength: 20 },
        ),
        (lineCount, drawn) => {
          const lines = linesOf(lineCount);
          const streets = drawn.map(({ street, counts, figures, kwh }) =>
            streetSumsOf(
              { zone: 'cite', street },
              counts,
              figures,
              Object.fromEntries(lines.map((line, i) => [lineKey(line), kwh[i] as number])),
            ),
          );
          expect(unpackStreets('cite', packStreets(streets, lines), lines)).toEqual(streets);
        },
      ),
    );
  });

  it('keeps a part of the most streets, with long accented names and 24 price lines, under 400 KB', () => {
    const lines = linesOf(24);
    const streets = Array.from({ length: STREETS_PER_PART }, (_, i) => ({
      zone: 'cite',
      street: `${i} ${'é'.repeat(124)}`.slice(0, 128),
      ...emptySums(),
    }));
    const packed = packStreets(streets, lines);
    const bytes =
      packed.sums.byteLength +
      Buffer.byteLength(packed.names, 'utf8') +
      Buffer.byteLength(JSON.stringify(lines), 'utf8');
    expect(bytes).toBeLessThan(350_000);
  });
});
