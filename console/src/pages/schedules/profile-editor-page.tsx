import { useMemo, useState } from 'preact/hooks';
import type { z } from 'zod';
import { LocalDate, nightOf, type Profile } from '#schedules/index.ts';
import { ApiError, type ApiProblem } from '../../api/client.ts';
import { useApp } from '../../app-context.ts';
import { useDraft } from '../../drafts.ts';
import { formatLocalDate, formatNumber } from '../../format.ts';
import { t } from '../../i18n/index.ts';
import type { PageProps } from '../../routes.ts';
import type { ChangeOutcome, SiteSettings } from './api-types.ts';
import { errorsByField, type FieldError, problemErrors } from './field-errors.ts';
import {
  Field,
  FieldMessages,
  fieldProps,
  ProblemNotice,
  PushSummaryView,
  WhenLoaded,
} from './form-parts.tsx';
import { transitionsOfView } from './night-chart.ts';
import { NightChartView } from './night-chart-view.tsx';
import { type NightPreview, previewNight } from './night-preview.ts';
import {
  checkName,
  checkProfile,
  draftOf,
  NEW_STEP,
  type ProfileDraft,
  profileFields,
  type StepDraft,
} from './profile-form.ts';
import { TimeInput } from './time-input.tsx';
import { problemOf, useLoad } from './use-load.ts';
import { issueWording } from './wording.ts';
import '../../styles/schedules.css';

/** The stored version the edit started from: absent for a new profile. */
interface Base {
  readonly profile: z.input<typeof Profile> | undefined;
  readonly etag: string | undefined;
}

/** Luminaires of a dry run shown before and after. */
const SAMPLE = 5;

/**
 * The profile editor: the form, a chart of the night it gives computed here as it is typed (the
 * planning core, no round trip), then the server's dry run of the change on a chosen night, then
 * the save (If-Match the version read; a 412 shows the version stored meanwhile) and its push.
 */
export default function ProfileEditorPage({ params }: PageProps) {
  const { api } = useApp();
  const name = params.name ?? '';
  const path = `/profiles/${encodeURIComponent(name)}`;
  const [base] = useLoad(async (): Promise<Base> => {
    try {
      const answer = await api.request<z.input<typeof Profile>>('GET', path);
      return { profile: answer.data, etag: answer.etag };
    } catch (error) {
      if (error instanceof ApiError && error.problem.status === 404)
        return { profile: undefined, etag: undefined };
      throw error;
    }
  }, [path]);
  const [settings] = useLoad(() => api.get<SiteSettings>('/settings'), []);
  return (
    <article class="profile-editor">
      <h1>{t('sched.editor.title', { name })}</h1>
      <WhenLoaded loaded={base}>
        {(loaded) => (
          <WhenLoaded loaded={settings}>
            {(site) => <Editor key={path} name={name} path={path} base={loaded} site={site.site} />}
          </WhenLoaded>
        )}
      </WhenLoaded>
    </article>
  );
}

