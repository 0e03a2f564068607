import { describe, expect, it } from 'vitest';
import { circuitsOf, NO_CIRCUITS } from '#schedules/index.ts';
import { streetNights } from '#schedules/public/street-schedule.ts';
import { cabinet, config, luminaire } from '#tests/support/schedules/fixtures.ts';

describe('streetNights', () => {
  it('gives a residential street its times, its extinction and the rule that sets them', () => {
    const site = config({
      profiles: {
        residential: {
          description: 'Extinction 00:30-05:00',
          on: { event: 'sunset', offsetMinutes: 10 },
          off: { event: 'sunrise', offsetMinutes: -10 },
          steps: [
            { at: '22:30', level: 70 },
            { at: '00:30', level: 0 },
            { at: '05:00', level: 70 },
          ],
        },
      },
      calendar: [{ id: 'default', profile: 'residential' }],
    });
    const [street] = streetNights(site, [luminaire(), luminaire()], '2026-11-30', NO_CIRCUITS);
    expect(street).toMatchObject({
      zone: 'bastide',
      street: 'Rue de Verdun',
      night: '2026-11-30',
      extinctions: [{ from: '00:30', to: '05:00' }],
      reason: {
        rule: 'default',
        profile: 'residential',
        description: 'Extinction 00:30-05:00',
        temporaryChange: false,
      },
    });
    expect(street?.switchOn).toMatch(/^17:\d\d$/);
    expect(street?.switchOff).toMatch(/^07:\d\d$/);
  });

  it('shows no extinction when one luminaire of the street stays lit through it', () => {
    const lit = luminaire();
    const site = config({
      calendar: [
        { profile: 'residential', priority: 0 },
        { profile: 'festival', luminaires: [lit.id], priority: 10 },
      ],
    });
    const [street] = streetNights(site, [luminaire(), lit], '2026-11-30', NO_CIRCUITS);
    expect(street?.extinctions).toEqual([]);
  });

  it('lists one row per street of the zone, the festival street under its own rule', () => {
    const site = config();
    const streets = streetNights(
      site,
      [luminaire(), luminaire({ zone: 'cite', street: 'Rue Cros-Mayrevieille' })],
      '2026-07-14',
      NO_CIRCUITS,
    );
    expect(streets.map((s) => [s.zone, s.reason.profile, s.extinctions.length])).toEqual([
      ['bastide', 'residential', 1],
      ['cite', 'festival', 0],
    ]);
    expect(streets[1]?.reason.rule).toBe('calendar[1]');
  });

  it('marks a street a temporary change acts on without publishing its text', () => {
    const site = config({
      overrides: [
        {
          id: 'o1',
          target: { streets: ['Rue de Verdun'] },
          level: 100,
          from: '2026-11-30T21:00:00Z',
          until: '2026-11-30T23:00:00Z',
          reason: 'works by Dupont',
        },
      ],
    });
    const [street] = streetNights(site, [luminaire()], '2026-11-30', NO_CIRCUITS);
    expect(street?.reason.temporaryChange).toBe(true);
    expect(JSON.stringify(street)).not.toContain('Dupont');
  });

  it('shows residents the dark hours a clock cabinet cuts, as the pushed plans have them', () => {
    const fed = luminaire({ cabinet: 'CAB-1', lat: 43.214, lon: 2.35 });
    const site = config();
    const [free] = streetNights(site, [fed], '2026-11-30', NO_CIRCUITS);
    const [cut] = streetNights(
      site,
      [fed],
      '2026-11-30',
      circuitsOf([cabinet('clock', '23:00-05:00')], [fed]),
    );
    expect(free?.extinctions).not.toContainEqual({ from: '23:00', to: '05:00' });
    expect(cut?.extinctions).toContainEqual({ from: '23:00', to: '05:00' });
  });
});
