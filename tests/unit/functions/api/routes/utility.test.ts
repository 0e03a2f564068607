import { beforeEach, describe, expect, it } from 'vitest';
import { frenchLoadCurve } from '#tests/support/schedules/utility/load-curve.ts';
import { apiHarness } from '../api-harness.ts';

const PDL = '00000000000001';
const OTHER = '00000000000009';

let t: ReturnType<typeof apiHarness>;
beforeEach(async () => {
  t = apiHarness();
  const cabinets = `id;lat;lon;zone;deliveryPointId;subscribedKva;tariffOption;controller\nC1;43.2;2.35;cite;${PDL};36;ep;connected\n`;
  const imported = await t.call('POST', '/cabinets/import', 'admin', cabinets, 'text/csv');
  expect(imported.status).toBe(200);
});

const loadCurve = (days: readonly string[], watts: number) => frenchLoadCurve(PDL, days, watts);
/** A CSV file sent to the import as `role`. */
const importCsv = (file: string, role: 'finance' | 'tech' = 'finance') =>
  t.call('POST', '/utility-readings', role, file, 'text/csv');

const stored = () =>
  [...t.utilityReadings.items.values()].map((m) => ({
    month: m.month,
    count: m.curve.starts.length,
    watts: [...new Set(m.curve.powerW)],
  }));

describe('POST /utility-readings', () => {
  it('stores the load curve per delivery point and month', async () => {
    const result = await importCsv(loadCurve(['31/01/2026', '01/02/2026'], 2000));
    expect(result).toMatchObject({ status: 200, body: { deliveryPoints: 1, readings: 96 } });
    // Months are UTC: 1 February's first hour in Paris is 31 January 23:00-24:00 UTC.
    expect(stored()).toEqual([
      { month: '2026-01', count: 50, watts: [2000] },
      { month: '2026-02', count: 46, watts: [2000] },
    ]);
  });

  it('leaves the same items when the same file is imported again, and commits no new version', async () => {
    const file = loadCurve(['15/01/2026'], 1500);
    await importCsv(file);
    const first = stored();
    const { rev } = await t.utilityReadings.head();
    const again = await importCsv(file);
    expect(again).toMatchObject({ status: 200, body: { deliveryPoints: 1, months: 1, readings: 48 } });
    expect(stored()).toEqual(first);
    expect((await t.utilityReadings.head()).rev).toBe(rev);
  });

  it('refuses an import another one overtook (409), leaving what the other stored', async () => {
    await importCsv(loadCurve(['15/01/2026'], 1500));
    const first = stored();
    t.utilityReadings.overtakeNext();
    const late = await importCsv(loadCurve(['15/01/2026'], 900));
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/send the file again/);
    expect(stored()).toEqual(first);
  });

  it('replaces a re-imported period and keeps the rest of the month', async () => {
    await importCsv(loadCurve(['14/01/2026', '15/01/2026'], 1000));
    await importCsv(loadCurve(['15/01/2026'], 3000));
    const [month] = [...t.utilityReadings.items.values()];
    expect(month?.curve.starts.length).toBe(96);
    expect([...(month?.curve.powerW ?? [])]).toEqual([...Array(48).fill(1000), ...Array(48).fill(3000)]);
  });

  it('refuses a delivery point no cabinet names, naming it, and stores nothing', async () => {
    const file = `${loadCurve(['15/01/2026'], 1000)}${OTHER};15/01/2026 00:00;10\r\n`;
    const result = await importCsv(file);
    expect(result.status).toBe(422);
    expect(JSON.stringify(result.body.errors)).toContain(OTHER);
    expect(t.utilityReadings.items.size).toBe(0);
  });

  it('names the line and column of a bad value and stores nothing', async () => {
    const file = loadCurve(['15/01/2026'], 1000).replace(
      `${PDL};15/01/2026 03:00;1000`,
      `${PDL};15/01/2026 03:00;lots`,
    );
    const result = await importCsv(file);
    expect(result.status).toBe(422);
    expect(result.body.errors).toEqual([
      expect.objectContaining({ name: expect.stringMatching(/row 8, column powerW/) }),
    ]);
    expect(t.utilityReadings.items.size).toBe(0);
  });

  it('refuses index readings, which carry no curve to store', async () => {
    const file = `PDL;date;indexKwh\n${PDL};2026-01-01;100\n${PDL};2026-02-01;900\n`;
    const result = await importCsv(file);
    expect(result.status).toBe(422);
    expect(t.utilityReadings.items.size).toBe(0);
  });

  it('takes only text/csv', async () => {
    const result = await t.call('POST', '/utility-readings', 'finance', { rows: [] });
    expect(result.status).toBe(415);
  });

  it('is for finance and admins, not technicians', async () => {
    const result = await importCsv(loadCurve(['15/01/2026'], 1), 'tech');
    expect(result.status).toBe(403);
  });
});

