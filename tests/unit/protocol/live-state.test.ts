import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plannedLevelAt } from '#functions/alarms/sweep.ts';
import {
  decodePageCursors,
  encodePageCursors,
  isSilentAt,
  LIVE_STATES,
  liveStateCode,
  liveStateOf,
} from '#protocol/live-state.ts';

describe('live state of a luminaire', () => {
  it('reads the last report: off at 0, lit below or at its plan, boosted above it', () => {
    expect(liveStateOf({ level: 0 }, 70, false)).toBe('off');
    expect(liveStateOf({ level: 70 }, 70, false)).toBe('lit');
    expect(liveStateOf({ level: 40 }, 70, false)).toBe('lit');
    expect(liveStateOf({ level: 100 }, 70, false)).toBe('boosted');
  });

  it('puts an open alarm first, and knows nothing of a luminaire that never reported its level', () => {
    expect(liveStateOf({ level: 100 }, 100, true)).toBe('alarm');
    expect(liveStateOf(undefined, 100, true)).toBe('alarm');
    expect(liveStateOf(undefined, 100, false)).toBe('unknown');
    expect(liveStateOf({ level: undefined }, 100, false)).toBe('unknown');
  });

  it('is not reporting once the report is older than two intervals when looked at, never if it never reported', () => {
    expect(isSilentAt(1_700, 100, 900)).toBe(false);
    expect(isSilentAt(1_700, 101, 900)).toBe(true);
    expect(isSilentAt(-1, 100_000, 900)).toBe(false);
  });

  it('codes states by their place in the list the console reads', () => {
    expect(LIVE_STATES.map(liveStateCode)).toEqual([0, 1, 2, 3, 4]);
  });

  it("takes the planned level at an instant from the plan's transitions", () => {
    const plan = {
      transitions: [
        { at: 100, level: 100 },
        { at: 200, level: 70 },
        { at: 300, level: 0 },
      ],
    };
    expect([50, 100, 150, 200, 299, 300, 400].map((t) => plannedLevelAt(plan, t))).toEqual([
      0, 100, 100, 70, 70, 0, 0,
    ]);
    expect(plannedLevelAt(undefined, 150)).toBe(0);
  });

  it('carries page cursors in a header and back, whatever characters a zone name holds', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1 }), { maxLength: 20 }), (cursors) => {
        expect(decodePageCursors(encodePageCursors(cursors))).toEqual(cursors);
      }),
    );
    expect(decodePageCursors(null)).toEqual([]);
  });
});
