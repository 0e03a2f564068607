import { createHash } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteKeys } from '#functions/store/keys.ts';
import { twoRuleConfig } from '#tests/support/functions/api/fixtures.ts';
import { testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { uniqueName } from '../local-clients.ts';
import { localApi } from './api-site.ts';

/** 2026-06-21 13:00 Paris: May is over, June is not. */
const NOW = Date.parse('2026-06-21T11:00:00Z') / 1000;
const luminaires = testLuminaires(4, uniqueName('S'));
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

let api: Awaited<ReturnType<typeof localApi>>;
let finance: string;

/** A luminaire-night whose readings cover the whole night (noon to noon, UTC+2). */
async function meteredNight(index: number, night: string, wh: number): Promise<void> {
  const keys = siteKeys('test');
  const noon = Date.parse(`${night}T10:00:00Z`) / 1000;
  await api.table.db.send(
    new PutCommand({
      TableName: api.table.tableName,
      Item: {
        pk: keys.luminairePk(luminaires[index]?.id ?? ''),
        sk: keys.luminaireDaySk(night),
        night,
        wh,
        burnH: 8,
        reports: 40,
        firstTs: noon,
        lastTs: noon + 86_340,
      },
    }),
  );
}

const close = (body?: object) =>
  api.request(
    'POST',
    '/statements/2026-05/close',
    finance,
    body === undefined ? undefined : JSON.stringify(body),
  );

beforeAll(async () => {
  api = await localApi(twoRuleConfig(), luminaires, NOW);
  finance = await api.token(['finance']);
  await meteredNight(0, '2026-05-10', 400);
});
afterAll(() => api.stop());

// Each close plans and renders a month; the shared machine makes that take seconds.
describe('monthly statements', { timeout: 120_000 }, () => {
  it('freezes a month once: closing again with the same figures returns the same version', async () => {
    const first = await close();
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      kind: 'created',
      statement: { month: '2026-05', version: 1, reason: null, configVersion: 0, tariffs: ['flat'] },
    });
    const again = await close();
    expect(again.status).toBe(200);
    expect(again.json.kind).toBe('unchanged');
    expect(again.json.statement).toEqual(first.json.statement);
  });

  it('returns the frozen bytes with their SHA-256, as JSON, French CSV and printable French HTML', async () => {
    const { json: listed } = await api.request('GET', '/statements/2026-05', finance);
    const [version] = listed.versions;
    const json = await api.request('GET', '/statements/2026-05?format=json', finance);
    expect(sha256(json.text)).toBe(version.sha256.json);
    expect(json.headers.get('repr-digest')).toBe(
      `sha-256=:${Buffer.from(version.sha256.json, 'hex').toString('base64')}:`,
    );
    expect(json.json).not.toHaveProperty('generatedAt');
    const csv = await api.request('GET', '/statements/2026-05?format=csv', finance);
    expect(csv.text.startsWith('group_by;group;from;to;ipmvp_option;')).toBe(true);
    expect(sha256(`\uFEFF${csv.text}`)).toBe(version.sha256['csv-fr']);
    const programs = await api.request('GET', '/statements/2026-05?format=csv&csv=rfc4180', finance);
    expect(programs.text.split('\r\n')[0]).toContain('group_by,group,from,to,');
    const html = await api.request('GET', '/statements/2026-05?format=html', finance);
    expect(html.text).toContain('size:A4');
    expect(html.text).toContain(version.sha256.json);
    expect(html.text).toContain('01/05/2026');
    expect(sha256(html.text)).toBe(version.sha256.html);
  });

  it('makes a correction a new version with its reason, and keeps the first one byte for byte', async () => {
    const firstJson = (await api.request('GET', '/statements/2026-05?format=json&version=1', finance)).text;
    await meteredNight(1, '2026-05-11', 300);
    const unexplained = await close();
    expect(unexplained.status).toBe(409);
    expect(unexplained.json.detail).toMatch(/a correction needs a reason/);
    const corrected = await close({ reason: 'late readings of 11 May' });
    expect(corrected.status).toBe(201);
    expect(corrected.json.statement).toMatchObject({ version: 2, reason: 'late readings of 11 May' });
    const { json: listed } = await api.request('GET', '/statements/2026-05', finance);
    expect(listed.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect((await api.request('GET', '/statements/2026-05?format=json&version=1', finance)).text).toBe(
      firstJson,
    );
    const latest = await api.request('GET', '/statements/2026-05?format=json', finance);
    expect(latest.headers.get('statement-version')).toBe('2');
    expect(latest.json.total.meteredKwh).toBeCloseTo(0.7, 6);
  });

  it('answers 404 for a month never closed and keeps technicians out', async () => {
    expect((await api.request('GET', '/statements/2026-04', finance)).status).toBe(404);
    expect((await api.request('GET', '/statements/2026-04?format=html', finance)).status).toBe(404);
    const technician = await api.token(['technician']);
    expect((await api.request('GET', '/statements/2026-05', technician)).status).toBe(403);
  });
});
