import { describe, expect, it } from 'vitest';
import { apiHarness } from './api-harness.ts';

const dimmer = (level: number) => ({
  on: { event: 'sunset', offsetMinutes: 10 },
  off: { event: 'sunrise', offsetMinutes: -10 },
  steps: [{ at: '22:00', level }],
});

describe('a change validated against a configuration another change replaced', () => {
  it('is refused with 409 and stores nothing; the retry commits', async () => {
    const t = apiHarness();
    const [first, second] = await Promise.all([
      t.edit('PUT', '/profiles/residential', 'tech', dimmer(50)),
      t.edit('PUT', '/profiles/residential', 'tech', dimmer(40)),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    expect(loser.headers['content-type']).toBe('application/problem+json');
    expect(loser.body).toMatchObject({
      type: 'urn:lumen-city:problem:conflict',
      detail: 'the configuration changed while this change was checked; retry',
    });
    expect(t.audit).toHaveLength(1);

    const retry = await t.edit('PUT', '/profiles/residential', 'tech', dimmer(30));
    expect(retry.status).toBe(200);
    expect(t.config().profiles.residential?.steps).toEqual([{ at: '22:00', level: 30 }]);
  });
});

describe('a stored change whose push throws', () => {
  it('answers 2xx with the push failure listed, the change and its audit entry kept', async () => {
    const t = apiHarness({ pushError: new Error('IoT endpoint unreachable') });
    const result = await t.edit('PUT', '/profiles/residential', 'tech', dimmer(50));
    expect(result.status).toBe(200);
    expect(result.body.push).toEqual({ night: '2026-06-21', failed: 6, error: 'IoT endpoint unreachable' });
    expect(t.config().profiles.residential?.steps).toEqual([{ at: '22:00', level: 50 }]);
    expect(t.audit).toHaveLength(1);
  });

  it('answers 2xx when the queue for a large change throws', async () => {
    const t = apiHarness({ pushError: new Error('SQS throttled'), inlinePushLimit: 2 });
    const result = await t.edit('PUT', '/profiles/residential', 'tech', dimmer(50));
    expect(result.status).toBe(200);
    expect(result.body.push).toMatchObject({ failed: 6, error: 'SQS throttled' });
  });

  it('answers 2xx to an import whose push throws', async () => {
    const t = apiHarness({ pushError: new Error('IoT endpoint unreachable') });
    const body = 'id,lat,lon,street,zone,ledWatts,baselineWatts\nN-1,43.2,2.35,Rue A,cite,30,100\n';
    const result = await t.call('POST', '/luminaires/import', 'tech', body, 'text/csv');
    expect(result.status).toBe(200);
    expect(result.body.push).toMatchObject({ failed: 1, error: 'IoT endpoint unreachable' });
    expect(await t.luminaires.get(['N-1'])).toHaveLength(1);
  });
});
