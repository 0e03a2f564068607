import { describe, expect, it } from 'vitest';
import {
  checkOverride,
  isoOfLocalInput,
  localInputOf,
  type OverrideDraft,
  overrideStatus,
  targetSummary,
} from '#console/src/pages/schedules/override-form.ts';

const TZ = 'Europe/Paris';
const draft: OverrideDraft = {
  targetKind: 'zone',
  zone: 'cite',
  street: '',
  luminaires: [],
  level: '100',
  from: '2026-07-14T22:00',
  until: '2026-07-15T01:00',
  reason: 'Embrasement de la Cité',
};

describe('the override form', () => {
  it("reads local times in the site's zone, summer and winter", () => {
    expect(isoOfLocalInput('2026-07-14T22:00', TZ)).toBe('2026-07-14T22:00:00+02:00');
    expect(isoOfLocalInput('2026-12-04T18:30', TZ)).toBe('2026-12-04T18:30:00+01:00');
    expect(localInputOf(Date.parse('2026-12-04T17:30:00Z') / 1000, TZ)).toBe('2026-12-04T18:30');
  });

  it('builds the body the API takes for a zone, a street of a zone, and a map selection', () => {
    expect(checkOverride(draft, TZ)).toMatchObject({
      ok: true,
      body: { target: { zones: ['cite'] }, level: 100 },
    });
    const street = checkOverride({ ...draft, targetKind: 'street', street: 'Rue Cros-Mayrevieille' }, TZ);
    expect(street.body.target).toEqual({ zones: ['cite'], streets: ['Rue Cros-Mayrevieille'] });
    const selection = checkOverride(
      { ...draft, targetKind: 'selection', luminaires: ['L-0001', 'L-0002'] },
      TZ,
    );
    expect(selection.body.target).toEqual({ luminaires: ['L-0001', 'L-0002'] });
  });

  it('names the fields that are wrong', () => {
    const checked = checkOverride(
      {
        ...draft,
        targetKind: 'selection',
        luminaires: [],
        level: '120',
        until: '2026-07-14T21:00',
        reason: ' ',
      },
      TZ,
    );
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors.map((error) => error.pointer).sort()).toEqual([
      '/level',
      '/reason',
      '/target/luminaires',
      '/until',
    ]);
  });

  it('names a time that is not a date and time', () => {
    const checked = checkOverride({ ...draft, from: '2026-07-14' }, TZ);
    expect(!checked.ok && checked.errors.find((error) => error.pointer === '/from')).toBeTruthy();
  });

  it('tells active, future and past overrides apart', () => {
    const now = Date.parse('2026-07-14T21:00:00Z') / 1000;
    const of = (from: string, until: string) => overrideStatus({ from, until }, now);
    expect(of('2026-07-14T22:00:00+02:00', '2026-07-15T01:00:00+02:00')).toBe('active');
    expect(of('2026-07-15T22:00:00+02:00', '2026-07-16T01:00:00+02:00')).toBe('future');
    expect(of('2026-07-13T22:00:00+02:00', '2026-07-14T23:00:00+02:00')).toBe('over');
  });

  it('summarises a target', () => {
    expect(targetSummary({ all: true })).toMatchObject({ all: true });
    expect(targetSummary({ zones: ['cite'], luminaires: ['a', 'b'] })).toEqual({
      all: false,
      zones: ['cite'],
      streets: [],
      luminaires: 2,
    });
  });
});
