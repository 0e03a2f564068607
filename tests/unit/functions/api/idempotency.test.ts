import { beforeEach, describe, expect, it } from 'vitest';
import { apiHarness } from './api-harness.ts';

const override = {
  target: { zones: ['cite'] },
  level: 100,
  from: '2026-06-21T20:00:00+02:00',
  until: '2026-06-22T02:00:00+02:00',
  reason: 'Fête de la musique',
};
const key = (value: string) => ({ 'Idempotency-Key': value });

let t: ReturnType<typeof apiHarness>;
beforeEach(() => {
  t = apiHarness();
});

describe('POST with an Idempotency-Key', () => {
  it('answers a retry with the first answer, without applying it again', async () => {
    const first = await t.call('POST', '/overrides', 'tech', override, undefined, key('k-1'));
    const retry = await t.call('POST', '/overrides', 'tech', override, undefined, key('k-1'));
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(t.config().overrides).toHaveLength(1);
    expect(t.audit).toHaveLength(1);
  });

  it('runs the request again without the header: a retried POST /overrides creates a second override', async () => {
    await t.call('POST', '/overrides', 'tech', override);
    await t.call('POST', '/overrides', 'tech', override);
    expect(t.config().overrides).toHaveLength(2);
  });

  it('refuses the same key with another body (422 naming the header)', async () => {
    await t.call('POST', '/overrides', 'tech', override, undefined, key('k-1'));
    const other = await t.call(
      'POST',
      '/overrides',
      'tech',
      { ...override, level: 50 },
      undefined,
      key('k-1'),
    );
    expect(other.status).toBe(422);
    expect(other.body.errors).toEqual([
      { name: 'Idempotency-Key', detail: expect.stringContaining('new key') },
    ]);
    expect(t.config().overrides).toHaveLength(1);
  });

  it("keeps one principal's key apart from another's", async () => {
    await t.call('POST', '/overrides', 'tech', override, undefined, key('k-1'));
    const other = await t.call('POST', '/overrides', 'admin', override, undefined, key('k-1'));
    expect(other.status).toBe(201);
    expect(t.config().overrides).toHaveLength(2);
  });

  it('refuses a key that is empty, too long or outside the safe characters (400 naming the header)', async () => {
    for (const bad of ['', 'x'.repeat(129), 'k 1', 'clé']) {
      const result = await t.call('POST', '/overrides', 'tech', override, undefined, key(bad));
      expect(result.status).toBe(400);
      expect(result.body.errors).toEqual([{ name: 'Idempotency-Key', detail: expect.any(String) }]);
    }
    expect(t.config().overrides).toEqual([]);
  });

  it('answers 409 with Retry-After to a duplicate arriving while the first request is still running', async () => {
    const answers = await Promise.all([
      t.call('POST', '/overrides', 'tech', override, undefined, key('k-1')),
      t.call('POST', '/overrides', 'tech', override, undefined, key('k-1')),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    expect(answers.find((answer) => answer.status === 409)?.headers['retry-after']).toBe('1');
    expect(t.config().overrides).toHaveLength(1);
  });

  it('releases the key when the request fails, so the retry runs', async () => {
    const refused = await t.call(
      'POST',
      '/overrides',
      'citeTech',
      { ...override, target: { all: true } },
      undefined,
      key('k-2'),
    );
    expect(refused.status).toBe(403);
    expect(t.idempotency.records.size).toBe(0);
  });

  it('replays an import answer without writing or pushing again', async () => {
    const csv = 'id,lat,lon,street,zone,ledWatts,baselineWatts\nN-1,43.2,2.35,Rue A,cite,30,100\n';
    const first = await t.call('POST', '/luminaires/import', 'tech', csv, 'text/csv', key('import-1'));
    const retry = await t.call('POST', '/luminaires/import', 'tech', csv, 'text/csv', key('import-1'));
    expect(retry.body).toEqual(first.body);
    expect(t.pushed).toEqual([['N-1']]);
    expect(t.audit).toHaveLength(2);
  });
});
