import { useEffect, useRef, useState } from 'preact/hooks';
import { FaultReport, MAX_DESCRIPTION_CHARS, MAX_POINT_DISTANCE_M } from '#schedules/public/fault-report.ts';
import type { Point } from '#schedules/public/nearest.ts';
import { useApp } from '../../app-context.ts';
import { t } from '../../i18n/index.ts';
import { nearestPole, type Pole, pointText, polesOf } from './map-point.ts';
import { PublicNav } from './public-nav.tsx';
import { checkFailure, type ReportFailure, type ReportField, sendFailure } from './report-errors.ts';
import type { PointPicker } from './report-map.ts';
import '../../styles/public.css';

type Outcome =
  | { readonly kind: 'idle' | 'sending' }
  | { readonly kind: 'done'; readonly message: string }
  | ({ readonly kind: 'failed' } & ReportFailure);

const FIELDS = ['luminaire', 'street', 'description', 'email'] as const;
type Field = (typeof FIELDS)[number];
const LABELS: Record<Field, Parameters<typeof t>[0]> = {
  luminaire: 'public.report.luminaire',
  street: 'public.report.street',
  description: 'public.report.description',
  email: 'public.report.email',
};

/** "Signaler un lampadaire en panne": checked here as the API checks it, then sent; the notice says what is kept. */
export default function ReportPage() {
  const { api, config } = useApp();
  const shownAt = useRef(Date.now());
  const [values, setValues] = useState<Record<Field | 'website', string>>({
    luminaire: '',
    street: '',
    description: '',
    email: '',
    website: '',
  });
  const [point, setPoint] = useState<Point | undefined>();
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const set = (field: Field | 'website') => (event: Event) =>
    setValues({ ...values, [field]: (event.currentTarget as HTMLInputElement).value });

  async function send(event: Event) {
    event.preventDefault();
    const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
    const parsed = FaultReport.safeParse({
      luminaire: optional(values.luminaire),
      position: point,
      street: optional(values.street),
      description: values.description,
      email: optional(values.email),
      website: values.website,
      filledInSeconds: Math.round((Date.now() - shownAt.current) / 1000),
    });
    if (!parsed.success) {
      setOutcome({ kind: 'failed', ...checkFailure(parsed.error.issues) });
      return;
    }
    setOutcome({ kind: 'sending' });
    try {
      const answer = await api.request<{ status: string; street?: string }>('POST', '/public/fault-reports', {
        body: parsed.data,
      });
      const street = answer.data?.street ?? '';
      setOutcome({
        kind: 'done',
        message: t(
          answer.data?.status === 'already-reported' ? 'public.report.already' : 'public.report.received',
          {
            street,
          },
        ),
      });
    } catch (error) {
      setOutcome({ kind: 'failed', ...sendFailure(error) });
    }
  }

  const errorOf = (field: ReportField) => (outcome.kind === 'failed' ? outcome.fields[field] : undefined);
  return (
    <section class="public-page">
      <PublicNav current="/public/report" apiBase={config.apiBase} />
      <h1>{t('public.report.title')}</h1>
      <p>{t('public.report.intro')}</p>
      <form class="public-form" onSubmit={send} noValidate>
        {FIELDS.map((field) => {
          const error = errorOf(field);
          const id = `report-${field}`;
          const props = {
            id,
            name: field,
            value: values[field],
            onInput: set(field),
            'aria-invalid': error === undefined ? undefined : ('true' as const),
            'aria-describedby': error === undefined ? undefined : `${id}-error`,
          };
          return (
            <div class="public-field" key={field}>
              <label for={id}>{t(LABELS[field])}</label>
              {field === 'description' ? (
                <textarea {...props} rows={4} maxLength={MAX_DESCRIPTION_CHARS} required />
              ) : (
                <input
                  {...props}
                  type={field === 'email' ? 'email' : 'text'}
                  autocomplete={field === 'email' ? 'email' : 'off'}
                  maxLength={field === 'email' ? 254 : 128}
                />
              )}
              {error !== undefined && (
                <p class="public-error" id={`${id}-error`}>
                  {error}
                </p>
              )}
            </div>
          );
        })}
        <MapPoint point={point} onChange={setPoint} error={errorOf('position')} />
        <div class="public-honeypot" aria-hidden="true">
          <label for="report-website">{t('public.report.website')}</label>
          <input
            id="report-website"
            name="website"
            tabIndex={-1}
            autocomplete="off"
            value={values.website}
            onInput={set('website')}
          />
        </div>
        <p class="public-privacy">{t('public.report.privacy')}</p>
        <button type="submit" disabled={outcome.kind === 'sending'}>
          {outcome.kind === 'sending' ? t('public.report.sending') : t('public.report.send')}
        </button>
      </form>
      <div aria-live="polite">
        {outcome.kind === 'done' && <p class="public-done">{outcome.message}</p>}
        {outcome.kind === 'failed' && (
          <p class="public-error" role="alert">
            {outcome.message}
          </p>
        )}
      </div>
    </section>
  );
}

