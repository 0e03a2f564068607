import { describe, expect, it } from 'vitest';
import { checkCompliance } from '#schedules/compliance/check.ts';
import type { RuleId } from '#schedules/compliance/rules.ts';
import { type ConfigInput, type LuminaireInput, NO_CIRCUITS } from '#schedules/index.ts';
import { carcassonne, config, luminaire } from '#tests/support/schedules/fixtures.ts';

/** A summer night: sunset about 21:35, sunrise about 06:10 in Carcassonne. */
const NIGHT = '2026-06-21';

const PROFILES: ConfigInput['profiles'] = {
  ...carcassonne.profiles,
  // Off at 00:30 and not relit: what the order asks of heritage lighting.
  heritage: { on: { event: 'sunset' }, off: { event: 'sunrise' }, steps: [{ at: '00:30', level: 0 }] },
  early: { on: '19:00', off: { event: 'sunrise' }, steps: [{ at: '00:30', level: 0 }] },
  'car-park': { on: { event: 'sunset' }, off: { event: 'sunrise' }, steps: [{ at: '21:30', level: 0 }] },
  'all-night': { on: { event: 'sunset' }, off: { event: 'sunrise' } },
};

/** The finding of one rule for one luminaire checked alone under `profile`, with its zone's facts. */
function check(
  rule: RuleId,
  fields: Partial<LuminaireInput>,
  {
    profile = 'heritage',
    night = NIGHT,
    closesAt,
  }: { profile?: string; night?: string; closesAt?: string } = {},
) {
  const site = {
    ...carcassonne.site,
    zones: { bastide: { inBuiltUpArea: true, ...(closesAt === undefined ? {} : { closesAt }) } },
  };
  const report = checkCompliance(
    config({ site, profiles: PROFILES, calendar: [{ profile }] }),
    [luminaire(fields)],
    night,
    NO_CIRCUITS,
  );
  const tally = report.rules.find((r) => r.id === rule);
  const findings = report.findings.filter((f) => f.rule === rule);
  return { tally, finding: findings[0], findings };
}

const road = { usage: 'a', installedOn: '2022-04-01' } as const;

describe('checkCompliance, colour temperature (art. 3 II 3°)', () => {
  it('passes road lighting of 3000 K installed since 2020', () => {
    const { tally, findings } = check('colour-temperature', { ...road, colourTemperatureK: 3000 });
    expect(findings).toEqual([]);
    expect(tally).toMatchObject({ compliant: 1, broken: 0 });
  });

  it('breaks on a 4000 K road head installed since 2020, saying what to fit', () => {
    const { finding } = check('colour-temperature', { ...road, colourTemperatureK: 4000 });
    expect(finding).toMatchObject({
      status: 'broken',
      article: 'art. 3 II 3°',
      zone: 'bastide',
      detail: 'colour temperature 4000 K, above 3000 K',
      change: expect.stringContaining('3000 K or less'),
    });
  });

  it('leaves out a head installed before 2020 and heritage lighting, whose colour is free', () => {
    expect(
      check('colour-temperature', { ...road, colourTemperatureK: 4000, installedOn: '2016-05-01' }).tally,
    ).toMatchObject({ notApplicable: 1 });
    expect(check('colour-temperature', { usage: 'b', colourTemperatureK: 4000 }).tally).toMatchObject({
      notApplicable: 1,
    });
  });

  it('cannot check a head without colour temperature, or a 4000 K one without installation date', () => {
    expect(check('colour-temperature', road).finding).toMatchObject({
      status: 'not-checkable',
      missing: ['colourTemperatureK'],
    });
    expect(check('colour-temperature', { usage: 'a', colourTemperatureK: 4000 }).finding).toMatchObject({
      status: 'not-checkable',
      missing: ['installedOn'],
    });
  });

  it('cannot check any category rule for a luminaire without usage', () => {
    expect(check('colour-temperature', { colourTemperatureK: 4000 }).finding).toMatchObject({
      status: 'not-checkable',
      missing: ['usage'],
    });
  });
});

