import { describe, expect, it } from 'vitest';
import { CATCH_UP_NIGHTS, makeNightClose } from '#functions/reports/night-close.ts';
import type { ClosedNightStore, StoredClosedNight, StoredMonthSums } from '#functions/store/index.ts';
import { noClosedNights } from '#tests/support/functions/closed-nights.ts';
import { config, luminaire } from '#tests/support/schedules/fixtures.ts';

/** 13:30 in Paris on 2026-06-15: the night of the 14th is over. */
const SCHEDULED = '2026-06-15T11:30:00Z';

function setup(closedBefore: readonly string[] = []) {
  const stored = new Map<string, StoredClosedNight>(
    closedBefore.map((night) => [night, { night, lines: [], streets: [], configVersion: 1, closedAt: 'x' }]),
  );
  const months = new Map<string, StoredMonthSums>();
  const reads: string[] = [];
  const closedNights: ClosedNightStore & ReturnType<typeof noClosedNights> = {
    ...noClosedNights(async (id, night) => {
      reads.push(`${id}/${night}`);
      return [{ night, wh: 400, burnH: 8, reports: 30, firstTs: 0, lastTs: 1e10 }];
    }),
    get: async (night) => stored.get(night),
    put: async (closed) => {
      stored.set(closed.night, closed);
      return { items: 1 };
    },
    getMonth: async (month) => months.get(month),
    putMonth: async (sums) => {
      months.set(sums.month, sums);
      return { items: 1 };
    },
  };
  const close = makeNightClose({
    config: { loadVersioned: async () => ({ config: config(), version: 7 }) },
    luminaires: { listAll: async () => [luminaire({ id: 'L-1' }), luminaire({ id: 'L-2' })] },
    cabinets: { listAll: async () => [] },
    closedNights,
    now: () => Date.parse(SCHEDULED) / 1000,
  });
  return { close, stored, months, reads };
}

describe('night close', () => {
  it('closes the night that ended this morning and re-closes the two before it', async () => {
    const lastWeeks = Array.from(
      { length: CATCH_UP_NIGHTS },
      (_, i) => `2026-06-${String(i + 1).padStart(2, '0')}`,
    );
    const { close, stored } = setup(lastWeeks);
    const result = await close({ scheduledTime: SCHEDULED, executionId: 'e-1' });
    expect(result.nights).toEqual(['2026-06-12', '2026-06-13', '2026-06-14']);
    expect(result.luminaires).toBe(2);
    const closed = stored.get('2026-06-14');
    expect(closed?.configVersion).toBe(7);
    expect(closed?.streets.reduce((sum, s) => sum + s.nights.complete, 0)).toBe(2);
  });

  it("rewrites the totals of each closed night's month from its closed nights, the 1st on, once per night", async () => {
    const firstHalf = Array.from({ length: 16 }, (_, i) => `2026-06-${String(i + 1).padStart(2, '0')}`);
    const { close, months } = setup(firstHalf);
    const result = await close({ scheduledTime: '2026-07-01T11:30:00Z' });
    expect(result.months).toEqual(['2026-06']);
    const june = months.get('2026-06');
    expect(june?.nights).toHaveLength(30);
    const complete = (sums: StoredMonthSums | undefined) =>
      sums?.streets.reduce((sum, s) => sum + s.nights.complete, 0);
    // Two luminaires, complete every night the close closed (the first half was stored empty).
    expect(complete(june)).toBe(2 * CATCH_UP_NIGHTS);

    await close({ scheduledTime: '2026-07-01T11:30:00Z', night: '2026-06-30' });
    expect(complete(months.get('2026-06'))).toBe(complete(june));
  });

  it('leaves out of the month totals the nights after the first night not closed', async () => {
    const { close, months } = setup(['2026-06-01', '2026-06-02', '2026-06-04']);
    await close({ scheduledTime: SCHEDULED, night: '2026-03-01' });
    expect(months.get('2026-03')?.nights).toEqual(['2026-03-01']);
    await close({ scheduledTime: SCHEDULED, night: '2026-06-04' });
    expect(months.get('2026-06')?.nights).toEqual(['2026-06-01', '2026-06-02']);
  });

  it('catches up the nights of the last two weeks that were never closed, and no older one', async () => {
    const { close } = setup(['2026-06-03', '2026-06-05']);
    const { nights } = await close({ scheduledTime: SCHEDULED });
    expect(nights).toHaveLength(CATCH_UP_NIGHTS - 2);
    expect(nights[0]).toBe('2026-06-01');
    expect(nights).not.toContain('2026-06-03');
    expect(nights.at(-1)).toBe('2026-06-14');
  });

  it("closes only the operator's night when the event names one", async () => {
    const { close, reads } = setup();
    expect((await close({ scheduledTime: SCHEDULED, night: '2026-03-01' })).nights).toEqual(['2026-03-01']);
    expect(reads).toEqual(['L-1/2026-03-01', 'L-2/2026-03-01']);
  });

  it('refuses a night that is not over, naming the field, and stores nothing', async () => {
    const { close, stored } = setup();
    await expect(close({ scheduledTime: SCHEDULED, night: '2026-06-15' })).rejects.toThrow(
      /night: must be a night that is over.*2026-06-14/,
    );
    await expect(close({ scheduledTime: SCHEDULED, night: '2024-01-01' })).rejects.toThrow(/night:/);
    expect(stored.size).toBe(0);
  });

  it('refuses an event without a valid scheduled time or with a malformed night', async () => {
    const { close } = setup();
    await expect(close({})).rejects.toThrow(/scheduledTime/);
    await expect(close({ scheduledTime: SCHEDULED, night: '2026-02-30' })).rejects.toThrow(/night/);
  });
});
