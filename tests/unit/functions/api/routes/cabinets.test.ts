import { beforeEach, describe, expect, it } from 'vitest';
import { apiHarness } from '../api-harness.ts';

let t: ReturnType<typeof apiHarness>;
beforeEach(() => {
  t = apiHarness();
});

const HEADER = 'id;lat;lon;zone;deliveryPointId;subscribedKva;tariffOption;controller';
const row = (id: string, pdl: string, zone = 'cite') => `${id};43.2;2.35;${zone};${pdl};36;ep;connected`;
const csv = (...rows: string[]) => `${[HEADER, ...rows].join('\n')}\n`;

describe('cabinet inventory', () => {
  it('imports cabinets as CSV with one audit entry, lists and exports them', async () => {
    const result = await t.call(
      'POST',
      '/cabinets/import',
      'tech',
      csv(row('B', '00000000000002'), row('A', '00000000000001')),
      'text/csv',
    );
    expect(result).toMatchObject({
      status: 200,
      body: { dryRun: false, action: 'cabinets.import', created: 2, replaced: 0, auditId: 'id-1' },
    });
    expect(t.cabinets.imports.map((i) => i.items.map((c) => c.id))).toEqual([['B', 'A']]);
    const listed = await t.call('GET', '/cabinets?zone=cite', 'tech');
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual(['A', 'B']);
    const exported = await t.call('GET', '/cabinets/export?format=csv', 'tech');
    expect(exported.body).toBe(
      'id,lat,lon,zone,commune,deliveryPointId,subscribedKva,tariffOption,controller,thingName,lineLossPercent,nightCut\n' +
        'A,43.2,2.35,cite,,00000000000001,36,ep,connected,A,3,\n' +
        'B,43.2,2.35,cite,,00000000000002,36,ep,connected,B,3,\n',
    );
  });

  it('refuses a file with a bad row, naming row and column, and stores nothing', async () => {
    const result = await t.call('POST', '/cabinets/import', 'tech', csv(row('A', '123')), 'text/csv');
    expect(result.status).toBe(422);
    expect(result.body.errors).toEqual([
      { name: 'row 2, column deliveryPointId', detail: 'deliveryPointId must be 14 digits (PDL/PRM)' },
    ]);
    expect(t.cabinets.imports).toEqual([]);
  });

  it('refuses a delivery point another stored cabinet is metered by', async () => {
    await t.call('POST', '/cabinets/import', 'tech', csv(row('A', '00000000000001')), 'text/csv');
    const result = await t.call(
      'POST',
      '/cabinets/import',
      'tech',
      csv(row('B', '00000000000001')),
      'text/csv',
    );
    expect(result.status).toBe(409);
    expect(t.cabinets.imports).toHaveLength(1);
  });

  it('refuses a zone-limited technician cabinets outside their zones', async () => {
    const result = await t.call(
      'POST',
      '/cabinets/import',
      'citeTech',
      csv(row('A', '00000000000001', 'bastide')),
      'text/csv',
    );
    expect(result.status).toBe(403);
  });

  it('lets luminaires name stored cabinets only', async () => {
    await t.call('POST', '/cabinets/import', 'tech', csv(row('A', '00000000000001')), 'text/csv');
    const header = 'id,lat,lon,street,zone,ledWatts,baselineWatts,cabinet,controller';
    const known = await t.call(
      'POST',
      '/luminaires/import',
      'tech',
      `${header}\nN-1,43.2,2.35,Rue,cite,30,100,A,none\n`,
      'text/csv',
    );
    expect(known.status).toBe(200);
    const unknown = await t.call(
      'POST',
      '/luminaires/import',
      'tech',
      `${header}\nN-2,43.2,2.35,Rue,cite,30,100,Z,none\n`,
      'text/csv',
    );
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ name: 'row 2, column cabinet', detail: 'unknown cabinet "Z"' }]);
  });
});
