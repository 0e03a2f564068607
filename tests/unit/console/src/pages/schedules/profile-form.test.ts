import { describe, expect, it } from 'vitest';
import { errorsByField } from '#console/src/pages/schedules/field-errors.ts';
import {
  bodyOf,
  checkName,
  checkProfile,
  draftOf,
  NAME_FIELD,
  profileFields,
} from '#console/src/pages/schedules/profile-form.ts';
import { Profile } from '#schedules/index.ts';
import { exampleProfile } from './example.ts';

describe('the profile form', () => {
  it('gives back the stored profile when nothing is edited', () => {
    for (const name of ['residential', 'park', 'village-extinction']) {
      const profile = exampleProfile(name);
      expect(Profile.parse(bodyOf(draftOf(profile)))).toEqual(profile);
    }
  });

  it('starts a new profile lit from sunset to sunrise', () => {
    const checked = checkProfile(draftOf(undefined));
    expect(checked.ok && checked.value).toMatchObject({
      on: { event: 'sunset' },
      off: { event: 'sunrise' },
      steps: [],
    });
  });

  it('names every bad field with the pointer of the form field', () => {
    const draft = draftOf(exampleProfile('residential'));
    const checked = checkProfile({
      ...draft,
      on: { ...draft.on, offset: 'ten' },
      off: { kind: 'clock', event: 'sunset', offset: '0', clock: '7h' },
      steps: [{ ...draft.steps[0], at: draft.steps[0]?.at ?? draft.on, level: '150' }],
      fadeSeconds: '2,5',
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    const placed = errorsByField(checked.errors, profileFields(draft));
    expect([...placed.keys()].sort()).toEqual([
      '/fadeSeconds',
      '/off',
      '/on/offsetMinutes',
      '/steps/0/level',
    ]);
  });

  it('reads a decimal comma as a number, so the schema says it must be whole', () => {
    const draft = draftOf(exampleProfile('residential'));
    expect(bodyOf({ ...draft, fadeSeconds: '2,5' })).toMatchObject({ fadeSeconds: 2.5 });
  });

  it('checks a new name with the API name rule', () => {
    expect(checkName('ok-name')).toEqual([]);
    expect(checkName('__proto__')).toEqual([
      { pointer: NAME_FIELD, message: expect.stringContaining('reserved') },
    ]);
    expect(checkName('x'.repeat(65))).toHaveLength(1);
  });
});