function Editor({
  name,
  path,
  base: initial,
  site,
}: {
  name: string;
  path: string;
  base: Base;
  site: SiteSettings['site'];
}) {
  const { api, config } = useApp();
  const timezone = config.timezone;
  const [base, setBase] = useState(initial);
  const [draft, setDraft] = useDraft<ProfileDraft>(`profile:${name}`, () => draftOf(initial.profile));
  const [night, setNight] = useState(() => nightOf(timezone, Date.now() / 1000));
  const [serverErrors, setServerErrors] = useState<FieldError[]>([]);
  const [problem, setProblem] = useState<ApiProblem | undefined>();
  const [dryRun, setDryRun] = useState<{ key: string; outcome: ChangeOutcome } | undefined>();
  const [saved, setSaved] = useState<ChangeOutcome | undefined>();
  const [conflict, setConflict] = useState<{ current: z.input<typeof Profile>; etag: string } | undefined>();
  const [busy, setBusy] = useState(false);

  const checked = checkProfile(draft, issueWording);
  const nameErrors = base.profile === undefined ? checkName(name, issueWording) : [];
  const clientErrors = [...nameErrors, ...(checked.ok ? [] : checked.errors)];
  const errors = errorsByField([...clientErrors, ...serverErrors], profileFields(draft));
  const key = JSON.stringify([checked.body, night, base.etag ?? null]);
  const place = { timezone, lat: site.latitude, lon: site.longitude };
  const preview = useMemo(
    () => (checked.ok ? previewNight(checked.value, night, place) : undefined),
    [key, place.lat, place.lon],
  );

  const edit = (next: ProfileDraft) => {
    setDraft(next);
    setServerErrors([]);
    setSaved(undefined);
  };
  const preconditions = () => (base.etag === undefined ? { ifNoneMatch: '*' } : { ifMatch: base.etag });

  /** The API's refusal: field errors at their fields, a 412 as the version stored meanwhile. */
  const refused = (error: unknown) => {
    const found = problemOf(error);
    if (found.status === 412 && found.current !== undefined && found.etag !== undefined) {
      setConflict({ current: found.current as z.input<typeof Profile>, etag: found.etag });
    }
    const placed = problemErrors(found).filter((e) => e.pointer !== '');
    setServerErrors(placed);
    setProblem(placed.length > 0 ? undefined : found);
  };

  const runDryRun = async () => {
    if (!checked.ok || nameErrors.length > 0) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const answer = await api.request<ChangeOutcome>('PUT', path, {
        query: { dryRun: true, night },
        body: checked.body,
        ...preconditions(),
      });
      if (answer.data !== undefined) setDryRun({ key, outcome: answer.data });
    } catch (error) {
      refused(error);
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    if (!checked.ok || dryRun?.key !== key) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const answer = await api.request<ChangeOutcome>('PUT', path, {
        query: { night },
        body: checked.body,
        ...preconditions(),
      });
      setSaved(answer.data);
      setBase({ profile: checked.body as z.input<typeof Profile>, etag: answer.etag });
      setDryRun(undefined);
    } catch (error) {
      refused(error);
    } finally {
      setBusy(false);
    }
  };

  const stepsChanged = (steps: readonly StepDraft[]) => edit({ ...draft, steps });
  const number = (field: 'onLevel' | 'fadeSeconds') => (event: Event) =>
    edit({ ...draft, [field]: (event.currentTarget as HTMLInputElement).value });

  return (
    <div class="editor-layout">
      <form class="profile-form" onSubmit={(event) => event.preventDefault()} aria-describedby="form-errors">
        {base.profile === undefined && <p class="note">{t('sched.editor.new')}</p>}
        <div id="form-errors">
          <FieldMessages pointer="" errors={errors} />
          <FieldMessages pointer="/name" errors={errors} />
        </div>
        <Field label={t('sched.profiles.description')} pointer="/description" errors={errors}>
          <textarea
            rows={2}
            value={draft.description}
            onInput={(event) =>
              edit({ ...draft, description: (event.currentTarget as HTMLTextAreaElement).value })
            }
            {...fieldProps('/description', errors)}
          />
        </Field>
        <TimeInput
          legend={t('sched.profiles.on')}
          pointer="/on"
          value={draft.on}
          errors={errors}
          onChange={(on) => edit({ ...draft, on })}
        />
        <Field label={t('sched.editor.onLevel')} pointer="/onLevel" errors={errors}>
          <input
            type="number"
            min={0}
            max={100}
            value={draft.onLevel}
            onInput={number('onLevel')}
            {...fieldProps('/onLevel', errors)}
          />
        </Field>
        <fieldset class="steps">
          <legend>{t('sched.profiles.steps')}</legend>
          <FieldMessages pointer="/steps" errors={errors} />
          <ol>
            {draft.steps.map((step, i) => (
              <li key={i} class="step">
                <TimeInput
                  legend={t('sched.editor.stepAt', { n: i + 1 })}
                  pointer={`/steps/${i}/at`}
                  value={step.at}
                  errors={errors}
                  onChange={(at) => stepsChanged(draft.steps.map((s, j) => (j === i ? { ...s, at } : s)))}
                />
                <Field
                  label={t('sched.editor.stepLevel', { n: i + 1 })}
                  pointer={`/steps/${i}/level`}
                  errors={errors}
                >
                  <input
                    type="number"
                    min={0}
                    max={100}
                    value={step.level}
                    onInput={(event) =>
                      stepsChanged(
                        draft.steps.map((s, j) =>
                          j === i ? { ...s, level: (event.currentTarget as HTMLInputElement).value } : s,
                        ),
                      )
                    }
                    {...fieldProps(`/steps/${i}/level`, errors)}
                  />
                </Field>
                <FieldMessages pointer={`/steps/${i}`} errors={errors} />
                <button
                  type="button"
                  class="secondary"
                  onClick={() => stepsChanged(draft.steps.filter((_, j) => j !== i))}
                >
                  {t('sched.editor.removeStep', { n: i + 1 })}
                </button>
              </li>
            ))}
          </ol>
          <button type="button" class="secondary" onClick={() => stepsChanged([...draft.steps, NEW_STEP])}>
            {t('sched.editor.addStep')}
          </button>
        </fieldset>
        <TimeInput
          legend={t('sched.profiles.off')}
          pointer="/off"
          value={draft.off}
          errors={errors}
          onChange={(off) => edit({ ...draft, off })}
        />
        <Field label={t('sched.editor.fade')} pointer="/fadeSeconds" errors={errors}>
          <input
            type="number"
            min={0}
            max={600}
            value={draft.fadeSeconds}
            onInput={number('fadeSeconds')}
            {...fieldProps('/fadeSeconds', errors)}
          />
        </Field>
        <Field label={t('sched.editor.polarNight')} pointer="/polarNight" errors={errors}>
          <select
            {...fieldProps('/polarNight', errors)}
            value={draft.polarNight}
            onChange={(event) =>
              edit({
                ...draft,
                polarNight: (event.currentTarget as HTMLSelectElement).value as 'lit' | 'off',
              })
            }
          >
            <option value="lit">{t('sched.editor.polarLit')}</option>
            <option value="off">{t('sched.editor.polarOff')}</option>
          </select>
        </Field>
      </form>

      <section class="preview" aria-labelledby="preview-title">
        <h2 id="preview-title">{t('sched.editor.preview')}</h2>
        <label class="night-picker">
          <span>{t('sched.common.night')}</span>
          <input
            type="date"
            value={night}
            onChange={(event) => {
              const value = (event.currentTarget as HTMLInputElement).value;
              if (LocalDate.safeParse(value).success) setNight(value);
            }}
          />
        </label>
        {preview === undefined ? (
          <p class="note" role="status">
            {t('sched.editor.fixErrors')}
          </p>
        ) : (
          <BrowserPreview preview={preview} />
        )}

        <div class="actions">
          <button type="button" onClick={runDryRun} disabled={busy || clientErrors.length > 0}>
            {t('sched.editor.dryRun')}
          </button>
          <button
            type="button"
            onClick={save}
            disabled={busy || clientErrors.length > 0 || dryRun?.key !== key}
          >
            {t('sched.editor.save')}
          </button>
        </div>
        {dryRun !== undefined && dryRun.key !== key && <p class="note">{t('sched.editor.dryRunStale')}</p>}
        {dryRun === undefined && saved === undefined && <p class="note">{t('sched.editor.dryRunFirst')}</p>}
        {problem !== undefined && <ProblemNotice problem={problem} />}
        {conflict !== undefined && (
          <Conflict
            conflict={conflict}
            night={night}
            place={place}
            onTakeTheirs={() => {
              setBase({ profile: conflict.current, etag: conflict.etag });
              edit(draftOf(conflict.current));
              setConflict(undefined);
              setDryRun(undefined);
            }}
            onKeepMine={() => {
              setBase({ profile: conflict.current, etag: conflict.etag });
              setConflict(undefined);
              setDryRun(undefined);
            }}
          />
        )}
        {dryRun !== undefined && dryRun.key === key && (
          <DryRunView outcome={dryRun.outcome} preview={preview} />
        )}
        {saved !== undefined && (
          <section class="saved" aria-labelledby="saved-title">
            <h3 id="saved-title">{t('sched.editor.saved')}</h3>
            <PushSummaryView push={saved.push} />
            <p>
              <a href="#/audit">{t('sched.editor.seeAudit')}</a>
            </p>
          </section>
        )}
      </section>
    </div>
  );
}