/**
 * The optional map point: the poles drawn from the public EclExt export, MapLibre and the export
 * both fetched on the resident's click only. The point is shown as text (with the pole the
 * technicians will most likely check) and can be cleared; the pole's number stays the keyboard way.
 */
function MapPoint(props: {
  readonly point: Point | undefined;
  readonly onChange: (point: Point | undefined) => void;
  readonly error: string | undefined;
}) {
  const { api } = useApp();
  const [open, setOpen] = useState(false);
  // Known once the map is opened: the nearest pole is named only then.
  const [poles, setPoles] = useState<readonly Pole[] | undefined>();
  const [locating, setLocating] = useState<'idle' | 'asking' | 'refused'>('idle');
  const [failed, setFailed] = useState<string | undefined>();
  const [ready, setReady] = useState(false);
  const container = useRef<HTMLDivElement>(null);
  const picker = useRef<PointPicker | undefined>(undefined);

  useEffect(() => {
    if (!open || container.current === null) return;
    let cancelled = false;
    const element = container.current;
    (async () => {
      const [{ createPointPicker }, points] = await Promise.all([
        import('./report-map.ts'),
        api.get<Parameters<typeof polesOf>[0]>('/public/eclext.geojson'),
      ]);
      const found = polesOf(points);
      if (cancelled) return;
      setPoles(found);
      const created = await createPointPicker({
        container: element,
        label: t('public.report.mapLabel'),
        poles: found,
        onPick: props.onChange,
      });
      if (cancelled) created.destroy();
      else {
        picker.current = created;
        setReady(true);
      }
    })().catch((error: unknown) => setFailed(String(error)));
    return () => {
      cancelled = true;
      picker.current?.destroy();
      picker.current = undefined;
      setReady(false);
    };
  }, [open]);

  useEffect(() => picker.current?.show(props.point), [props.point, ready]);

  function locate() {
    setLocating('asking');
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating('idle');
        props.onChange({ lat: position.coords.latitude, lon: position.coords.longitude });
      },
      () => setLocating('refused'),
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  }

  const nearest =
    props.point === undefined || poles === undefined ? undefined : nearestPole(poles, props.point);
  return (
    <div class="public-field">
      <span class="public-label" id="report-position-label">
        {t('public.report.position')}
      </span>
      <button
        type="button"
        aria-expanded={open}
        aria-controls="report-map"
        aria-describedby={props.error === undefined ? undefined : 'report-position-error'}
        onClick={() => setOpen(!open)}
      >
        {open ? t('public.report.mapClose') : t('public.report.mapOpen')}
      </button>
      {'geolocation' in navigator && (
        <>
          <button type="button" onClick={locate} disabled={locating === 'asking'}>
            {t('public.report.locate')}
          </button>
          <p class="public-hint">{t('public.report.locateNotice')}</p>
          {locating === 'refused' && <p role="alert">{t('public.report.locateRefused')}</p>}
        </>
      )}
      {open && (
        <>
          <p class="public-hint">{t('public.report.mapHint')}</p>
          <div id="report-map" class="public-map" ref={container} aria-busy={!ready} />
        </>
      )}
      {failed !== undefined && <p role="alert">{t('app.error', { message: failed })}</p>}
      <p aria-live="polite" class="public-point">
        {props.point === undefined
          ? t('public.report.noPoint')
          : [
              t('public.report.point', { point: pointText(props.point) }),
              ...(poles === undefined
                ? []
                : [
                    nearest === undefined
                      ? t('public.report.noPole', { metres: MAX_POINT_DISTANCE_M })
                      : t('public.report.nearestPole', { pole: nearest.pole.id, metres: nearest.metres }),
                  ]),
            ].join(' ')}
      </p>
      {props.point !== undefined && (
        <button type="button" onClick={() => props.onChange(undefined)}>
          {t('public.report.clearPoint')}
        </button>
      )}
      {props.error !== undefined && (
        <p class="public-error" id="report-position-error">
          {props.error}
        </p>
      )}
    </div>
  );
}
