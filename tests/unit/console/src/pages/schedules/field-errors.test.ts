import { describe, expect, it } from 'vitest';
import { errorsByField, issueErrors, problemErrors } from '#console/src/pages/schedules/field-errors.ts';
import { fieldErrors } from '#functions/api/problem.ts';
import { Profile } from '#schedules/index.ts';

const bad = {
  on: { event: 'sunset', offsetMinutes: 900 },
  off: '25:00',
  steps: [{ at: '22:30', level: 150 }],
};

describe('field errors', () => {
  it('points zod issues of a form where the API points the same body', () => {
    const parsed = Profile.safeParse(bad);
    if (parsed.success) throw new Error('the bad profile parsed');
    const ours = issueErrors(parsed.error.issues).map((error) => error.pointer);
    const api = fieldErrors(parsed.error.issues, 'body').map((error) => error.pointer);
    expect(ours).toEqual(api);
    expect(ours.sort()).toEqual(['/off', '/on/offsetMinutes', '/steps/0/level']);
  });

  it('words an issue in the reader language, or keeps the schema message', () => {
    const parsed = Profile.safeParse(bad);
    if (parsed.success) throw new Error('the bad profile parsed');
    const errors = issueErrors(parsed.error.issues, (issue) =>
      issue.code === 'too_big' ? `au plus ${issue.maximum}` : undefined,
    );
    expect(errors).toContainEqual({ pointer: '/steps/0/level', message: 'au plus 100' });
    expect(errors).toContainEqual({ pointer: '/off', message: expect.stringContaining('HH:MM') });
  });

  it('reads the pointers of an API problem, and its detail when it names no field', () => {
    expect(
      problemErrors({
        detail: 'the request body is invalid',
        errors: [
          { pointer: '/steps/0/level', detail: 'level must be 0..100' },
          { name: 'night', detail: 'bad' },
        ],
      }),
    ).toEqual([
      { pointer: '/steps/0/level', message: 'level must be 0..100' },
      { pointer: '', message: 'night: bad' },
    ]);
    expect(problemErrors({ detail: 'profile p changed' })).toEqual([
      { pointer: '', message: 'profile p changed' },
    ]);
  });

  it('shows each error at the closest field the form has, else at the head of the form', () => {
    const fields = ['/on', '/on/offsetMinutes', '/steps', '/steps/0', '/steps/0/level'];
    const placed = errorsByField(
      [
        { pointer: '/on/offsetMinutes', message: 'too late' },
        { pointer: '/steps/0/level', message: 'too bright' },
        { pointer: '/steps/4/at', message: 'no such row' },
        { pointer: '/calendar/2/profile', message: 'unknown profile' },
        { pointer: '/onward', message: 'not /on' },
      ],
      fields,
    );
    expect(Object.fromEntries(placed)).toEqual({
      '/on/offsetMinutes': ['too late'],
      '/steps/0/level': ['too bright'],
      '/steps': ['no such row'],
      '': ['unknown profile', 'not /on'],
    });
  });
});
