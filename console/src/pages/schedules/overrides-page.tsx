import { useState } from 'preact/hooks';
import { isZoneLimited } from '#protocol/principal.ts';
import type { Override } from '#schedules/index.ts';
import type { ApiProblem } from '../../api/client.ts';
import { useApp } from '../../app-context.ts';
import { useDraft } from '../../drafts.ts';
import { formatDateTime, formatNumber } from '../../format.ts';
import { t } from '../../i18n/index.ts';
import type { ChangeOutcome } from './api-types.ts';
import { errorsByField, type FieldError, problemErrors } from './field-errors.ts';
import {
  Field,
  FieldMessages,
  fieldProps,
  ProblemNotice,
  PushSummaryView,
  WhenLoaded,
} from './form-parts.tsx';
import { useMapSelection } from './map-selection.ts';
import {
  checkOverride,
  localInputOf,
  OVERRIDE_FIELDS,
  type OverrideDraft,
  overrideStatus,
  type TargetKind,
  targetSummary,
} from './override-form.ts';
import { loadPlaces, type Places } from './places.ts';
import { problemOf, useLoad } from './use-load.ts';
import { issueWording } from './wording.ts';
import '../../styles/schedules.css';

/** Overrides: the active and future ones (each can be ended now), and a form to create one. */
export default function OverridesPage() {
  const { api, principal } = useApp();
  const [list, reload] = useLoad(() => api.get<Override[]>('/overrides'), []);
  const limit = principal === undefined || !isZoneLimited(principal) ? 'all' : principal.zones;
  const [places] = useLoad(() => loadPlaces(api, limit), [JSON.stringify(limit)]);
  const [outcome, setOutcome] = useState<ChangeOutcome | undefined>();
  return (
    <article class="overrides-page">
      <h1>{t('sched.overrides.title')}</h1>
      <section aria-labelledby="current-title">
        <h2 id="current-title">{t('sched.overrides.current')}</h2>
        <WhenLoaded loaded={list}>
          {(overrides) => (
            <OverrideList
              overrides={overrides}
              onEnded={(ended) => {
                setOutcome(ended);
                reload();
              }}
            />
          )}
        </WhenLoaded>
      </section>
      {outcome !== undefined && <PushSummaryView push={outcome.push} />}
      <section aria-labelledby="create-title">
        <h2 id="create-title">{t('sched.overrides.create')}</h2>
        <WhenLoaded loaded={places}>
          {(known) => (
            <CreateForm
              places={known}
              onCreated={(created) => {
                setOutcome(created);
                reload();
              }}
            />
          )}
        </WhenLoaded>
      </section>
    </article>
  );
}

