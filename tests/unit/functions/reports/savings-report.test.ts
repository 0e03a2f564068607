import { describe, expect, it } from 'vitest';
import {
  heldOpenNights,
  loadSavingsReport,
  type SavingsReportDeps,
} from '#functions/reports/savings-report.ts';
import type { StoredClosedNight } from '#functions/store/index.ts';
import { circuitsOf, type Luminaire, NO_CIRCUITS } from '#schedules/index.ts';
import { closeNightAsPlanned, type MeteredNight } from '#schedules/report/closed-night.ts';
import { addNights } from '#schedules/report/month-sums.ts';
import { nightWindow } from '#schedules/time/night.ts';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import { cabinet, config, luminaire } from '#tests/support/schedules/fixtures.ts';

const site = config();
const luminaires = [luminaire({ id: 'L-1' }), luminaire({ id: 'L-2', street: 'Rue Voltaire' })];
const JUNE = Array.from({ length: 30 }, (_, i) => `2026-06-${String(i + 1).padStart(2, '0')}`);

/** Every night of June closed (L-1 lit all night, L-2 silent), the totals holding its first ten. */
function setup() {
  const clock = ZoneClock.of(site.site.timezone);
  const nights = new Map<string, StoredClosedNight>(
    JUNE.map((night, i) => {
      const window = nightWindow(clock, night);
      const readings = new Map<string, MeteredNight>([
        ['L-1', { wh: 300 + i, burnH: 8, firstTs: window.start, lastTs: window.end }],
      ]);
      const closed = closeNightAsPlanned(site, luminaires, night, readings, NO_CIRCUITS);
      return [night, { ...closed, configVersion: 1, closedAt: `${night}T12:00:00.000Z` }];
    }),
  );
  const totals = {
    ...addNights(
      '2026-06',
      JUNE.slice(0, 10).map((n) => nights.get(n) as StoredClosedNight),
    ),
    closedAt: 'x',
  };
  const read: string[] = [];
  const deps = (withTotals: boolean): SavingsReportDeps => ({
    config: { load: async () => site },
    luminaires: { listAll: async () => luminaires },
    closedNights: {
      get: async (night) => {
        read.push(night);
        return nights.get(night);
      },
      getMonth: async (month) => {
        read.push(month);
        return withTotals ? totals : undefined;
      },
      nightReadings: async () => {
        throw new Error('every night is closed');
      },
    },
    alarms: { openDuring: async () => [] },
    cabinets: { listAll: async () => [] },
  });
  return { deps, read };
}

describe('savings report from month totals', () => {
  it('starts a month from its totals and reads only the nights after them, with the same figures', async () => {
    const { deps, read } = setup();
    const query = { from: '2026-06-01', to: '2026-06-15', groupBy: 'street' as const };
    const report = await loadSavingsReport(deps(true), query);
    expect(read).toEqual(['2026-06', ...JUNE.slice(10, 15)]);
    expect(report).toEqual(await loadSavingsReport(deps(false), query));
    expect(report.total.completeLuminaireNights).toBe(15);
    expect(report.nights).toBe(15);
  });

  it('reads night by night a period that ends inside the totals or starts after the 1st', async () => {
    const { deps, read } = setup();
    await loadSavingsReport(deps(true), { from: '2026-06-01', to: '2026-06-05', groupBy: 'site' });
    expect(read).toEqual(['2026-06', ...JUNE.slice(0, 5)]);
    read.length = 0;
    await loadSavingsReport(deps(true), { from: '2026-06-02', to: '2026-06-12', groupBy: 'site' });
    expect(read).toEqual(JUNE.slice(1, 12));
  });
});

describe('savings report with nights not closed yet', () => {
  const cabinets = [cabinet('connected')];
  const wired = [
    luminaire({ id: 'L-1', cabinet: 'CAB-1' }),
    luminaire({ id: 'L-2', cabinet: 'CAB-1', controller: 'none' }),
    luminaire({ id: 'L-3', street: 'Rue Voltaire' }),
  ];
  const OPEN = JUNE.slice(28);
  const clock = ZoneClock.of(site.site.timezone);
  /** The night items of a night: L-1 lit all night, L-3 from midnight (a partial night). */
  const itemsOf = (night: string, i: number) => {
    const window = nightWindow(clock, night);
    return new Map<string, MeteredNight>([
      ['L-1', { wh: 300 + i, burnH: 8, firstTs: window.start, lastTs: window.end }],
      ['L-3', { wh: 100 + i, burnH: 4, firstTs: window.start + 12 * 3600, lastTs: window.end }],
    ]);
  };
  const closedOf = (night: string, inventory: readonly Luminaire[]) =>
    closeNightAsPlanned(
      site,
      inventory,
      night,
      itemsOf(night, JUNE.indexOf(night)),
      circuitsOf(cabinets, inventory),
    );

  function deps(closed: readonly string[]) {
    const asked: string[][] = [];
    let inventory: readonly Luminaire[] = wired;
    const stored = new Map(
      closed.map((night) => [night, { ...closedOf(night, wired), configVersion: 1, closedAt: 'x' }]),
    );
    const of = (openNights?: SavingsReportDeps['openNights']): SavingsReportDeps => ({
      config: { load: async () => site },
      luminaires: { listAll: async () => [...inventory] },
      closedNights: {
        get: async (night) => stored.get(night),
        getMonth: async () => undefined,
        nightReadings: async (ids, night) => {
          asked.push([night, ...ids]);
          return itemsOf(night, JUNE.indexOf(night));
        },
      },
      alarms: { openDuring: async () => [] },
      cabinets: { listAll: async () => cabinets },
      ...(openNights === undefined ? {} : { openNights }),
    });
    return { of, asked, setInventory: (next: readonly Luminaire[]) => (inventory = next) };
  }

  it('gives, with its last nights open, the figures it gives once they are closed, reading no night item of a luminaire its cabinet alone switches', async () => {
    const query = { from: '2026-06-01', to: '2026-06-30', groupBy: 'street' as const };
    const open = deps(JUNE.slice(0, 28));
    const report = await loadSavingsReport(open.of(), query);
    expect(report).toEqual(await loadSavingsReport(deps(JUNE).of(), query));
    expect(open.asked).toEqual(OPEN.map((night) => [night, 'L-1', 'L-3']));
    expect(report.total.stipulatedLuminaireNights).toBe(30);
    expect(report.total.partialLuminaireNights).toBe(30);
  });

  it('closes an open night once for the reports that follow, and anew when the inventory changes', async () => {
    let now = 0;
    const openNights = heldOpenNights(() => now);
    const open = deps(JUNE.slice(0, 28));
    const query = { from: '2026-06-01', to: '2026-06-30' };
    const bySite = await loadSavingsReport(open.of(openNights), { ...query, groupBy: 'site' });
    const byZone = await loadSavingsReport(open.of(openNights), { ...query, groupBy: 'zone' });
    expect(open.asked).toHaveLength(2);
    expect(byZone.total).toEqual(bySite.total);

    open.setInventory(wired.slice(0, 2));
    const smaller = await loadSavingsReport(open.of(openNights), { ...query, groupBy: 'site' });
    expect(open.asked).toHaveLength(4);
    expect(smaller.total.luminaires).toBe(2);
    now = 3600;
    await loadSavingsReport(open.of(openNights), { ...query, groupBy: 'site' });
    expect(open.asked).toHaveLength(6);
  });
});
