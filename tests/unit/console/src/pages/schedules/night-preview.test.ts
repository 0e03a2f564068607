import { describe, expect, it } from 'vitest';
import { previewNight } from '#console/src/pages/schedules/night-preview.ts';
import { type Luminaire, NO_CIRCUITS, planNight, sunTimesForNight } from '#schedules/index.ts';
import { example, exampleLuminaires, exampleProfile } from './example.ts';

const place = (luminaire: Luminaire) => ({
  timezone: example.site.timezone,
  lat: luminaire.lat,
  lon: luminaire.lon,
});

/** A luminaire of the example that follows `profile` on `night`, and the plan the server gives it alone. */
function following(profile: string, night: string) {
  const index = planNight(example, exampleLuminaires, night, NO_CIRCUITS).luminaires.findIndex(
    (p) => p.profile === profile,
  );
  const luminaire = exampleLuminaires[index];
  const plan =
    luminaire === undefined ? undefined : planNight(example, [luminaire], night, NO_CIRCUITS).luminaires[0];
  if (luminaire === undefined || plan === undefined)
    throw new Error(`no luminaire follows ${profile} on ${night}`);
  return { luminaire, plan };
}

describe('the browser preview of a profile', () => {
  it.each([
    ['residential', '2026-06-21'],
    ['residential', '2026-12-21'],
    // The night the clocks go back: 25 hours from noon to noon.
    ['residential', '2026-10-24'],
    ['village-extinction', '2026-03-28'],
    ['park', '2026-01-15'],
  ])('gives the plan the server gives a luminaire following %s on %s', (profile, night) => {
    const { luminaire, plan } = following(profile, night);
    const preview = previewNight(exampleProfile(profile), night, place(luminaire), luminaire.minLevel);
    expect(preview.transitions).toEqual(plan.transitions);
    expect([preview.on, preview.off]).toEqual([plan.on, plan.off]);
  });

  it('marks the sun events of the night at the place', () => {
    const { luminaire } = following('residential', '2026-06-21');
    const preview = previewNight(exampleProfile('residential'), '2026-06-21', place(luminaire));
    const window = { night: '2026-06-21', start: preview.start, end: preview.end };
    const sun = sunTimesForNight(luminaire.lat, luminaire.lon, window);
    expect([preview.sunset, preview.sunrise]).toEqual([sun.sunset, sun.sunrise]);
    expect(preview.on).toBe(Math.round(sun.sunset + 600));
  });

  it('counts the lit hours and their full-power equivalent, fades included', () => {
    // 100 % from sunset+10 to 22:30 (3 s fade to 70 %), 70 % to 00:30, off to 05:00, 70 % to sunrise-10.
    const { luminaire } = following('residential', '2026-06-21');
    const preview = previewNight(exampleProfile('residential'), '2026-06-21', place(luminaire));
    const [on, dim, out, relit, off] = preview.transitions.map((t) => t.at) as [
      number,
      number,
      number,
      number,
      number,
    ];
    expect(preview.litHours).toBeCloseTo((out - on + (off - relit)) / 3600, 9);
    const fullPower = dim - on + 0.7 * (out - dim) + 0.7 * (off - relit) + (3 * 0.3) / 2;
    expect(preview.fullPowerHours).toBeCloseTo(fullPower / 3600, 9);
  });

  it('raises lit levels to a luminaire minimum', () => {
    const { luminaire } = following('residential', '2026-06-21');
    const preview = previewNight(exampleProfile('residential'), '2026-06-21', place(luminaire), 80);
    expect(preview.transitions.map((t) => t.level)).toEqual([100, 80, 0, 80, 0]);
  });
});
