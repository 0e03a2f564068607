import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpEvent } from '#tests/support/functions/api/http-event.ts';
import { testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { config } from '#tests/support/schedules/fixtures.ts';
import { uniqueName } from '../local-clients.ts';
import { localApi } from './api-site.ts';

const NOW = Date.parse('2026-06-21T11:00:00Z') / 1000;
const PREFIX = uniqueName('W');

let api: Awaited<ReturnType<typeof localApi>>;
beforeAll(async () => {
  api = await localApi(config(), testLuminaires(8, PREFIX), NOW);
});
afterAll(() => api.stop());

/** A report as CloudFront sends it: the viewer's address in the header its function sets. */
const report = (address: string, luminaire: string) =>
  httpEvent('POST', '/public/fault-reports', {
    body: JSON.stringify({ luminaire, description: 'La lampe clignote', filledInSeconds: 30 }),
    headers: { 'x-viewer-address': address },
  });

describe('the per-client limit in DynamoDB', () => {
  it('holds across instances under concurrent requests: the flood gets 429, no other report is lost', async () => {
    const instances = [api.instance(), api.instance(), api.instance()];
    // Each instance's own buckets would let 5 through, 15 in all: the shared window lets 5.
    const flood = Array.from({ length: 30 }, (_, i) =>
      instances[i % 3]?.(report('203.0.113.66', `${PREFIX}-0000`)),
    );
    const residents = [1, 2, 3, 4, 5].map((n, i) =>
      instances[i % 3]?.(report(`198.51.100.${n}`, `${PREFIX}-000${n}`)),
    );
    const flooded = await Promise.all(flood);
    const answered = await Promise.all(residents);

    expect(flooded.filter((r) => r?.statusCode === 202)).toHaveLength(5);
    const refused = flooded.filter((r) => r?.statusCode === 429);
    expect(refused).toHaveLength(25);
    for (const r of refused) expect(Number(r?.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(answered.map((r) => r?.statusCode)).toEqual([202, 202, 202, 202, 202]);
    const reported = (await api.stores.alarms.listOpen())
      .filter((a) => a.kind === 'citizen-report')
      .map((a) => a.luminaireId)
      .sort();
    expect(reported).toEqual([0, 1, 2, 3, 4, 5].map((n) => `${PREFIX}-000${n}`));
  });

  it('keeps no address in the table, only a pseudonym per window', async () => {
    await api.instance()(report('192.0.2.77', `${PREFIX}-0006`));
    const { Items = [] } = await api.table.db.send(new ScanCommand({ TableName: api.table.tableName }));
    const windows = Items.filter((item) => String(item.pk).includes('#CLIENT#'));
    expect(windows.length).toBeGreaterThan(0);
    expect(JSON.stringify(Items)).not.toMatch(/192\.0\.2\.77|203\.0\.113\.66|198\.51\.100/);
    for (const item of windows) expect(item.expiresAt).toBeGreaterThan(NOW);
  });
});
