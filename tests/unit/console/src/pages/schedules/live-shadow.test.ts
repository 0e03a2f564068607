import { describe, expect, it } from 'vitest';
import { liveReportOf, summarizeShadow } from '#console/src/pages/schedules/live-shadow.ts';
import { emptyLiveStatePage, liveStateCode } from '#protocol/live-state.ts';

const plan = {
  plan: { h: 'abc123', t0: 1_782_000_000, s: [0, 100, 3600, 0], until: 1_782_600_000, fb: 100 },
};
const reported = (planHash: string | null) => ({
  level: 100,
  reason: 'plan',
  planHash,
  powerW: 30,
  energyWh: 1200,
  burningHours: 40,
  faults: [],
  fw: '1.4.2',
});

describe('the live shadow summary', () => {
  it('says the plan is applied when the controller reports the pushed hash', () => {
    const summary = summarizeShadow({ reported: reported('abc123'), plan, boost: null }, 0);
    expect(summary).toMatchObject({ sync: 'applied', pushedHash: 'abc123', reportedHash: 'abc123' });
    expect(summary.planUntil).toBe(1_782_600_000);
  });

  it('says a push is pending when the controller reports another hash, or none', () => {
    expect(summarizeShadow({ reported: reported('old999'), plan, boost: null }, 0).sync).toBe('pending');
    expect(summarizeShadow({ reported: reported(null), plan, boost: null }, 0).sync).toBe('unreported');
    expect(summarizeShadow({ reported: null, plan: null, boost: null }, 0).sync).toBe('none');
  });

  it('keeps a boost only while it lasts, and reads reports carrying older keys', () => {
    const boost = { boost: { l: 100, u: 2000, f: 3 } };
    expect(summarizeShadow({ reported: null, plan, boost }, 1000).boost).toMatchObject({ l: 100 });
    expect(summarizeShadow({ reported: null, plan, boost }, 3000).boost).toBeNull();
    const older = { ...reported('abc123'), rssi: -70 };
    expect(summarizeShadow({ reported: older, plan, boost: null }, 0).reported?.fw).toBe('1.4.2');
  });
});

describe("a luminaire's level now, from the live state", () => {
  const at = '2026-11-30T20:00:00Z';
  const atSeconds = Date.parse(at) / 1000;
  const page = {
    ...emptyLiveStatePage(at, 900),
    ids: ['L-1', 'L-2', 'L-3'],
    state: [liveStateCode('boosted'), liveStateCode('lit'), liveStateCode('unknown')],
    level: [100, 40, 0],
    age: [60, 2000, -1],
  };

  it('gives its level and state as of the telemetry report the snapshot holds', () => {
    expect(liveReportOf(page, 'L-1', atSeconds + 30)).toEqual({
      state: 'boosted',
      level: 100,
      reportedAt: atSeconds - 60,
      silent: false,
    });
  });

  it('says a report older than the silence bound is silent, and a luminaire never reported has no time', () => {
    expect(liveReportOf(page, 'L-2', atSeconds)?.silent).toBe(true);
    expect(liveReportOf(page, 'L-3', atSeconds)).toMatchObject({ state: 'unknown', reportedAt: null });
  });

  it('has nothing for a luminaire the page does not hold, or before the first snapshot', () => {
    expect(liveReportOf(page, 'L-9', atSeconds)).toBeNull();
    expect(liveReportOf({ ...page, at: null }, 'L-1', atSeconds)).toBeNull();
  });
});

describe("the classic shadow's report time", () => {
  it('is the time the API gives, kept only with a report that parses', () => {
    const state = { reported: reported('abc123'), reportedAt: 1_782_000_000, plan, boost: null };
    expect(summarizeShadow(state, 0).reportedAt).toBe(1_782_000_000);
    expect(summarizeShadow({ ...state, reported: { level: 'x' } }, 0).reportedAt).toBeNull();
    expect(summarizeShadow({ reported: reported('abc123'), plan, boost: null }, 0).reportedAt).toBeNull();
  });
});
