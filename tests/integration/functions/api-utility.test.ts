import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as makeCabinetMeterHandler } from '#functions/cabinet-meter/handler.ts';
import { siteKeys } from '#functions/store/keys.ts';
import { loadReconciliation } from '#functions/utility/reconciliation.ts';
import { twoRuleConfig } from '#tests/support/functions/api/fixtures.ts';
import { testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { frenchLoadCurve } from '#tests/support/schedules/utility/load-curve.ts';
import { uniqueName } from '../local-clients.ts';
import { localApi } from './api-site.ts';

const NOW = Date.parse('2026-06-21T11:00:00Z') / 1000;
const PDL = '20133033653418';
const UNKNOWN = '20133033653499';

let api: Awaited<ReturnType<typeof localApi>>;
let finance: string;

const loadCurve = (days: readonly string[], watts: number) => frenchLoadCurve(PDL, days, watts);

const upload = (file: string) => api.request('POST', '/utility-readings', finance, file, 'text/csv');

/** The items of the point's partition, as DynamoDB holds them. */
async function storedItems(pdl = PDL) {
  const out = await api.table.db.send(
    new QueryCommand({
      TableName: api.table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': siteKeys('test').utilityReadingsPk(pdl) },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

beforeAll(async () => {
  api = await localApi(twoRuleConfig(), testLuminaires(2, uniqueName('U')), NOW);
  finance = await api.token(['finance']);
  const admin = await api.token(['admin']);
  const cabinets = `id;lat;lon;zone;deliveryPointId;subscribedKva;tariffOption;controller\nC1;43.2;2.35;cite;${PDL};36;ep;connected\n`;
  const imported = await api.request('POST', '/cabinets/import', admin, cabinets, 'text/csv');
  expect(imported.status).toBe(200);
});
afterAll(() => api.stop());

describe('utility readings through the API on DynamoDB Local', () => {
  it('stores the curve per month, the same items again on re-import, and reconciles from them', async () => {
    const file = loadCurve(['14/01/2026', '15/01/2026'], 2000);
    const first = await upload(file);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ deliveryPoints: 1, months: 1, readings: 96 });
    const items = await storedItems();
    expect(items.map((i) => i.sk)).toEqual([expect.stringMatching(/^V#1-[0-9a-f-]+#M#2026-01$/)]);
    expect((items[0]?.starts as Uint8Array | undefined)?.byteLength).toBe(96 * 8);

    expect((await upload(file)).status).toBe(200);
    expect(await storedItems()).toEqual(items);

    const result = await api.request('GET', '/reconciliation?from=2026-01-14&to=2026-01-16', finance);
    expect(result.status).toBe(200);
    expect(result.json.deliveryPoints).toEqual([
      expect.objectContaining({ deliveryPointId: PDL, cabinetIds: ['C1'], billedKwh: 96 }),
    ]);
  });

  it('replaces a re-imported period and keeps the rest', async () => {
    expect((await upload(loadCurve(['15/01/2026'], 500))).status).toBe(200);
    const result = await api.request('GET', '/reconciliation?from=2026-01-14&to=2026-01-16', finance);
    expect(result.json.deliveryPoints[0].billedKwh).toBe(48 + 12);
  });

  it('stores nothing from a file with a bad line or an unknown delivery point', async () => {
    const before = await storedItems();
    const bad = loadCurve(['20/01/2026'], 100).replace('20/01/2026 05:00;100', '20/01/2026 05:00;-3');
    const refused = await upload(bad);
    expect(refused.status).toBe(422);
    expect(refused.json.errors).toEqual([
      expect.objectContaining({ name: expect.stringMatching(/^row 12, column/) }),
    ]);
    const unknown = await upload(`${loadCurve(['21/01/2026'], 100)}${UNKNOWN};21/01/2026 00:00;10\r\n`);
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(unknown.json.errors)).toContain(UNKNOWN);
    expect(await storedItems()).toEqual(before);
    expect(await storedItems(UNKNOWN)).toEqual([]);
  });

  it('lets one of two imports of the same point running at once win whole, the other refused', async () => {
    const files = [loadCurve(['16/01/2026'], 700), loadCurve(['16/01/2026', '17/01/2026'], 900)];
    const results = await Promise.all(files.map(upload));
    const statuses = results.map((r) => r.status).sort();
    expect([
      [200, 200],
      [200, 409],
    ]).toContainEqual(statuses);
    const result = await api.request('GET', '/reconciliation?from=2026-01-16&to=2026-01-18', finance);
    // One file's readings only, never a mix: 700 W on the 16th only, or 900 W on both days.
    expect([16.8, 43.2]).toContain(result.json.deliveryPoints[0].billedKwh);
    // One month item is current; the versions replaced expire (TTL) instead of being deleted.
    const items = await storedItems();
    expect(items.filter((item) => item.expiresAt === undefined)).toHaveLength(1);
    const now = Date.now() / 1000;
    for (const item of items.filter((i) => i.expiresAt !== undefined))
      expect(item.expiresAt).toBeGreaterThan(now);
  });

  it('gives a reconciliation that read the readings before an import committed every month it read them in', async () => {
    expect((await upload(loadCurve(['31/03/2026', '01/04/2026'], 1000))).status).toBe(200);
    const racing = {
      ...api.stores,
      utilityReadings: {
        async head() {
          const head = await api.stores.utilityReadings.head();
          // The import replaces the point's readings between the reconciliation's head and its reads.
          expect((await upload(loadCurve(['01/04/2026'], 2000))).status).toBe(200);
          return head;
        },
        months: api.stores.utilityReadings.months,
      },
    };
    const during = await loadReconciliation(racing, { from: '2026-03-31', to: '2026-04-02' });
    // Both days (two UTC months) as they were before the import: 1 kW for 48 h.
    expect(during.deliveryPoints[0]?.billedKwh).toBe(48);
    const after = await api.request('GET', '/reconciliation?from=2026-03-31&to=2026-04-02', finance);
    expect(after.json.deliveryPoints[0].billedKwh).toBe(24 + 48);
  });

  it("reconciles a connected cabinet with its own meter's nights, saying so", async () => {
    const meter = makeCabinetMeterHandler({
      now: () => Date.parse('2026-01-15T22:00:00Z') / 1000,
      timezone: async () => 'Europe/Paris',
      cabinetOf: async (thing) => (await api.stores.cabinets.listAll()).find((c) => c.thingName === thing),
      meters: api.stores.cabinetMeters,
      rejects: api.stores.rejects,
      countReject: () => {},
    });
    const reading = (seq: number, iso: string, phasesWh: [number, number, number]) => ({
      eventID: `shardId-000000000000:${seq}`,
      kinesis: {
        sequenceNumber: String(seq),
        data: Buffer.from(
          JSON.stringify({
            thing: 'C1',
            ts: Date.parse(iso) / 1000,
            seq,
            counterId: 'meter-1',
            phasesWh,
            totalWh: phasesWh[0] + phasesWh[1] + phasesWh[2],
            receivedAt: Date.parse(iso),
          }),
        ).toString('base64'),
      },
    });
    const batch = {
      Records: [
        reading(1, '2026-01-15T19:00:00Z', [400, 300, 300]),
        reading(2, '2026-01-15T21:00:00Z', [4000, 3500, 3500]),
      ],
    };
    expect(await meter(batch)).toEqual({ batchItemFailures: [] });
    const result = await api.request('GET', '/reconciliation?from=2026-01-15&to=2026-01-16', finance);
    expect(result.json.metered).toBe('cabinet meters');
    expect(result.json.deliveryPoints[0]).toMatchObject({
      meteredKwh: 10,
      meteredBy: { C1: 'cabinet meter' },
    });
  });
});
