import { describe, expect, it } from 'vitest';
import { planNight, sunTimesForNight } from '#schedules/index.ts';
import { plannedNights } from '#schedules/report/night-windows.ts';
import { TariffBook } from '#schedules/tariff/prices.ts';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import { config, luminaire } from '#tests/support/schedules/fixtures.ts';

describe('plannedNights', () => {
  const site = config({ calendar: [{ profile: 'residential', zones: ['cite'], priority: 0 }] });
  const lit = luminaire({ id: 'L-lit', zone: 'cite' });
  const dark = luminaire({ id: 'L-dark', zone: 'bastide' });
  const windowsOf = (from: string, to: string) =>
    plannedNights(site, [lit, dark], from, to, new TariffBook(site.site, ZoneClock.of(site.site.timezone)))
      .nights;
  const span = (night: { start: number; end: number } | undefined) => ({
    start: night?.start,
    end: night?.end,
  });

  it('is the planned switch-on to switch-off of each luminaire, every night of the period', () => {
    const windows = windowsOf('2026-11-29', '2026-11-30');
    expect([...windows.keys()]).toEqual(['2026-11-29', '2026-11-30']);
    for (const night of ['2026-11-29', '2026-11-30']) {
      const plan = planNight(site, [lit], night).luminaires[0];
      expect(span(windows.get(night)?.get('L-lit'))).toEqual({ start: plan?.on, end: plan?.off });
    }
  });

  it("is the site's sunset to sunrise for a luminaire planned dark all night", () => {
    const windows = windowsOf('2026-11-29', '2026-11-29');
    const plan = planNight(site, [dark], '2026-11-29');
    expect(plan.luminaires[0]?.on).toBeNull();
    const start = Date.parse('2026-11-29T11:00:00Z') / 1000;
    const sun = sunTimesForNight(site.site.latitude, site.site.longitude, {
      night: '2026-11-29',
      start,
      end: start + 86_400,
    });
    expect(span(windows.get('2026-11-29')?.get('L-dark'))).toEqual({ start: sun.sunset, end: sun.sunrise });
  });
});
