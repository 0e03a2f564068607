import { describe, expect, it } from 'vitest';
import { type AlarmSpan, type KpiInput, kpis } from '#schedules/report/kpis.ts';

const HOUR = 3600;
const period = { start: 100 * HOUR, end: 200 * HOUR };
const alarm = (luminaireId: string, kind: string, opened: number, cleared: number | null): AlarmSpan => ({
  luminaireId,
  kind,
  openedAt: opened * HOUR,
  clearedAt: cleared === null ? null : cleared * HOUR,
});
const input = (overrides: Partial<KpiInput>): KpiInput => ({
  contract: undefined,
  savingsShare: 0.7,
  litHours: 90,
  plannedLitHours: 100,
  luminaires: 100,
  period,
  alarms: [],
  ...overrides,
});

describe('performance-contract KPIs', () => {
  it('checks savings and failure rate against the contract, and says so when there is none', () => {
    expect(kpis(input({})).savingsTargetMet).toBeNull();
    const contract = { guaranteedSavingsShare: 0.66, maxFailureRate: 0.01 };
    const result = kpis(
      input({
        contract,
        alarms: [alarm('L-1', 'lampFailure', 150, null), alarm('L-2', 'supplyLoss', 90, 120)],
      }),
    );
    expect([result.savingsTargetMet, result.failureRate, result.failureRateMet]).toEqual([true, 0.02, false]);
    expect(result.availability).toBeCloseTo(0.9, 9);
  });

  it('counts failures open during the period once per luminaire, ignoring other kinds and other periods', () => {
    const result = kpis(
      input({
        alarms: [
          alarm('L-1', 'lampFailure', 110, 112),
          alarm('L-1', 'driverFailure', 130, null),
          alarm('L-2', 'not-reporting', 130, null),
          alarm('L-3', 'lampFailure', 10, 20),
          alarm('L-4', 'lampFailure', 250, null),
        ],
      }),
    );
    expect(result.failedLuminaires).toBe(1);
  });

  it('takes the mean time to repair from failures cleared in the period', () => {
    const result = kpis(
      input({
        alarms: [
          alarm('L-1', 'lampFailure', 110, 112),
          alarm('L-2', 'lampFailure', 90, 120),
          alarm('L-3', 'lampFailure', 190, 210),
        ],
      }),
    );
    expect([result.repairs, result.meanTimeToRepairHours]).toEqual([2, 16]);
    expect(kpis(input({})).meanTimeToRepairHours).toBeNull();
  });
});
