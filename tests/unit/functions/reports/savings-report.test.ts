import { describe, expect, it } from 'vitest';
import { loadSavingsReport, type SavingsReportDeps } from '#functions/reports/savings-report.ts';
import type { StoredClosedNight } from '#functions/store/index.ts';
import { NO_CIRCUITS } from '#schedules/index.ts';
import { closeNightAsPlanned, type MeteredNight } from '#schedules/report/closed-night.ts';
import { addNights } from '#schedules/report/month-sums.ts';
import { nightWindow } from '#schedules/time/night.ts';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import { config, luminaire } from '#tests/support/schedules/fixtures.ts';

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