function BrowserPreview({ preview }: { preview: NightPreview }) {
  return (
    <>
      <NightChartView
        label={t('sched.editor.chartLabel', { night: formatLocalDate(preview.night) })}
        series={preview}
      />
      <p class="preview-figures" data-testid="browser-preview">
        {t('sched.editor.litHours', {
          lit: formatNumber(preview.litHours, 1),
          full: formatNumber(preview.fullPowerHours, 1),
        })}
      </p>
    </>
  );
}

function DryRunView({ outcome, preview }: { outcome: ChangeOutcome; preview: NightPreview | undefined }) {
  const { preview: server } = outcome;
  const sample = server.luminaires.slice(0, SAMPLE);
  const first = sample[0];
  const series = (view: Parameters<typeof transitionsOfView>[0]) =>
    preview === undefined ? undefined : { ...preview, transitions: transitionsOfView(view) };
  const after = first === undefined ? undefined : series(first.after);
  return (
    <section class="dry-run" aria-labelledby="dry-run-title" role="status">
      <h3 id="dry-run-title">{t('sched.editor.dryRunTitle', { night: formatLocalDate(server.night) })}</h3>
      <p data-testid="dry-run-counts" data-affected={server.affected} data-changed={server.changed}>
        {t('sched.editor.dryRunCounts', {
          affected: formatNumber(server.affected),
          changed: formatNumber(server.changed),
        })}
      </p>
      {first !== undefined && after !== undefined && (
        <NightChartView
          label={t('sched.editor.sampleChart', { id: first.id })}
          series={after}
          before={series(first.before)}
        />
      )}
      {sample.length > 0 && (
        <table class="data">
          <caption>
            {t('sched.editor.sample', { shown: sample.length, changed: formatNumber(server.changed) })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('sched.editor.luminaire')}</th>
              <th scope="col">{t('sched.editor.place')}</th>
              <th scope="col">{t('sched.editor.before')}</th>
              <th scope="col">{t('sched.editor.after')}</th>
            </tr>
          </thead>
          <tbody>
            {sample.map((row) => (
              <tr key={row.id}>
                <th scope="row">
                  <a href={`#/luminaires/${encodeURIComponent(row.id)}`}>{row.id}</a>
                </th>
                <td>{`${row.street}, ${row.zone}`}</td>
                <td>{planText(row.before)}</td>
                <td>{planText(row.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A plan in a line: `21:58 100 % · 22:30 70 % · 06:12 0 %`, local times as the API wrote them. */
function planText(view: Parameters<typeof transitionsOfView>[0]): string {
  if (view === null || view.transitions.length === 0) return t('sched.luminaire.unlit');
  return view.transitions.map((change) => `${change.at.slice(11, 16)} ${change.level} %`).join(' · ');
}

function Conflict({
  conflict,
  night,
  place,
  onTakeTheirs,
  onKeepMine,
}: {
  conflict: { current: z.input<typeof Profile>; etag: string };
  night: string;
  place: { timezone: string; lat: number; lon: number };
  onTakeTheirs: () => void;
  onKeepMine: () => void;
}) {
  const current = checkProfile(draftOf(conflict.current));
  return (
    <section class="conflict" aria-labelledby="conflict-title" role="alert">
      <h3 id="conflict-title">{t('sched.editor.conflict')}</h3>
      {current.ok && (
        <NightChartView
          label={t('sched.editor.currentVersion')}
          series={previewNight(current.value, night, place)}
        />
      )}
      <div class="actions">
        <button type="button" onClick={onTakeTheirs}>
          {t('sched.editor.takeTheirs')}
        </button>
        <button type="button" class="secondary" onClick={onKeepMine}>
          {t('sched.editor.keepMine')}
        </button>
      </div>
    </section>
  );
}
