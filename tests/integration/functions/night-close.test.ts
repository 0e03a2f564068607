import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { makeNightClose, rewriteMonthTotals } from '#functions/reports/night-close.ts';
import { loadSavingsReport } from '#functions/reports/savings-report.ts';
import { STREETS_PER_PART } from '#functions/store/closed-night-store.ts';
import { siteKeys } from '#functions/store/keys.ts';
import { type Luminaire, NO_CIRCUITS } from '#schedules/index.ts';
import { closeNightAsPlanned, emptySums, type MeteredNight } from '#schedules/report/closed-night.ts';
import { nightWindow } from '#schedules/time/night.ts';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import { testConfig, testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { type LocalSite, localSite } from './local-site.ts';

const NIGHTS = ['2026-06-10', '2026-06-11'];
/** 13:00 in Paris the day after the last night. */
const SCHEDULED = '2026-06-12T11:00:00Z';
const keys = siteKeys('test');

/** Night items as the ledger leaves them (AP6): complete, partial (no last reading near the end) or none. */
async function seedNights(site: LocalSite, luminaires: readonly Luminaire[]) {
  for (const [n, night] of NIGHTS.entries()) {
    for (const [i, luminaire] of luminaires.entries()) {
      const kind = (i + n) % 3;
      if (kind === 2) continue;
      await site.db.send(
        new PutCommand({
          TableName: site.tables.main,
          Item: {
            pk: keys.luminairePk(luminaire.id),
            sk: keys.luminaireDaySk(night),
            night,
            wh: 300 + 10 * i,
            burnH: 8 + i / 10,
            reports: 30,
            firstTs: 0,
            lastTs: kind === 0 ? 1e10 : 0,
          },
        }),
      );
    }
  }
}

const closeOf = (site: LocalSite) =>
  makeNightClose({
    config: site.stores.config,
    luminaires: site.stores.luminaires,
    cabinets: site.stores.cabinets,
    closedNights: site.stores.closedNights,
    now: () => Date.parse(SCHEDULED) / 1000,
  });

describe('night close and the report from closed nights (DynamoDB Local)', () => {
  it('gives the same report as closing every night from its night items, and re-closing changes nothing', async () => {
    const luminaires = testLuminaires(12);
    const site = await localSite(testConfig(), luminaires);
    await seedNights(site, luminaires);
    await site.stores.alarms.open({
      luminaireId: 'L-0001',
      kind: 'lampFailure',
      zone: 'cite',
      street: 'Rue Trivalle',
      openedAt: '2026-06-10T21:00:00.000Z',
    });
    const query = { from: NIGHTS[0] as string, to: NIGHTS[1] as string, groupBy: 'zone' as const };
    const before = await loadSavingsReport(site.stores, query);
    expect(await site.stores.closedNights.get(NIGHTS[0] as string)).toBeUndefined();

    const close = closeOf(site);
    for (const night of NIGHTS) await close({ scheduledTime: SCHEDULED, night });
    const stored = await site.stores.closedNights.get(NIGHTS[1] as string);
    expect(stored?.streets.map((s) => s.zone)).toEqual(['bastide', 'cite']);
    const after = await loadSavingsReport(site.stores, query);
    expect(after).toEqual(before);
    expect(after.total.completeLuminaireNights).toBeGreaterThan(0);
    expect(after.total.partialLuminaireNights).toBeGreaterThan(0);
    expect(after.kpis.failedLuminaires).toBe(1);

    const again = await close({ scheduledTime: SCHEDULED, night: NIGHTS[1] });
    expect(again.items).toBe(2);
    expect(await loadSavingsReport(site.stores, query)).toEqual(before);
  });

  it('reads a whole month from its totals with the figures of its closed nights; a night closed again updates the month', async () => {
    const config = testConfig();
    const luminaires = testLuminaires(6);
    const site = await localSite(config, luminaires);
    const clock = ZoneClock.of(config.site.timezone);
    const close = async (night: string, lit: boolean, closedAt = `${night}T12:00:00.000Z`) => {
      const window = nightWindow(clock, night);
      const readings = new Map<string, MeteredNight>(
        lit
          ? luminaires.map((l, i) => [
              l.id,
              { wh: 200 + i, burnH: 11, firstTs: window.start, lastTs: window.end },
            ])
          : [],
      );
      const closed = closeNightAsPlanned(config, luminaires, night, readings, NO_CIRCUITS);
      await site.stores.closedNights.put({ ...closed, configVersion: 1, closedAt });
    };
    const february = Array.from({ length: 28 }, (_, i) => `2026-02-${String(i + 1).padStart(2, '0')}`);
    for (const night of february) await close(night, true);
    expect(await rewriteMonthTotals(site.stores.closedNights, '2026-02', '2026-03-01T12:00:00.000Z')).toEqual(
      {
        nights: 28,
        items: 2,
      },
    );
    const query = { from: '2026-02-01', to: '2026-02-28', groupBy: 'street' as const };
    const nightsOnly = {
      ...site.stores,
      closedNights: { ...site.stores.closedNights, getMonth: async () => undefined },
    };
    const fromTotals = await loadSavingsReport(site.stores, query);
    expect(fromTotals).toEqual(await loadSavingsReport(nightsOnly, query));
    expect(fromTotals.total.completeLuminaireNights).toBe(6 * 28);

    await close('2026-02-28', false, '2026-03-02T12:00:00.000Z');
    await rewriteMonthTotals(site.stores.closedNights, '2026-02', '2026-03-02T12:00:00.000Z');
    const updated = await loadSavingsReport(site.stores, query);
    expect(updated.total.completeLuminaireNights).toBe(6 * 27);
    expect(updated.total.silentLuminaireNights).toBe(6);
    expect(updated).toEqual(await loadSavingsReport(nightsOnly, query));
  });

  it('splits a zone of many streets into parts, drops the parts of an older close, and reads a half-written close as not closed', async () => {
    const site = await localSite(testConfig(), []);
    const night = '2026-06-10';
    const streets = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ zone: 'cite', street: `Rue ${i}`, ...emptySums() }));
    const put = (count: number, closedAt: string) =>
      site.stores.closedNights.put({ night, lines: [], streets: streets(count), configVersion: 3, closedAt });

    expect((await put(STREETS_PER_PART + 1, '2026-06-11T10:30:00.000Z')).items).toBe(2);
    expect((await site.stores.closedNights.get(night))?.streets).toHaveLength(STREETS_PER_PART + 1);
    expect((await put(3, '2026-06-12T10:30:00.000Z')).items).toBe(1);
    const reclosed = await site.stores.closedNights.get(night);
    expect([reclosed?.streets.length, reclosed?.configVersion]).toEqual([3, 3]);

    await put(STREETS_PER_PART + 1, '2026-06-13T10:30:00.000Z');
    await site.db.send(
      new DeleteCommand({
        TableName: site.tables.main,
        Key: { pk: keys.closedNightPk(night), sk: keys.closedNightSk('cite', 1) },
      }),
    );
    expect(await site.stores.closedNights.get(night)).toBeUndefined();
  });

  it('reads a night closed before the sums were packed, from its JSON document', async () => {
    const site = await localSite(testConfig(), []);
    const streets = [{ zone: 'cite', street: 'Rue Trivalle', ...emptySums(), meteredWh: 1234.5 }];
    await site.db.send(
      new PutCommand({
        TableName: site.tables.main,
        Item: {
          pk: keys.closedNightPk('2026-06-10'),
          sk: keys.closedNightSk('cite', 0),
          night: '2026-06-10',
          zone: 'cite',
          closedAt: '2026-06-11T10:30:00.000Z',
          configVersion: 2,
          parts: 1,
          doc: JSON.stringify({ lines: [], streets }),
        },
      }),
    );
    expect(await site.stores.closedNights.get('2026-06-10')).toEqual({
      night: '2026-06-10',
      configVersion: 2,
      closedAt: '2026-06-11T10:30:00.000Z',
      lines: [],
      streets,
    });
  });

  it('finds the alarms open during a period in one query: open ones, and cleared ones cleared after it began', async () => {
    const site = await localSite(testConfig(), []);
    const alarm = (luminaireId: string, openedAt: string) =>
      site.stores.alarms.open({
        luminaireId,
        kind: 'lampFailure',
        zone: 'cite',
        street: 'Rue Trivalle',
        openedAt,
      });
    await alarm('L-open', '2026-05-01T00:00:00.000Z');
    await alarm('L-cleared-before', '2026-05-01T00:00:00.000Z');
    await site.stores.alarms.clear('L-cleared-before', 'lampFailure', '2026-05-02T00:00:00.000Z');
    await alarm('L-cleared-during', '2026-05-01T00:00:00.000Z');
    await site.stores.alarms.clear('L-cleared-during', 'lampFailure', '2026-06-10T23:00:00.000Z');
    await alarm('L-later', '2026-07-01T00:00:00.000Z');
    const found = await site.stores.alarms.openDuring('2026-06-10T00:00:00.000Z', '2026-06-12T00:00:00.000Z');
    expect(found.map((a) => a.luminaireId).sort()).toEqual(['L-cleared-during', 'L-open']);
  });
});
