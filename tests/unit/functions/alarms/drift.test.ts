import { describe, expect, it } from 'vitest';
import { DRIFT_BOUNDS, DRIFT_REPUSH_RUN, driftVerdict } from '#functions/alarms/drift.ts';

const PUSHED_AT = 1_780_000_000;
const daily = { hash: 'plan-a', pushedAt: PUSHED_AT, runId: '2026-06-21@daily' };
const repushed = { ...daily, runId: `${DRIFT_REPUSH_RUN}2026-06-21T12:00:00Z` };
const sincePush = (seconds: number) => PUSHED_AT + seconds;

describe('plan drift verdict', () => {
  it('is in sync when the controller reports the pushed hash, whatever the time', () => {
    expect(driftVerdict(daily, { hash: 'plan-a', ts: sincePush(60) }, sincePush(5 * 86_400))).toBe('in-sync');
    expect(driftVerdict(repushed, { hash: 'plan-a', ts: sincePush(60) }, sincePush(5 * 86_400))).toBe(
      'in-sync',
    );
  });

  it('waits while a mismatch is younger than the re-push bound', () => {
    const now = sincePush(DRIFT_BOUNDS.repushAfterSeconds - 1);
    expect(driftVerdict(daily, { hash: 'plan-old', ts: sincePush(600) }, now)).toBe('wait');
  });

  it('re-pushes a mismatch past the bound, a controller without any plan included', () => {
    const now = sincePush(DRIFT_BOUNDS.repushAfterSeconds);
    expect(driftVerdict(daily, { hash: 'plan-old', ts: sincePush(900) }, now)).toBe('repush');
    expect(driftVerdict(daily, { hash: null, ts: sincePush(900) }, now)).toBe('repush');
  });

  it('raises the alarm when the mismatch persists past the bound after the re-push', () => {
    const reported = { hash: 'plan-old', ts: sincePush(900) };
    expect(driftVerdict(repushed, reported, sincePush(DRIFT_BOUNDS.alarmAfterSeconds - 1))).toBe('wait');
    expect(driftVerdict(repushed, reported, sincePush(DRIFT_BOUNDS.alarmAfterSeconds))).toBe('alarm');
  });

  it('judges nothing from a report older than the push, nor without a push or a report', () => {
    const now = sincePush(10 * 3600);
    expect(driftVerdict(daily, { hash: 'plan-old', ts: PUSHED_AT - 1 }, now)).toBe('wait');
    expect(driftVerdict(undefined, { hash: 'plan-old', ts: now }, now)).toBe('wait');
    expect(driftVerdict(daily, undefined, now)).toBe('wait');
  });
});
