import {
  MAX_DESCRIPTION_CHARS,
  MAX_POINT_DISTANCE_M,
  REFUSALS,
  type Refusal,
} from '#schedules/public/fault-report.ts';
import { ApiError } from '../../api/client.ts';
import { type MessageKey, t } from '../../i18n/index.ts';

/** The fields the form shows a message next to. */
const REPORT_FIELDS = ['luminaire', 'street', 'description', 'email', 'position'] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];

/** What the form tells the resident: a message per field it names, and all of them for the alert. */
export interface ReportFailure {
  readonly message: string;
  readonly fields: Readonly<Record<string, string>>;
}

const REFUSAL_MESSAGES: Record<Refusal, MessageKey> = {
  noPlace: 'public.refusal.noPlace',
  poleAndPoint: 'public.refusal.poleAndPoint',
  unknownPole: 'public.refusal.unknownPole',
  outsideNetwork: 'public.refusal.outsideNetwork',
  farFromPoles: 'public.report.noPole',
  unknownStreet: 'public.refusal.unknownStreet',
  tooShort: 'public.refusal.tooShort',
  tooLong: 'public.refusal.tooLong',
  controlCharacters: 'public.refusal.controlCharacters',
  notEmail: 'public.refusal.notEmail',
  tooQuick: 'public.refusal.tooQuick',
};

/** A field refused for a reason the form has no words for (a length the schema words itself). */
const FIELD_MESSAGES: Record<ReportField, MessageKey> = {
  luminaire: 'public.fieldError.luminaire',
  street: 'public.fieldError.street',
  description: 'public.fieldError.description',
  email: 'public.refusal.notEmail',
  position: 'public.fieldError.position',
};

const REFUSAL_OF_DETAIL = new Map(
  (Object.entries(REFUSALS) as [Refusal, string][]).map(([reason, detail]) => [detail, reason]),
);

const isReportField = (field: string): field is ReportField =>
  (REPORT_FIELDS as readonly string[]).includes(field);

/**
 * A refused field in the page's language: the reason's words, else the field's own; the API's
 * English detail only for a field the form does not know.
 */
function fieldMessage(field: string, detail: string): string {
  const reason = REFUSAL_OF_DETAIL.get(detail);
  const key =
    reason !== undefined
      ? REFUSAL_MESSAGES[reason]
      : isReportField(field)
        ? FIELD_MESSAGES[field]
        : undefined;
  return key === undefined ? detail : t(key, { metres: MAX_POINT_DISTANCE_M, chars: MAX_DESCRIPTION_CHARS });
}

/** The first refusal of each field, and all of them, once each, for the alert. */
function refused(errors: readonly { readonly field: string; readonly detail: string }[]): ReportFailure {
  const fields: Record<string, string> = {};
  for (const { field, detail } of errors) fields[field] ??= fieldMessage(field, detail);
  return { message: [...new Set(Object.values(fields))].join(' ; '), fields };
}

/** What the form's own check (the schema the API applies) refused, before anything is sent. */
export function checkFailure(
  issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[],
): ReportFailure {
  return refused(issues.map((issue) => ({ field: String(issue.path[0] ?? ''), detail: issue.message })));
}

function tooMany(retryAfterSeconds: number | undefined): string {
  if (retryAfterSeconds === undefined) return t('public.report.tooMany');
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return t(minutes === 1 ? 'public.report.tooManyMinute' : 'public.report.tooManyMinutes', { minutes });
}

/** Why sending failed: the API refused a field, the address sent too many, or no answer came. */
export function sendFailure(error: unknown): ReportFailure {
  // fetch rejects with a TypeError when the request never got an answer (offline, DNS, CORS).
  if (error instanceof TypeError) return { message: t('public.report.offline'), fields: {} };
  const problem = error instanceof ApiError ? error.problem : undefined;
  if (problem?.status === 429) return { message: tooMany(problem.retryAfterSeconds), fields: {} };
  const errors = (problem?.errors ?? []).map((e) => ({
    field: e.pointer?.split('/')[1] ?? e.name ?? '',
    detail: e.detail,
  }));
  return errors.length > 0 ? refused(errors) : { message: t('public.report.failed'), fields: {} };
}
