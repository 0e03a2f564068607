import { describe, expect, it } from 'vitest';
import { isSilent, silenceBoundSeconds } from '#functions/alarms/silence.ts';
import { AlarmPolicy } from '#schedules/config/schema.ts';

const policy = AlarmPolicy.parse({});
const NOW = 1_780_000_000;

describe('silence', () => {
  it('defaults to three 15-minute report intervals', () => {
    expect(silenceBoundSeconds(policy)).toBe(2_700);
  });

  it('is silent only past the bound', () => {
    expect(isSilent(NOW - 2_700, NOW, policy)).toBe(false);
    expect(isSilent(NOW - 2_701, NOW, policy)).toBe(true);
  });

  it('follows the configured number of intervals and interval', () => {
    const custom = AlarmPolicy.parse({ silentAfterIntervals: 4, reportIntervalSeconds: 600 });
    expect(isSilent(NOW - 2_400, NOW, custom)).toBe(false);
    expect(isSilent(NOW - 2_401, NOW, custom)).toBe(true);
  });

  it('never calls a luminaire that never reported silent', () => {
    expect(isSilent(undefined, NOW, policy)).toBe(false);
  });

  it('refuses a policy that would alarm on every report', () => {
    expect(AlarmPolicy.safeParse({ silentAfterIntervals: 1 }).success).toBe(false);
    expect(AlarmPolicy.safeParse({ reportIntervalSeconds: 10 }).success).toBe(false);
  });
});
