import { Override, ZoneClock } from '#schedules/index.ts';
import { type FieldError, type IssueWording, issueErrors } from './field-errors.ts';

/** What an override acts on: a whole zone, one street of a zone, or luminaires picked on the map. */
export type TargetKind = 'zone' | 'street' | 'selection';

/** An override as the form holds it; `from` and `until` are `datetime-local` values in the site's zone. */
export interface OverrideDraft {
  readonly targetKind: TargetKind;
  readonly zone: string;
  readonly street: string;
  readonly luminaires: readonly string[];
  readonly level: string;
  readonly from: string;
  readonly until: string;
  readonly reason: string;
}

/** The id the server gives an override posted without one stands in for it while the form is checked. */
const UNNAMED = 'override-draft';

const LOCAL_INPUT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/;

/**
 * A `datetime-local` value read in the site's zone, as the API's ISO instant with offset; text
 * that is not such a value is left as it is, for the schema to name the field.
 */
export function isoOfLocalInput(value: string, timezone: string): string {
  const match = LOCAL_INPUT.exec(value);
  if (match === null) return value;
  const [, date, hours, minutes] = match as unknown as [string, string, string, string];
  const clock = ZoneClock.of(timezone);
  return clock.format(clock.toEpoch(date, Number(hours) * 3600 + Number(minutes) * 60));
}

/** An instant as a `datetime-local` value in the site's zone. */
export function localInputOf(epochSeconds: number, timezone: string): string {
  return ZoneClock.of(timezone).format(epochSeconds).slice(0, 16);
}

/** The override's target as the API takes it. A street is named within its zone, which holds it to that zone. */
function targetOf(draft: OverrideDraft): unknown {
  switch (draft.targetKind) {
    case 'zone':
      return { zones: [draft.zone] };
    case 'street':
      return { zones: [draft.zone], streets: [draft.street] };
    case 'selection':
      return { luminaires: [...draft.luminaires] };
  }
}

/** The body of POST /overrides for this form. */
export function overrideBody(draft: OverrideDraft, timezone: string): Record<string, unknown> {
  const level = Number(draft.level.trim());
  return {
    target: targetOf(draft),
    level: draft.level.trim() !== '' && Number.isFinite(level) ? level : draft.level,
    from: isoOfLocalInput(draft.from, timezone),
    until: isoOfLocalInput(draft.until, timezone),
    reason: draft.reason.trim(),
  };
}

/**
 * The form checked with the API's Override schema (the server names it, so a stand-in id is
 * checked); errors point where the API's would, `/target/luminaires` for an empty selection.
 */
export function checkOverride(
  draft: OverrideDraft,
  timezone: string,
  word?: IssueWording,
):
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; errors: FieldError[]; body: Record<string, unknown> } {
  const body = overrideBody(draft, timezone);
  const parsed = Override.safeParse({ id: UNNAMED, ...body });
  return parsed.success
    ? { ok: true, body }
    : { ok: false, errors: issueErrors(parsed.error.issues, word), body };
}

/** The pointers of the override form's fields. */
export const OVERRIDE_FIELDS: readonly string[] = [
  '/target',
  '/target/zones',
  '/target/streets',
  '/target/luminaires',
  '/level',
  '/from',
  '/until',
  '/reason',
];

/** Whether an override acts now, will act later, or is over (epoch seconds). */
export function overrideStatus(
  override: Pick<Override, 'from' | 'until'>,
  now: number,
): 'active' | 'future' | 'over' {
  if (Date.parse(override.until) / 1000 <= now) return 'over';
  return Date.parse(override.from) / 1000 > now ? 'future' : 'active';
}

/** What an override targets, in few words for a list: the zones, streets, or how many luminaires. */
export function targetSummary(target: Override['target']): {
  readonly all: boolean;
  readonly zones: readonly string[];
  readonly streets: readonly string[];
  readonly luminaires: number;
} {
  if ('all' in target) return { all: true, zones: [], streets: [], luminaires: 0 };
  return {
    all: false,
    zones: target.zones ?? [],
    streets: target.streets ?? [],
    luminaires: target.luminaires?.length ?? 0,
  };
}
