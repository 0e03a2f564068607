import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { config } from '#tests/support/schedules/fixtures.ts';
import { uniqueName } from '../local-clients.ts';
import { localApi } from './api-site.ts';

/** 2026-06-21 13:00 Paris: "tonight" is the night of the 21st. */
const NOW = Date.parse('2026-06-21T11:00:00Z') / 1000;
const PREFIX = uniqueName('P');
const SENSOR = uniqueName('SENSOR');
const EMAIL = 'resident.test@example.org';
/** A resident's map point about 28 m north of the fourth luminaire, away from every pole. */
const POINT = { lat: 43.20705, lon: 2.36531 };
const POINT_TEXTS = [String(POINT.lat), String(POINT.lon)];

let api: Awaited<ReturnType<typeof localApi>>;
let technician: string;

/** Every public answer seen, for the privacy scan at the end. */
const seen: { path: string; text: string }[] = [];

async function open(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await api.request(
    method,
    path,
    '',
    body === undefined ? undefined : JSON.stringify(body),
    'application/json',
    headers,
  );
  seen.push({ path, text: response.text });
  return response;
}

const report = (fields: Record<string, unknown>) => ({
  description: 'La lampe ne s’allume plus',
  filledInSeconds: 40,
  ...fields,
});

beforeAll(async () => {
  const site = config({
    site: {
      ...config().site,
      publisher: { name: 'Carcassonne Agglo' },
      zones: { bastide: { inBuiltUpArea: true, commune: 'Carcassonne' }, cite: { inBuiltUpArea: true } },
    },
  });
  api = await localApi(site, testLuminaires(8, PREFIX), NOW);
  await api.stores.sensors.put([
    { id: SENSOR, lat: 43.2068, lon: 2.3644, street: 'Rue Trivalle', zone: 'cite' },
  ]);
  technician = await api.token(['technician']);
});
afterAll(() => api.stop());

/** Reading the whole inventory (schedules of every zone, lit hours) takes a while on a busy machine. */
const SLOW = 120_000;

describe('public routes', () => {
  it(
    'answer without a token while staff routes still answer 401',
    async () => {
      for (const path of [
        '/public/catalog.jsonld',
        '/public/schedules',
        '/public/schedules?format=csv',
        '/public/lit-hours',
        '/public/eclext.geojson',
      ]) {
        expect((await open('GET', path)).status, path).toBe(200);
      }
      for (const path of [
        '/profiles',
        '/alarms',
        '/luminaires/state',
        '/audit?from=2026-06-01&to=2026-06-21',
        '/reports/savings?from=2026-06-01&to=2026-06-02',
      ]) {
        const response = await api.request('GET', path, '');
        expect(response.status, path).toBe(401);
      }
    },
    SLOW,
  );

  it(
    'publish a DCAT catalogue whose distributions the API answers',
    async () => {
      const catalog = (await open('GET', '/public/catalog.jsonld')).json;
      expect(catalog['@type']).toBe('dcat:Catalog');
      expect(catalog['dct:publisher']['foaf:name']).toBe('Carcassonne Agglo');
      const urls: string[] = catalog['dcat:dataset'].flatMap(
        (d: { 'dcat:distribution': { 'dcat:accessURL': { '@id': string } }[] }) =>
          d['dcat:distribution'].map((x) => x['dcat:accessURL']['@id']),
      );
      for (const url of urls)
        expect((await open('GET', url.slice(url.indexOf('/api/') + 4))).status, url).toBe(200);
    },
    SLOW,
  );

  it('give each street tonight its times, extinction and rule, in JSON and French CSV', async () => {
    const answer = (await open('GET', '/public/schedules?zone=bastide')).json;
    expect(answer.night).toBe('2026-06-21');
    expect(answer.streets).toEqual([
      expect.objectContaining({
        zone: 'bastide',
        street: 'Rue Trivalle',
        extinctions: [{ from: '00:30', to: '05:00' }],
        reason: expect.objectContaining({ profile: 'residential' }),
      }),
    ]);
    const csv = await open('GET', '/public/schedules?zone=bastide&format=csv');
    expect(csv.type).toMatch(/^text\/csv/);
    // fetch's text() drops the byte-order mark; the separator shows the French style.
    expect(csv.text.startsWith('night;zone;street;switch_on;switch_off;extinctions')).toBe(true);
  });

  it('give the streets of a commune every night of a month in one answer, in JSON and CSV', async () => {
    const answer = (await open('GET', '/public/schedules?commune=Carcassonne&month=2026-06')).json;
    expect(answer).toMatchObject({ month: '2026-06', commune: 'Carcassonne', communes: ['Carcassonne'] });
    expect(answer.streets).toHaveLength(30);
    expect(new Set(answer.streets.map((s: { zone: string }) => s.zone))).toEqual(new Set(['bastide']));
    expect(answer.streets[29].night).toBe('2026-06-30');
    const csv = await open(
      'GET',
      '/public/schedules?commune=Carcassonne&month=2026-06&format=csv&csv=rfc4180',
    );
    expect(csv.text.trim().split('\n')).toHaveLength(31);
    const nowhere = (await open('GET', '/public/schedules?commune=Paris&month=2026-06')).json;
    expect(nowhere.streets).toEqual([]);
  });

  it('are cached: Cache-Control, an ETag and 304 for a client that holds it', async () => {
    const first = await open('GET', '/public/schedules?zone=cite');
    expect(first.headers.get('cache-control')).toBe('public, max-age=3600');
    const again = await open('GET', '/public/schedules?zone=cite', undefined, {
      'if-none-match': first.headers.get('etag') ?? '',
    });
    expect(again.status).toBe(304);
  });
});

