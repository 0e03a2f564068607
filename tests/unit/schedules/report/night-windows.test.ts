import { describe, expect, it } from 'vitest';
import { Cabinet, Config, circuitsOf, NO_CIRCUITS, planNight, sunTimesForNight } from '#schedules/index.ts';
import { plannedNights } from '#schedules/report/night-windows.ts';
import { TariffBook } from '#schedules/tariff/prices.ts';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import { carcassonne, config, luminaire, offPeakTariff } from '#tests/support/schedules/fixtures.ts';

describe('plannedNights', () => {
  const site = config({ calendar: [{ profile: 'residential', zones: ['cite'], priority: 0 }] });
  const lit = luminaire({ id: 'L-lit', zone: 'cite' });
  const dark = luminaire({ id: 'L-dark', zone: 'bastide' });
  const windowsOf = (from: string, to: string) =>
    plannedNights(
      site,
      [lit, dark],
      from,
      to,
      new TariffBook(site.site, ZoneClock.of(site.site.timezone)),
      NO_CIRCUITS,
    ).nights;
  const span = (night: { start: number; end: number } | undefined) => ({
    start: night?.start,
    end: night?.end,
  });

  it('is the planned switch-on to switch-off of each luminaire, every night of the period', () => {
    const windows = windowsOf('2026-11-29', '2026-11-30');
    expect([...windows.keys()]).toEqual(['2026-11-29', '2026-11-30']);
    for (const night of ['2026-11-29', '2026-11-30']) {
      const plan = planNight(site, [lit], night, NO_CIRCUITS).luminaires[0];
      expect(span(windows.get(night)?.get('L-lit'))).toEqual({ start: plan?.on, end: plan?.off });
    }
  });

  it("is the site's sunset to sunrise for a luminaire planned dark all night", () => {
    const windows = windowsOf('2026-11-29', '2026-11-29');
    const plan = planNight(site, [dark], '2026-11-29', NO_CIRCUITS);
    expect(plan.luminaires[0]?.on).toBeNull();
    const start = Date.parse('2026-11-29T11:00:00Z') / 1000;
    const sun = sunTimesForNight(site.site.latitude, site.site.longitude, {
      night: '2026-11-29',
      start,
      end: start + 86_400,
    });
    expect(span(windows.get('2026-11-29')?.get('L-dark'))).toEqual({ start: sun.sunset, end: sun.sunrise });
  });

  it("prices a luminaire's energy on its cabinet's contract option, one without a cabinet on the site's own", () => {
    const c4 = { ...offPeakTariff, id: 'ep-c4-2026', option: 'ep-c4' };
    const priced = Config.parse({
      ...carcassonne,
      site: { ...carcassonne.site, tariffs: [offPeakTariff, c4] },
      calendar: [{ profile: 'residential', zones: ['cite'], priority: 0 }],
    });
    const cabinet = Cabinet.parse({
      id: 'CAB-C4',
      lat: lit.lat,
      lon: lit.lon,
      zone: 'cite',
      deliveryPointId: '12345678901234',
      subscribedKva: 100,
      tariffOption: 'ep-c4',
      controller: 'none',
    });
    const behind = luminaire({ id: 'L-c4', zone: 'cite', cabinet: cabinet.id });
    const prices = new TariffBook(priced.site, ZoneClock.of(priced.site.timezone));
    const luminaires = [lit, behind];
    const { nights } = plannedNights(
      priced,
      luminaires,
      '2026-11-29',
      '2026-11-29',
      prices,
      circuitsOf([cabinet], luminaires),
    );
    const tariffsOf = (id: string) =>
      new Set(
        nights
          .get('2026-11-29')
          ?.get(id)
          ?.shares.lines.map((line) => prices.lines[line]?.tariffId),
      );
    expect(tariffsOf('L-c4')).toEqual(new Set(['ep-c4-2026']));
    expect(tariffsOf('L-lit')).toEqual(new Set([offPeakTariff.id]));
  });
});