function OverrideList({
  overrides,
  onEnded,
}: {
  overrides: readonly Override[];
  onEnded: (outcome: ChangeOutcome) => void;
}) {
  const { api, config } = useApp();
  const [problem, setProblem] = useState<ApiProblem | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const now = Date.now() / 1000;
  const end = async (id: string) => {
    setBusy(id);
    setProblem(undefined);
    const path = `/overrides/${encodeURIComponent(id)}`;
    try {
      // The ETag of the version ended: the API refuses (412) if it changed since this read.
      const read = await api.request<Override>('GET', path);
      const answer = await api.request<ChangeOutcome>('DELETE', path, { ifMatch: read.etag ?? '*' });
      if (answer.data !== undefined) onEnded(answer.data);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(undefined);
    }
  };
  if (overrides.length === 0) return <p>{t('sched.overrides.none')}</p>;
  const at = (iso: string) => formatDateTime(new Date(iso), config.timezone);
  return (
    <>
      {problem !== undefined && <ProblemNotice problem={problem} />}
      <table class="data">
        <thead>
          <tr>
            <th scope="col">{t('sched.overrides.id')}</th>
            <th scope="col">{t('sched.overrides.status')}</th>
            <th scope="col">{t('sched.overrides.target')}</th>
            <th scope="col">{t('sched.overrides.level')}</th>
            <th scope="col">{t('sched.overrides.from')}</th>
            <th scope="col">{t('sched.overrides.until')}</th>
            <th scope="col">{t('sched.overrides.reason')}</th>
            <th scope="col">
              <span class="visually-hidden">{t('sched.overrides.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {overrides.map((override) => {
            const status = overrideStatus(override, now);
            return (
              <tr key={override.id} data-override={override.id}>
                <th scope="row">{override.id}</th>
                <td>{t(`sched.overrides.${status}`)}</td>
                <td>{targetText(override.target)}</td>
                <td>{`${override.level} %`}</td>
                <td>{at(override.from)}</td>
                <td>{at(override.until)}</td>
                <td>{override.reason}</td>
                <td>
                  {status !== 'over' && (
                    <button type="button" disabled={busy !== undefined} onClick={() => end(override.id)}>
                      {status === 'active'
                        ? t('sched.overrides.endNow', { id: override.id })
                        : t('sched.overrides.cancel', { id: override.id })}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

function targetText(target: Override['target']): string {
  const summary = targetSummary(target);
  if (summary.all) return t('sched.overrides.all');
  return [
    summary.zones.length === 0 ? '' : t('sched.calendar.zones', { list: summary.zones.join(', ') }),
    summary.streets.length === 0 ? '' : t('sched.calendar.streets', { list: summary.streets.join(', ') }),
    summary.luminaires === 0 ? '' : t('sched.calendar.luminaires', { count: summary.luminaires }),
  ]
    .filter((part) => part !== '')
    .join(' · ');
}

/** The form starts at the next whole hour for two hours. */
function initialDraft(places: Places, timezone: string): OverrideDraft {
  const start = Math.ceil(Date.now() / 1000 / 3600) * 3600;
  const zone = [...places.streets.keys()][0] ?? '';
  return {
    targetKind: 'zone',
    zone,
    street: places.streets.get(zone)?.[0] ?? '',
    luminaires: [],
    level: '100',
    from: localInputOf(start, timezone),
    until: localInputOf(start + 2 * 3600, timezone),
    reason: '',
  };
}

function CreateForm({ places, onCreated }: { places: Places; onCreated: (outcome: ChangeOutcome) => void }) {
  const { api, config, principal } = useApp();
  const timezone = config.timezone;
  const [draft, setDraft] = useDraft('override', () => initialDraft(places, timezone));
  const [serverErrors, setServerErrors] = useState<FieldError[]>([]);
  const [problem, setProblem] = useState<ApiProblem | undefined>();
  const [shown, setShown] = useState(false);
  const [busy, setBusy] = useState(false);
  const selection = useMapSelection();
  // A zone-limited technician is offered their zones only; a selection keeps their luminaires only.
  const mine = [...selection].filter((id) => places.zoneOf.has(id)).sort();
  const left = selection.size - mine.length;
  const withSelection = { ...draft, luminaires: draft.targetKind === 'selection' ? mine : [] };
  const checked = checkOverride(withSelection, timezone, issueWording);
  const errors = errorsByField(
    [...(shown && !checked.ok ? checked.errors : []), ...serverErrors],
    OVERRIDE_FIELDS,
  );
  const edit = (next: Partial<OverrideDraft>) => {
    setDraft({ ...draft, ...next });
    setServerErrors([]);
    setProblem(undefined);
  };
  const zones = [...places.streets.keys()];
  const streets = places.streets.get(draft.zone) ?? [];
  const zoneLimited = principal !== undefined && isZoneLimited(principal);

  const submit = async (event: Event) => {
    event.preventDefault();
    setShown(true);
    if (!checked.ok) return;
    setBusy(true);
    try {
      const answer = await api.request<ChangeOutcome>('POST', '/overrides', { body: checked.body });
      if (answer.data !== undefined) onCreated(answer.data);
      setDraft(initialDraft(places, timezone));
      setShown(false);
    } catch (error) {
      const found = problemOf(error);
      const placed = problemErrors(found).filter((e) => e.pointer !== '');
      setServerErrors(placed);
      setProblem(placed.length > 0 ? undefined : found);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="override-form" onSubmit={submit} noValidate>
      {zoneLimited && <p class="note">{t('sched.overrides.yourZones', { zones: zones.join(', ') })}</p>}
      <fieldset>
        <legend>{t('sched.overrides.target')}</legend>
        {(['zone', 'street', 'selection'] as const satisfies readonly TargetKind[]).map((kind) => (
          <label key={kind} class="choice">
            <input
              type="radio"
              name="target-kind"
              value={kind}
              checked={draft.targetKind === kind}
              onChange={() => edit({ targetKind: kind })}
            />
            {t(`sched.overrides.kind.${kind}`)}
          </label>
        ))}
        <FieldMessages pointer="/target" errors={errors} />
        {draft.targetKind !== 'selection' && (
          <Field label={t('sched.calendar.zone')} pointer="/target/zones" errors={errors}>
            <select
              value={draft.zone}
              onChange={(event) => {
                const zone = (event.currentTarget as HTMLSelectElement).value;
                edit({ zone, street: places.streets.get(zone)?.[0] ?? '' });
              }}
              {...fieldProps('/target/zones', errors)}
            >
              {zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone}
                </option>
              ))}
            </select>
          </Field>
        )}
        {draft.targetKind === 'street' && (
          <Field label={t('sched.overrides.street')} pointer="/target/streets" errors={errors}>
            <select
              value={draft.street}
              onChange={(event) => edit({ street: (event.currentTarget as HTMLSelectElement).value })}
              {...fieldProps('/target/streets', errors)}
            >
              {streets.map((street) => (
                <option key={street} value={street}>
                  {street}
                </option>
              ))}
            </select>
          </Field>
        )}
        {draft.targetKind === 'selection' && (
          <div class="field">
            <p data-testid="selection-count">
              {t('sched.overrides.selected', { count: formatNumber(mine.length) })}{' '}
              <a href="#/map">{t('sched.overrides.pickOnMap')}</a>
            </p>
            {left > 0 && (
              <p class="note">{t('sched.overrides.selectionOutside', { count: formatNumber(left) })}</p>
            )}
            <FieldMessages pointer="/target/luminaires" errors={errors} />
          </div>
        )}
      </fieldset>
      <Field label={t('sched.overrides.levelField')} pointer="/level" errors={errors}>
        <input
          type="number"
          min={0}
          max={100}
          value={draft.level}
          onInput={(event) => edit({ level: (event.currentTarget as HTMLInputElement).value })}
          {...fieldProps('/level', errors)}
        />
      </Field>
      <Field label={t('sched.overrides.fromField', { zone: timezone })} pointer="/from" errors={errors}>
        <input
          type="datetime-local"
          value={draft.from}
          onInput={(event) => edit({ from: (event.currentTarget as HTMLInputElement).value })}
          {...fieldProps('/from', errors)}
        />
      </Field>
      <Field label={t('sched.overrides.untilField', { zone: timezone })} pointer="/until" errors={errors}>
        <input
          type="datetime-local"
          value={draft.until}
          onInput={(event) => edit({ until: (event.currentTarget as HTMLInputElement).value })}
          {...fieldProps('/until', errors)}
        />
      </Field>
      <Field label={t('sched.overrides.reasonField')} pointer="/reason" errors={errors}>
        <input
          type="text"
          maxLength={500}
          value={draft.reason}
          onInput={(event) => edit({ reason: (event.currentTarget as HTMLInputElement).value })}
          {...fieldProps('/reason', errors)}
        />
      </Field>
      {problem !== undefined && <ProblemNotice problem={problem} />}
      <button type="submit" disabled={busy || (shown && !checked.ok)}>
        {t('sched.overrides.submit')}
      </button>
    </form>
  );
}
