import { describe, expect, it } from 'vitest';
import { ApiProblem } from '#functions/api/problem.ts';
import { countClientWindow, type PublicAccess } from '#functions/api/public/access.ts';
import { memoryClientWindowCounter } from '../../shared/memory-stores.ts';

const NOTES: PublicAccess = {
  group: 'note',
  rate: { capacity: 10, refillPerSecond: 1 },
  perClientWindow: { requests: 3, windowSeconds: 600 },
};

/** What a request gets: counted, or the problem's kind. */
const statusOf = (counting: Promise<void>) =>
  counting.then(
    () => 'counted',
    (error: unknown) => (error instanceof ApiProblem ? error.kind : 'unexpected'),
  );

describe('a client window shared by instances', () => {
  it('admits its requests up to the limit, then 429, other clients unaffected', async () => {
    const shared = memoryClientWindowCounter();
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push(await statusOf(countClientWindow(shared, 1200, NOTES, '203.0.113.20')));
    expect(statuses).toEqual(['counted', 'counted', 'counted', 'too-many-requests', 'too-many-requests']);
    expect(await statusOf(countClientWindow(shared, 1200, NOTES, '203.0.113.21'))).toBe('counted');
  });

  it('opens a new window when the last one ends', async () => {
    const shared = memoryClientWindowCounter();
    for (let i = 0; i < 3; i++) await countClientWindow(shared, 1200, NOTES, '203.0.113.22');
    expect(await statusOf(countClientWindow(shared, 1799, NOTES, '203.0.113.22'))).toBe('too-many-requests');
    expect(await statusOf(countClientWindow(shared, 1800, NOTES, '203.0.113.22'))).toBe('counted');
  });

  it('names when the window ends in Retry-After and keeps no address', async () => {
    const shared = memoryClientWindowCounter();
    for (let i = 0; i < 3; i++) await countClientWindow(shared, 1300, NOTES, '203.0.113.23');
    const refused = await countClientWindow(shared, 1300, NOTES, '203.0.113.23').catch((e: ApiProblem) => e);
    expect((refused as ApiProblem).headers?.['retry-after']).toBe('500');
    expect([...shared.hits.keys()].join()).not.toContain('203.0.113');
  });
});
