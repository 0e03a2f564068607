import type { ComponentChildren } from 'preact';
import type { ApiProblem } from '../../api/client.ts';
import { formatLocalDate, formatNumber } from '../../format.ts';
import { type MessageKey, t } from '../../i18n/index.ts';
import type { PushSummary } from './api-types.ts';
import type { Loaded } from './use-load.ts';

/** The id of a field's error text, for aria-describedby (pointers are not valid ids as they are). */
export const errorIdOf = (pointer: string): string => `error${pointer.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** The errors placed on one field (see errorsByField), or nothing. */
export function FieldMessages({
  pointer,
  errors,
}: {
  pointer: string;
  errors: ReadonlyMap<string, string[]>;
}) {
  const messages = errors.get(pointer);
  if (messages === undefined) return null;
  return (
    <span class="field-error" id={errorIdOf(pointer)}>
      {messages.join(' · ')}
    </span>
  );
}

/** The id of the control of a field (its label points to it). */
export const fieldIdOf = (pointer: string): string => `field${pointer.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** The attributes of a field's control: its id (for its label) and what ties it to its errors. */
export function fieldProps(pointer: string, errors: ReadonlyMap<string, string[]>) {
  const id = fieldIdOf(pointer);
  return errors.has(pointer)
    ? { id, 'aria-invalid': true as const, 'aria-describedby': errorIdOf(pointer) }
    : { id, 'aria-invalid': false as const };
}

/** A labelled field with its errors under it; its control takes fieldProps(pointer, errors). */
export function Field({
  label,
  pointer,
  errors,
  children,
}: {
  label: string;
  pointer: string;
  errors: ReadonlyMap<string, string[]>;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={fieldIdOf(pointer)}>{label}</label>
      {children}
      <FieldMessages pointer={pointer} errors={errors} />
    </div>
  );
}

/** An API problem as a message (its field errors are shown at the fields, by the form). */
export function ProblemNotice({ problem }: { problem: ApiProblem }) {
  return (
    <p class="problem" role="alert">
      {problem.status === 0
        ? t('sched.common.unreachable', { message: problem.title })
        : `${problem.title}${problem.detail === undefined ? '' : ` : ${problem.detail}`}`}
    </p>
  );
}

/** The content of a section once its read is done; a note while loading, the problem if it failed. */
export function WhenLoaded<T>({
  loaded,
  children,
}: {
  loaded: Loaded<T>;
  children: (value: T) => ComponentChildren;
}) {
  if (loaded.state === 'loading') return <p class="loading">{t('app.loading')}</p>;
  if (loaded.state === 'failed') return <ProblemNotice problem={loaded.problem} />;
  return <>{children(loaded.value)}</>;
}

/** How a stored change reached the luminaires: pushed inline, queued by shard, or failed. */
export function PushSummaryView({ push }: { push: PushSummary | undefined }) {
  if (push === undefined) return <p class="push-summary">{t('sched.push.none')}</p>;
  const figure = (key: MessageKey, value: number | undefined) =>
    value === undefined ? null : <li key={key}>{t(key, { count: formatNumber(value) })}</li>;
  return (
    <section class="push-summary" aria-labelledby="push-summary-title" role="status">
      <h3 id="push-summary-title">{t('sched.push.title', { night: formatLocalDate(push.night) })}</h3>
      <ul>
        {figure('sched.push.planned', push.planned)}
        {figure('sched.push.pushed', push.pushed)}
        {figure('sched.push.unchanged', push.unchanged)}
        {figure('sched.push.failed', push.failed)}
        {figure('sched.push.requeuedShards', push.requeuedShards)}
        {push.queued !== undefined && (
          <li>
            {t('sched.push.queued', {
              luminaires: formatNumber(push.queued.luminaires),
              shards: formatNumber(push.queued.shards),
            })}
          </li>
        )}
      </ul>
      {push.error !== undefined && <p class="problem">{t('sched.push.error', { error: push.error })}</p>}
    </section>
  );
}