describe('checkCompliance, upward light (art. 3, to verify)', () => {
  it('passes a road luminaire installed flat (0.5 %)', () => {
    expect(check('upward-light-installed', { ...road, upwardLightRatioPercent: 0.5 }).findings).toEqual([]);
  });

  it('breaks on a tilted road luminaire sending 6 % upwards', () => {
    expect(check('upward-light-installed', { ...road, upwardLightRatioPercent: 6 }).finding).toMatchObject({
      status: 'broken',
      values: { upwardLightRatioPercent: 6, belowPercent: 4 },
    });
  });

  it('breaks on a "boule" sending more than half its flux upwards once 2025 has begun, whatever its category', () => {
    const boule = { usage: 'b', upwardLightRatioPercent: 60 } as const;
    expect(check('upward-light-half', boule).finding).toMatchObject({
      status: 'broken',
      change: expect.stringContaining('replace'),
    });
    expect(check('upward-light-half', boule, { night: '2024-06-21' }).tally).toMatchObject({
      notApplicable: 1,
    });
  });

  it('passes a heritage lantern sending 10 % upwards', () => {
    expect(check('upward-light-half', { usage: 'b', upwardLightRatioPercent: 10 }).tally).toMatchObject({
      compliant: 1,
    });
  });
});

describe('checkCompliance, times (art. 2)', () => {
  it('passes heritage lighting switched on at sunset', () => {
    expect(check('on-after-sunset', { usage: 'b' }).findings).toEqual([]);
  });

  it('breaks on heritage lighting switched on before sunset, with both times', () => {
    expect(check('on-after-sunset', { usage: 'b' }, { profile: 'early' }).finding).toMatchObject({
      status: 'broken',
      detail: expect.stringMatching(/^switched on at 19:00, \d+ min before sunset \(21:\d\d\)$/),
    });
  });

  it('passes heritage lighting off at 00:30 and not relit', () => {
    expect(check('heritage-off-by', { usage: 'b' }).findings).toEqual([]);
  });

  it('breaks on heritage lighting dimmed but lit after 01:00', () => {
    expect(check('heritage-off-by', { usage: 'b' }, { profile: 'all-night' }).finding).toMatchObject({
      status: 'broken',
      detail: expect.stringMatching(/^lit from 01:00 to 0\d:\d\d, to be off by 01:00 at the latest$/),
      change: expect.stringContaining('switch off by 01:00'),
    });
  });

  it('holds a park to one hour after it closes when its zone says when', () => {
    expect(check('heritage-off-by', { usage: 'b' }, { closesAt: '22:00' }).finding).toMatchObject({
      status: 'broken',
      values: { deadline: '23:00', from: '23:00', off: '00:30' },
    });
    expect(check('heritage-off-by', { usage: 'b' }, { closesAt: '23:30' }).findings).toEqual([]);
  });

  it('breaks on a car park relit in the morning after its deadline, naming the stretch lit', () => {
    expect(
      check('car-park-off', { usage: 'e' }, { profile: 'residential', closesAt: '20:00' }).finding,
    ).toMatchObject({
      status: 'broken',
      values: { deadline: '22:00', from: '22:00' },
    });
    expect(
      check('car-park-off', { usage: 'e' }, { profile: 'residential', closesAt: '23:00' }).finding,
    ).toMatchObject({
      status: 'broken',
      values: { deadline: '01:00', from: '05:00' },
    });
  });

  it('passes a car park off two hours after its activity area closes', () => {
    expect(
      check('car-park-off', { usage: 'e' }, { profile: 'car-park', closesAt: '20:00' }).findings,
    ).toEqual([]);
  });

  it('breaks on a car park lit all night after its activity area closes', () => {
    expect(
      check('car-park-off', { usage: 'e' }, { profile: 'all-night', closesAt: '20:00' }).finding,
    ).toMatchObject({
      status: 'broken',
      values: { deadline: '22:00' },
    });
  });

  it('cannot check a car park whose zone does not say when its activity ends', () => {
    expect(check('car-park-off', { usage: 'e' }, { profile: 'car-park' }).finding).toMatchObject({
      status: 'not-checkable',
      missing: ['site.zones.bastide.closesAt'],
    });
  });
});

describe('checkCompliance, flux per surface (art. 3, to verify)', () => {
  it('is not checkable for a zone of road lighting, naming the surface it lacks', () => {
    const { finding } = check('flux-density', road);
    expect(finding).toMatchObject({ status: 'not-checkable', zone: 'bastide' });
    expect(finding).not.toHaveProperty('luminaire');
    expect(finding?.missing?.[0]).toContain('lit surface area');
  });

  it('does not concern a zone of heritage lighting only', () => {
    expect(check('flux-density', { usage: 'b' }).tally).toMatchObject({ notApplicable: 1 });
  });
});
