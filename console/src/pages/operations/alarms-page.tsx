import { useEffect, useState } from 'preact/hooks';
import { zonesOutsideLimit } from '#protocol/principal.ts';
import { CITIZEN_REPORT } from '#schedules/public/fault-report.ts';
import { Acknowledgement, type Alarm, AlarmList } from '../../api/operations.ts';
import { useApp } from '../../app-context.ts';
import { formatDateTime } from '../../format.ts';
import { hrefOf } from '../../href.ts';
import { t } from '../../i18n/index.ts';
import { pointText } from '../public/map-point.ts';
import {
  acknowledgePath,
  alarmKey,
  alarmsInListOrder,
  alarmsOnMapHref,
  closePath,
  isNamedAlarmKind,
} from './alarms.ts';
import '../../styles/tables-forms.css';
import '../../styles/operations.css';
import { useZoneFilter, ZoneFilter } from '../../components/zone-filter.tsx';

const kindLabel = (kind: string): string => (isNamedAlarmKind(kind) ? t(`alarms.kind.${kind}`) : kind);

const instant = (iso: string) => new Date(iso);

/** Open alarms, unacknowledged first, each acknowledged in one click (audited by the API). */
export default function AlarmsPage() {
  const { api, config, principal } = useApp();
  const [alarms, setAlarms] = useState<Alarm[] | undefined>();
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState<string | undefined>();

  useEffect(() => {
    api
      .get<unknown>('/alarms')
      .then((body) => setAlarms(alarmsInListOrder(AlarmList.parse(body).items)))
      .catch((error: unknown) => setMessage(t('app.error', { message: String(error) })));
  }, [api]);

  async function acknowledge(alarm: Alarm) {
    setBusy(alarmKey(alarm));
    try {
      const answer = await api.request<unknown>('POST', acknowledgePath(alarm));
      const done = Acknowledgement.parse(answer.data);
      setAlarms((list) =>
        alarmsInListOrder(
          (list ?? []).map((a) =>
            alarmKey(a) === alarmKey(alarm)
              ? { ...a, acknowledgedBy: done.acknowledgedBy, acknowledgedAt: done.acknowledgedAt }
              : a,
          ),
        ),
      );
      setMessage(t('alarms.acknowledgedNow', { kind: kindLabel(alarm.kind), luminaire: alarm.luminaireId }));
    } catch (error) {
      setMessage(t('app.error', { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(undefined);
    }
  }

  async function close(alarm: Alarm) {
    setBusy(alarmKey(alarm));
    try {
      await api.request<unknown>('POST', closePath(alarm));
      setAlarms((list) => (list ?? []).filter((a) => alarmKey(a) !== alarmKey(alarm)));
      setMessage(t('alarms.closedNow', { luminaire: alarm.luminaireId }));
    } catch (error) {
      setMessage(t('app.error', { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(undefined);
    }
  }

  const { shown, filter } = useZoneFilter(alarms ?? []);
  const mayAcknowledge = (alarm: Alarm) =>
    principal !== undefined && zonesOutsideLimit(principal, [alarm.zone]).length === 0;

  return (
    <section class="page alarms-page" aria-labelledby="alarms-title">
      <h1 id="alarms-title">{t('alarms.title')}</h1>
      <p>
        {t('alarms.intro')} <a href={alarmsOnMapHref()}>{t('alarms.onMap')}</a>
      </p>
      <ZoneFilter id="alarms-zone" label={t('alarms.zone')} allLabel={t('alarms.allZones')} {...filter} />
      <p role="status" class="status">
        {message}
      </p>
      {alarms === undefined ? (
        <p>{t('app.loading')}</p>
      ) : shown.length === 0 ? (
        <p>{t('alarms.none')}</p>
      ) : (
        <>
          <p>
            {t('alarms.count', {
              count: shown.length,
              open: shown.filter((a) => a.acknowledgedAt === undefined).length,
            })}
          </p>
          <div class="table-scroll">
            <table class="alarms-table">
              <thead>
                <tr>
                  <th scope="col">{t('alarms.col.kind')}</th>
                  <th scope="col">{t('alarms.col.luminaire')}</th>
                  <th scope="col">{t('alarms.col.zone')}</th>
                  <th scope="col">{t('alarms.col.street')}</th>
                  <th scope="col">{t('alarms.col.since')}</th>
                  <th scope="col">{t('alarms.col.acknowledged')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((alarm) => (
                  <tr key={alarmKey(alarm)} data-alarm={alarmKey(alarm)}>
                    <td title={alarm.detail}>
                      {kindLabel(alarm.kind)}
                      {alarm.kind === CITIZEN_REPORT && (
                        <>
                          <br />
                          {alarm.detail}
                          {alarm.contactEmail !== undefined && (
                            <>
                              {' · '}
                              <a href={`mailto:${alarm.contactEmail}`}>{alarm.contactEmail}</a>
                            </>
                          )}
                          {alarm.reporterPoint !== undefined && (
                            <>
                              {' · '}
                              {t('alarms.reporterPoint', { point: pointText(alarm.reporterPoint) })}
                            </>
                          )}
                        </>
                      )}
                    </td>
                    <td>
                      <a href={hrefOf('/luminaires/:id', { id: alarm.luminaireId })}>{alarm.luminaireId}</a>
                    </td>
                    <td>{alarm.zone}</td>
                    <td>{alarm.street}</td>
                    <td>{formatDateTime(instant(alarm.openedAt), config.timezone)}</td>
                    <td>
                      {alarm.acknowledgedAt !== undefined ? (
                        t('alarms.acknowledgedBy', {
                          actor: alarm.acknowledgedBy ?? '',
                          at: formatDateTime(instant(alarm.acknowledgedAt), config.timezone),
                        })
                      ) : mayAcknowledge(alarm) ? (
                        <button
                          type="button"
                          disabled={busy === alarmKey(alarm)}
                          aria-label={t('alarms.acknowledgeLabel', {
                            kind: kindLabel(alarm.kind),
                            luminaire: alarm.luminaireId,
                          })}
                          onClick={() => void acknowledge(alarm)}
                        >
                          {t('alarms.acknowledge')}
                        </button>
                      ) : (
                        '—'
                      )}
                      {alarm.kind === CITIZEN_REPORT && mayAcknowledge(alarm) && (
                        <button
                          type="button"
                          disabled={busy === alarmKey(alarm)}
                          onClick={() => void close(alarm)}
                        >
                          {t('alarms.close')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
