import type { z } from 'zod';
import { Name, Profile, type SunEvent } from '#schedules/index.ts';
import { type FieldError, type IssueWording, issueErrors } from './field-errors.ts';

/** A switch time as the form holds it: the inputs' text, whichever kind is chosen. */
export interface TimeDraft {
  readonly kind: 'sun' | 'clock';
  readonly event: SunEvent;
  readonly offset: string;
  readonly clock: string;
}

export interface StepDraft {
  readonly at: TimeDraft;
  readonly level: string;
}

/** A profile as the editor holds it: what the technician typed, valid or not. */
export interface ProfileDraft {
  readonly description: string;
  readonly on: TimeDraft;
  readonly off: TimeDraft;
  readonly onLevel: string;
  readonly steps: readonly StepDraft[];
  readonly fadeSeconds: string;
  readonly polarNight: 'lit' | 'off';
}

export const NEW_STEP: StepDraft = {
  at: { kind: 'clock', event: 'sunset', offset: '0', clock: '23:00' },
  level: '50',
};

function timeDraft(spec: z.input<typeof Profile>['on']): TimeDraft {
  return typeof spec === 'string'
    ? { kind: 'clock', event: 'sunset', offset: '0', clock: spec }
    : { kind: 'sun', event: spec.event, offset: String(spec.offsetMinutes ?? 0), clock: '' };
}

/** The form of a stored profile (or of a new one: on at sunset, off at sunrise). */
export function draftOf(profile: z.input<typeof Profile> | undefined): ProfileDraft {
  const stored = profile ?? { on: { event: 'sunset' as const }, off: { event: 'sunrise' as const } };
  return {
    description: stored.description ?? '',
    on: timeDraft(stored.on),
    off: timeDraft(stored.off),
    onLevel: String(stored.onLevel ?? 100),
    steps: (stored.steps ?? []).map((step) => ({ at: timeDraft(step.at), level: String(step.level) })),
    fadeSeconds: String(stored.fadeSeconds ?? 0),
    polarNight: stored.polarNight ?? 'lit',
  };
}

/**
 * A number input's text as JSON: a number when it reads as one, else the text itself, so the
 * schema names the field ("expected number") rather than the form guessing a value.
 */
function numberOf(text: string): number | string {
  const trimmed = text.trim().replace(',', '.');
  const value = Number(trimmed);
  return trimmed !== '' && Number.isFinite(value) ? value : text;
}

function specOf(draft: TimeDraft): unknown {
  return draft.kind === 'clock'
    ? draft.clock.trim()
    : { event: draft.event, offsetMinutes: numberOf(draft.offset) };
}

/** The body the API takes for this form (what PUT /profiles/{name} receives). */
export function bodyOf(draft: ProfileDraft): unknown {
  return {
    ...(draft.description.trim() === '' ? {} : { description: draft.description }),
    on: specOf(draft.on),
    off: specOf(draft.off),
    onLevel: numberOf(draft.onLevel),
    steps: draft.steps.map((step) => ({ at: specOf(step.at), level: numberOf(step.level) })),
    fadeSeconds: numberOf(draft.fadeSeconds),
    polarNight: draft.polarNight,
  };
}

export type Checked<T> =
  | { ok: true; value: T; body: unknown }
  | { ok: false; errors: FieldError[]; body: unknown };

/** The form checked with the API's own schema: the profile, or every error pointed at its field. */
export function checkProfile(draft: ProfileDraft, word?: IssueWording): Checked<Profile> {
  const body = bodyOf(draft);
  const parsed = Profile.safeParse(body);
  return parsed.success
    ? { ok: true, value: parsed.data, body }
    : { ok: false, errors: issueErrors(parsed.error.issues, word), body };
}

/** Where a new profile's name is checked: it is in the path, not the body. */
export const NAME_FIELD = '/name';

/** A new profile's name checked with the API's rule for names (`Name`). */
export function checkName(name: string, word?: IssueWording): FieldError[] {
  const parsed = Name.safeParse(name);
  return parsed.success
    ? []
    : issueErrors(parsed.error.issues, word).map((error) => ({ ...error, pointer: NAME_FIELD }));
}

/** The pointers of the form's fields, where errors are shown (see errorsByField). */
export function profileFields(draft: ProfileDraft): string[] {
  const time = (base: string, spec: TimeDraft) =>
    spec.kind === 'sun' ? [base, `${base}/event`, `${base}/offsetMinutes`] : [base];
  return [
    NAME_FIELD,
    '/description',
    ...time('/on', draft.on),
    ...time('/off', draft.off),
    '/onLevel',
    '/steps',
    ...draft.steps.flatMap((step, i) => [
      `/steps/${i}`,
      ...time(`/steps/${i}/at`, step.at),
      `/steps/${i}/level`,
    ]),
    '/fadeSeconds',
    '/polarNight',
  ];
}