describe('fault reports', () => {
  it('open a citizen-report alarm technicians see, whose e-mail is erased when they close it', async () => {
    const luminaire = `${PREFIX}-0002`;
    const sent = await open('POST', '/public/fault-reports', report({ luminaire, email: EMAIL }));
    expect(sent.status).toBe(202);
    expect(sent.json).toEqual({ status: 'received', street: 'Rue Trivalle' });

    const alarms = (await api.request('GET', '/alarms', technician)).json.items;
    expect(alarms).toContainEqual(
      expect.objectContaining({
        luminaireId: luminaire,
        kind: 'citizen-report',
        contactEmail: EMAIL,
        detail: 'La lampe ne s’allume plus',
      }),
    );
    const closed = await api.request('POST', `/alarms/${luminaire}/citizen-report/close`, technician);
    expect(closed.status).toBe(200);

    const { db, tableName } = api.table;
    const items =
      (await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
    expect(JSON.stringify(items)).not.toContain(EMAIL);
    const alarm = items.find((item) => item.luminaireId === luminaire && item.kind === 'citizen-report');
    expect(alarm?.state).toBe('cleared');
  });

  it('refuse to close by hand an alarm the luminaire clears itself', async () => {
    const closed = await api.request('POST', `/alarms/${PREFIX}-0002/lampFailure/close`, technician);
    expect(closed.status).toBe(409);
  });

  it('answer a honeypot like a report and store nothing', async () => {
    const before = (await api.request('GET', '/alarms', technician)).json.items.length;
    const sent = await open(
      'POST',
      '/public/fault-reports',
      report({ luminaire: `${PREFIX}-0003`, website: 'http://spam.example' }),
    );
    expect(sent.status).toBe(202);
    expect((await api.request('GET', '/alarms', technician)).json.items.length).toBe(before);
  });

  it('place a report by a map point on the nearest luminaire, refusing a point far from any', async () => {
    const far = await open('POST', '/public/fault-reports', report({ position: { lat: 43.3, lon: 2.5 } }));
    expect(far.status).toBe(422);
    expect(far.json.errors).toEqual([expect.objectContaining({ pointer: '/position' })]);
    const near = await open(
      'POST',
      '/public/fault-reports',
      report({ position: { lat: 43.2068, lon: 2.3644 + 5 * 0.0003 } }),
    );
    expect(near.status).toBe(202);
    const alarms = (await api.request('GET', '/alarms', technician)).json.items;
    expect(alarms).toContainEqual(
      expect.objectContaining({ luminaireId: `${PREFIX}-0005`, kind: 'citizen-report' }),
    );
  });

  it('show technicians the point of a report until they close it, then erase it with the e-mail', async () => {
    const luminaire = `${PREFIX}-0003`;
    // From an address of its own: the flood below counts this test's address.
    const sent = await open('POST', '/public/fault-reports', report({ position: POINT, email: EMAIL }), {
      'x-viewer-address': '198.51.100.93',
    });
    expect(sent.json).toEqual({ status: 'received', street: 'Rue Trivalle' });
    const alarms = (await api.request('GET', '/alarms', technician)).json.items;
    expect(alarms).toContainEqual(
      expect.objectContaining({ luminaireId: luminaire, reporterPoint: POINT, contactEmail: EMAIL }),
    );
    for (const path of [
      '/public/eclext.geojson',
      '/public/schedules',
      '/public/lit-hours',
      '/public/catalog.jsonld',
    ]) {
      const text = (await open('GET', path)).text;
      for (const coordinate of POINT_TEXTS) expect(text, path).not.toContain(coordinate);
    }

    const closed = await api.request('POST', `/alarms/${luminaire}/citizen-report/close`, technician);
    expect(closed.status).toBe(200);
    const { db, tableName } = api.table;
    const items =
      (await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
    const alarm = items.find((item) => item.luminaireId === luminaire && item.kind === 'citizen-report');
    expect(alarm).toMatchObject({
      state: 'cleared',
      detail: expect.stringContaining('[map point; nearest: '),
    });
    expect(alarm).not.toHaveProperty('reporterPoint');
    expect(alarm).not.toHaveProperty('contactEmail');
    for (const coordinate of [...POINT_TEXTS, EMAIL]) expect(JSON.stringify(items)).not.toContain(coordinate);
  });

  it('answer a flood 429 with Retry-After and keep the reports accepted before it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const sent = await open(
        'POST',
        '/public/fault-reports',
        report({ luminaire: `${PREFIX}-000${i === 0 ? 6 : 7}` }),
      );
      statuses.push(sent.status);
      if (sent.status === 429) {
        expect(sent.type).toBe('application/problem+json');
        expect(Number(sent.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    expect(statuses).toContain(429);
    const alarms = (await api.request('GET', '/alarms', technician)).json.items;
    const reported = alarms
      .filter((a: { kind: string }) => a.kind === 'citizen-report')
      .map((a: { luminaireId: string }) => a.luminaireId);
    expect(reported).toEqual(expect.arrayContaining([`${PREFIX}-0005`, `${PREFIX}-0006`]));
  });
});

describe('privacy', () => {
  it('no public answer holds a luminaire or sensor id, a live state, a time finer than an hour, an e-mail or a reporter point', () => {
    expect(seen.length).toBeGreaterThan(10);
    for (const { path, text } of seen) {
      // The EclExt point identifier is the number painted on the pole, public by design.
      if (!path.startsWith('/public/eclext')) expect(text, path).not.toContain(PREFIX);
      expect(text, path).not.toContain(SENSOR);
      expect(text, path).not.toMatch(
        /"(level|state|lastSeen|reportedAt|ageSeconds|thingName|openedAt|detectedAt)"/,
      );
      // An instant to the hour (the EclExt extraction time) says nothing of when anyone was out.
      const instants = text.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?/g) ?? [];
      expect(
        instants.filter((instant) => !/T\d{2}:00(:00(\.0+)?)?$/.test(instant)),
        path,
      ).toEqual([]);
      expect(text, path).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/);
      for (const coordinate of POINT_TEXTS) expect(text, path).not.toContain(coordinate);
    }
  });
});
