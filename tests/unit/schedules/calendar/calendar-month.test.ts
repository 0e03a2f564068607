import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Config, calendarMonth, zonesNamed } from '#schedules/index.ts';
import { config } from '#tests/support/schedules/fixtures.ts';

const example = Config.parse(
  JSON.parse(readFileSync(new URL('../../../../examples/carcassonne/config.json', import.meta.url), 'utf8')),
);

describe('calendar month view', () => {
  it('lists every night of the month by the date it starts, with its weekday and holidays', () => {
    const july = calendarMonth(example, [], '2026-07');
    expect(july.nights.map((n) => n.night)).toHaveLength(31);
    expect(july.nights[0]).toMatchObject({ night: '2026-07-01', weekday: 'wed', holidays: [] });
    expect(july.nights[13]).toMatchObject({ night: '2026-07-14', weekday: 'tue', holidays: ['nationalDay'] });
    expect(calendarMonth(example, [], '2028-02').nights.at(-1)?.night).toBe('2028-02-29');
    expect(calendarMonth(example, [], '2026-10').nights).toHaveLength(31);
  });

  it("gives each zone's own rule, the street rules that win on part of it, and its overrides", () => {
    const july = calendarMonth(example, ['cite', 'bastide'], '2026-07');
    const bastilleDay = july.nights[13];
    expect(bastilleDay?.zones.cite).toEqual({
      rule: 'bastille-day',
      profile: 'festival',
      exceptions: [],
      overrides: [
        {
          id: 'embrasement-2026',
          level: 0,
          from: '2026-07-14T22:15:00+02:00',
          until: '2026-07-14T23:00:00+02:00',
          wholeZone: true,
        },
      ],
    });
    expect(july.nights[12]?.zones.cite).toMatchObject({ rule: 'cite-summer', exceptions: [], overrides: [] });
    expect(bastilleDay?.zones.bastide).toMatchObject({
      rule: 'default',
      profile: 'residential',
      exceptions: [
        { rule: 'parks', profile: 'park', streets: expect.arrayContaining(['Square Gambetta']) },
        { rule: 'main-roads', profile: 'main-road' },
      ],
      overrides: [],
    });
    // A Friday of December: the market's streets beat the Bastide's weekend rule.
    const market = calendarMonth(example, ['bastide'], '2026-12').nights[3];
    expect(market?.night).toBe('2026-12-04');
    expect(market?.zones.bastide?.rule).toBe('bastide-weekend');
    expect(market?.zones.bastide?.exceptions.map((e) => e.rule)).toEqual([
      'christmas-market',
      'parks',
      'main-roads',
    ]);
  });

  it('tells what a zone no rule names follows, and null where no rule selects a zone', () => {
    const bastilleDay = calendarMonth(example, [], '2026-07').nights[13];
    expect(bastilleDay?.otherZones).toMatchObject({ rule: 'default', profile: 'residential', overrides: [] });
    const zoned = config({
      calendar: [{ profile: 'festival', zones: ['cite'], holidays: ['fr'] }],
      overrides: [
        {
          id: 'all-off',
          target: { all: true },
          level: 0,
          from: '2026-07-15T01:00:00+02:00',
          until: '2026-07-15T02:00:00+02:00',
          reason: 'works',
        },
        {
          id: 'one-street',
          target: { streets: ['Rue Trivalle'] },
          level: 100,
          from: '2026-07-13T22:00:00+02:00',
          until: '2026-07-14T13:00:00+02:00',
          reason: 'event',
        },
      ],
    });
    const [before, night] = calendarMonth(zoned, ['cite'], '2026-07').nights.slice(12, 14);
    expect(night?.zones.cite).toMatchObject({ rule: 'calendar[0]', profile: 'festival' });
    expect(night?.otherZones).toMatchObject({ rule: null, profile: null });
    // The street override runs into the next day's afternoon, so the night of 14 July sees it too.
    expect(night?.otherZones.overrides.map((o) => [o.id, o.wholeZone])).toEqual([
      ['all-off', true],
      ['one-street', false],
    ]);
    expect(before?.zones.cite?.overrides.map((o) => o.id)).toEqual(['one-street']);
  });

  it('names the zones of rules and overrides, once each, sorted', () => {
    expect(zonesNamed(example)).toEqual([
      'bastide',
      'berriac',
      'cite',
      'pennautier',
      'pezens',
      'trebes',
      'trivalle',
      'villemoustaussou',
    ]);
  });
});
