import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Site } from '#schedules/config/schema.ts';
import { TariffBook } from '#schedules/tariff/prices.ts';
import { nightWindow } from '#schedules/time/night.ts';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import { carcassonne, offPeakTariff } from '#tests/support/schedules/fixtures.ts';

const site = Site.parse({ ...carcassonne.site, tariffs: [offPeakTariff] });
const clock = ZoneClock.of(site.timezone);
const book = () => new TariffBook(site, clock);
const at = (iso: string) => Date.parse(iso) / 1000;
/** Nights of 2026, the spring-forward and fall-back nights included. */
const nights = fc
  .integer({ min: 0, max: 364 })
  .map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10));

describe('TariffBook', () => {
  it('prices by the local wall clock: 21:59 is peak, 22:00 off-peak, summer time included', () => {
    const prices = book();
    const line = (iso: string) => prices.lines[prices.lineAt('2026-07-01', at(iso))]?.period;
    expect(line('2026-07-01T19:59:00Z')).toBe('HP');
    expect(line('2026-07-01T20:00:00Z')).toBe('HC');
    expect(line('2026-07-02T04:00:00Z')).toBe('HP');
  });

  it("gives a cabinet's option its own tariff, and the site's own to a luminaire without one", () => {
    const c4 = { ...offPeakTariff, id: 'ep-c4-2026', option: 'ep-c4', subscriptionEurPerKvaMonth: 2 };
    const prices = new TariffBook(Site.parse({ ...carcassonne.site, tariffs: [offPeakTariff, c4] }), clock);
    expect(prices.tariffOf('2026-07-01', 'ep-c4').id).toBe('ep-c4-2026');
    expect(prices.tariffOf('2026-07-01').id).toBe(offPeakTariff.id);
    // An option no tariff prices falls back to the site's own.
    expect(prices.tariffOf('2026-07-01', 'ep-c9').id).toBe(offPeakTariff.id);
    const window = nightWindow(clock, '2026-07-01');
    const [c4Night, ownNight] = [
      prices.night('2026-07-01', window, 'ep-c4'),
      prices.night('2026-07-01', window),
    ];
    const lineTariffs = (shares: { lines: readonly number[] }) =>
      shares.lines.map((line) => prices.lines[line]?.tariffId);
    const span = [at('2026-07-01T20:00:00Z'), at('2026-07-02T02:00:00Z')] as const;
    expect(new Set(lineTariffs(c4Night.spanShares(...span)))).toEqual(new Set(['ep-c4-2026']));
    expect(new Set(lineTariffs(ownNight.spanShares(...span)))).toEqual(new Set([offPeakTariff.id]));
  });

  it('uses the flat price on nights no dated tariff covers', () => {
    const prices = book();
    expect(prices.tariffOf('2025-12-31').id).toBe('flat');
    const night = prices.night('2025-12-31', nightWindow(clock, '2025-12-31'));
    expect(night.spanShares(at('2025-12-31T20:00:00Z'), at('2026-01-01T02:00:00Z')).eurPerKwh).toBeCloseTo(
      0.2,
    );
  });

  it('any instant of a night falls in exactly one price segment', () => {
    fc.assert(
      fc.property(nights, fc.double({ min: 0, max: 1, noNaN: true }), (night, f) => {
        const window = nightWindow(clock, night);
        const segments = book().night(night, window).segments;
        const t = window.start + f * (window.end - window.start - 1);
        expect(segments.filter((s) => s.start <= t && t < s.end)).toHaveLength(1);
        expect(segments[0]?.start).toBe(window.start);
        expect(segments.at(-1)?.end).toBe(window.end);
      }),
      { numRuns: 60 },
    );
  });

  it('the cost of a night split at any instant adds up to the whole', () => {
    fc.assert(
      fc.property(
        nights,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 400 }),
        (night, f, watts) => {
          const window = nightWindow(clock, night);
          const prices = book().night(night, window);
          const cut = window.start + f * (window.end - window.start);
          const whole = prices.spanCost(window.start, window.end, watts);
          expect(
            prices.spanCost(window.start, cut, watts) + prices.spanCost(cut, window.end, watts),
          ).toBeCloseTo(whole, 9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('splits a dimmed profile by the energy of each level', () => {
    const window = nightWindow(clock, '2026-07-01');
    const prices = book().night('2026-07-01', window);
    // 21:00-22:00 local at 100 % (peak), 22:00-00:00 at 50 % (off-peak): equal energy.
    const shares = prices.profileShares([
      { at: at('2026-07-01T19:00:00Z'), level: 100 },
      { at: at('2026-07-01T20:00:00Z'), level: 50 },
      { at: at('2026-07-01T22:00:00Z'), level: 0 },
    ]);
    expect(shares.eurPerKwh).toBeCloseTo((0.18 + 0.12) / 2);
    expect(shares.fractions.reduce((a, b) => a + b)).toBeCloseTo(1);
  });
});
