import { describe, expect, it } from 'vitest';
import { planNight, sunTimesForNight } from '#schedules/index.ts';
import { plannedWindows } from '#schedules/report/night-windows.ts';
import { config, luminaire } from '#tests/support/schedules/fixtures.ts';

describe('plannedWindows', () => {
  const site = config({ calendar: [{ profile: 'residential', zones: ['cite'], priority: 0 }] });
  const lit = luminaire({ id: 'L-lit', zone: 'cite' });
  const dark = luminaire({ id: 'L-dark', zone: 'bastide' });

  it('is the planned switch-on to switch-off of each luminaire, every night of the period', () => {
    const windows = plannedWindows(site, [lit, dark], '2026-11-29', '2026-11-30');
    expect([...windows.keys()]).toEqual(['2026-11-29', '2026-11-30']);
    for (const night of ['2026-11-29', '2026-11-30']) {
      const plan = planNight(site, [lit], night).luminaires[0];
      expect(windows.get(night)?.get('L-lit')).toEqual({ start: plan?.on, end: plan?.off });
    }
  });

  it("is the site's sunset to sunrise for a luminaire planned dark all night", () => {
    const windows = plannedWindows(site, [lit, dark], '2026-11-29', '2026-11-29');
    const plan = planNight(site, [dark], '2026-11-29');
    expect(plan.luminaires[0]?.on).toBeNull();
    const start = Date.parse('2026-11-29T11:00:00Z') / 1000;
    const sun = sunTimesForNight(site.site.latitude, site.site.longitude, {
      night: '2026-11-29',
      start,
      end: start + 86_400,
    });
    expect(windows.get('2026-11-29')?.get('L-dark')).toEqual({ start: sun.sunset, end: sun.sunrise });
  });
});
