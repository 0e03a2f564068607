import { describe, expect, it } from 'vitest';
import { summarizeShadow } from '#console/src/pages/schedules/live-shadow.ts';

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