describe('GET /reconciliation', () => {
  it('reconciles the stored curve with the plans when no luminaire reported', async () => {
    await importCsv(loadCurve(['15/01/2026'], 2000));
    const result = await t.call('GET', '/reconciliation?from=2026-01-15&to=2026-01-16', 'finance');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      period: { from: '2026-01-15', to: '2026-01-16' },
      metered: 'no meter reported: compared with the plans',
      deliveryPoints: [{ deliveryPointId: PDL, cabinetIds: ['C1'], billedKwh: 48, meteredKwh: null }],
    });
    expect(result.body.findings.map((f: { kind: string }) => f.kind)).toContain('over-subscription');
  });

  it("compares with the luminaires' metered nights summed per cabinet, with line loss", async () => {
    const metered = apiHarness({
      luminaires: (store) => ({
        ...store,
        listAll: async () => (await store.listAll()).map((l) => ({ ...l, cabinet: 'C1' })),
      }),
      luminaireNights: async (_id, from, to) => {
        expect([from, to]).toEqual(['2026-01-15', '2026-01-15']);
        return [{ night: '2026-01-15', wh: 5000, burnH: 14, reports: 50, firstTs: null, lastTs: null }];
      },
    });
    const cabinets = `id;lat;lon;zone;deliveryPointId;subscribedKva;tariffOption;controller\nC1;43.2;2.35;cite;${PDL};36;ep;connected\n`;
    await metered.call('POST', '/cabinets/import', 'admin', cabinets, 'text/csv');
    await metered.call('POST', '/utility-readings', 'finance', loadCurve(['15/01/2026'], 2000), 'text/csv');
    const result = await metered.call('GET', '/reconciliation?from=2026-01-15&to=2026-01-16', 'finance');
    expect(result.body.metered).toBe('luminaire meters');
    // Six luminaires of 5 kWh, plus the cabinet's default 3 % line loss.
    expect(result.body.deliveryPoints[0].meteredKwh).toBeCloseTo(30 * 1.03);
    const csv = await metered.call(
      'GET',
      '/reconciliation?from=2026-01-15&to=2026-01-16&format=csv',
      'finance',
    );
    expect(String(csv.body).split('\r\n')[1]).toMatch(/;C1;[\d,]+;30,9;luminaire meters;/);
  });

  it("takes a connected cabinet's own meter over its luminaires' where it counted the period", async () => {
    const metered = apiHarness({
      luminaires: (store) => ({
        ...store,
        listAll: async () => (await store.listAll()).map((l) => ({ ...l, cabinet: 'C1' })),
      }),
      luminaireNights: async () => [
        { night: '2026-01-15', wh: 5000, burnH: 14, reports: 50, firstTs: null, lastTs: null },
      ],
      cabinetNights: async (cabinet, from, to) => {
        expect([cabinet, from, to]).toEqual(['C1', '2026-01-15', '2026-01-15']);
        return new Map([['2026-01-15', 29_500]]);
      },
    });
    const cabinets = `id;lat;lon;zone;deliveryPointId;subscribedKva;tariffOption;controller\nC1;43.2;2.35;cite;${PDL};36;ep;connected\n`;
    await metered.call('POST', '/cabinets/import', 'admin', cabinets, 'text/csv');
    await metered.call('POST', '/utility-readings', 'finance', loadCurve(['15/01/2026'], 2000), 'text/csv');
    const result = await metered.call('GET', '/reconciliation?from=2026-01-15&to=2026-01-16', 'finance');
    expect(result.body.metered).toBe('cabinet meters');
    // The cabinet meter counts at the delivery point: no line loss added.
    expect(result.body.deliveryPoints[0]).toMatchObject({
      meteredKwh: 29.5,
      meteredBy: { C1: 'cabinet meter' },
    });
    const csv = await metered.call(
      'GET',
      '/reconciliation?from=2026-01-15&to=2026-01-16&format=csv',
      'finance',
    );
    expect(String(csv.body).split('\r\n')[1]).toMatch(/;C1;[\d,]+;29,5;cabinet meter;/);
  });

  it('gives the French CSV: semicolons, decimal comma, findings last', async () => {
    await importCsv(loadCurve(['15/01/2026'], 1234.5));
    const result = await t.call('GET', '/reconciliation?from=2026-01-15&to=2026-01-16&format=csv', 'admin');
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toMatch(/^text\/csv/);
    const [header, row] = String(result.body).split('\r\n');
    expect(header).toBe(
      'from;to;deliveryPointId;cabinetIds;billedKwh;meteredKwh;meteredBy;plannedKwh;maxDemandKva;subscribedKva;daylightKwh;findings',
    );
    // Nothing metered the cabinet: the CSV says so next to the empty metered figure.
    expect(row).toMatch(
      /^2026-01-15;2026-01-16;00000000000001;C1;29,6;;none;[\d,]+;1,4;36;[\d,]+;.*over-subscription/,
    );
  });

  it('refuses a period that is empty, reversed or longer than a year and a day', async () => {
    for (const query of [
      'from=2026-01-15&to=2026-01-15',
      'from=2026-02-01&to=2026-01-01',
      'from=2025-01-01&to=2026-02-01',
      'from=2026-02-30&to=2026-03-01',
    ]) {
      const result = await t.call('GET', `/reconciliation?${query}`, 'finance');
      expect(result.status, query).toBe(400);
    }
  });

  it('is for finance and admins, not technicians', async () => {
    const result = await t.call('GET', '/reconciliation?from=2026-01-15&to=2026-01-16', 'tech');
    expect(result.status).toBe(403);
  });
});
