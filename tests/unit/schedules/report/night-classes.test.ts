import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyNight } from '#schedules/report/night-classes.ts';

const window = { start: 10_000, end: 50_000 };
const SLACK = 900;

describe('classifyNight', () => {
  it('calls a night without readings silent', () => {
    expect(classifyNight(window, undefined, SLACK)).toBe('silent');
  });

  it('calls a night complete when its readings bracket the window within one interval at each end', () => {
    expect(classifyNight(window, { firstTs: 10_000 + SLACK, lastTs: 50_000 - SLACK }, SLACK)).toBe(
      'complete',
    );
    expect(classifyNight(window, { firstTs: 0, lastTs: 86_000 }, SLACK)).toBe('complete');
  });

  it('calls a night partial when it starts late, ends early, or its reading times were not kept', () => {
    expect(classifyNight(window, { firstTs: 10_000 + SLACK + 1, lastTs: 50_000 }, SLACK)).toBe('partial');
    expect(classifyNight(window, { firstTs: 10_000, lastTs: 50_000 - SLACK - 1 }, SLACK)).toBe('partial');
    expect(classifyNight(window, { firstTs: null, lastTs: null }, SLACK)).toBe('partial');
  });

  it('is complete exactly when the first reading is early enough and the last late enough', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 86_400 }),
        fc.integer({ min: 0, max: 86_400 }),
        fc.integer({ min: 0, max: 86_400 }),
        fc.integer({ min: 0, max: 7_200 }),
        (start, length, first, slack) => {
          const span = { start, end: start + length };
          const last = first + length;
          const kind = classifyNight(span, { firstTs: first, lastTs: last }, slack);
          const brackets = first <= span.start + slack && last >= span.end - slack;
          expect(kind).toBe(brackets ? 'complete' : 'partial');
        },
      ),
    );
  });

  it('never turns complete by losing readings: a narrower reading span is never more complete', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 86_400 }),
        fc.integer({ min: 0, max: 86_400 }),
        fc.nat({ max: 3_600 }),
        fc.nat({ max: 3_600 }),
        (first, length, later, earlier) => {
          const wide = classifyNight(window, { firstTs: first, lastTs: first + length }, SLACK);
          const narrow = classifyNight(
            window,
            { firstTs: first + later, lastTs: Math.max(first + later, first + length - earlier) },
            SLACK,
          );
          if (narrow === 'complete') expect(wide).toBe('complete');
        },
      ),
    );
  });
});
