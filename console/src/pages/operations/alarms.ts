import { FAULTS } from '#protocol/fields.ts';
import { CITIZEN_REPORT } from '#schedules/public/fault-report.ts';

/** An open alarm as `GET /alarms` lists it (console/src/api/operations.ts parses it). */
export interface AlarmRow {
  readonly luminaireId: string;
  readonly kind: string;
  readonly zone: string;
  readonly street: string;
  readonly openedAt: string;
  readonly detail?: string | undefined;
  readonly acknowledgedBy?: string | undefined;
  readonly acknowledgedAt?: string | undefined;
}

/**
 * The order of the alarm list: alarms nobody acknowledged first, then the longest open first, so
 * what still needs someone is at the top.
 */
export function alarmsInListOrder<T extends AlarmRow>(alarms: readonly T[]): T[] {
  return [...alarms].sort(
    (a, b) =>
      Number(a.acknowledgedAt !== undefined) - Number(b.acknowledgedAt !== undefined) ||
      a.openedAt.localeCompare(b.openedAt) ||
      a.luminaireId.localeCompare(b.luminaireId) ||
      a.kind.localeCompare(b.kind),
  );
}

/** One alarm per luminaire and kind (the API's key). */
export const alarmKey = (alarm: Pick<AlarmRow, 'luminaireId' | 'kind'>): string =>
  `${alarm.luminaireId}/${alarm.kind}`;

/** The API path acknowledging an alarm. */
export const acknowledgePath = (alarm: Pick<AlarmRow, 'luminaireId' | 'kind'>): string =>
  `/alarms/${encodeURIComponent(alarm.luminaireId)}/${encodeURIComponent(alarm.kind)}/acknowledge`;

/** Where a technician closes a resident's report once the light is repaired (the e-mail goes with it). */
export const closePath = (alarm: Pick<AlarmRow, 'luminaireId' | 'kind'>): string =>
  `/alarms/${encodeURIComponent(alarm.luminaireId)}/${encodeURIComponent(alarm.kind)}/close`;

/** The map's query flag that shows only luminaires with an open alarm: `#/map?alarms=1`. */
export const ALARMS_ON_MAP_FLAG = 'alarms';

export const alarmsOnMapHref = (): string => `#/map?${ALARMS_ON_MAP_FLAG}=1`;

/** Whether the map's route query asks for the alarm filter (`alarms=1`). */
export function mapShowsAlarmsOnly(query: URLSearchParams): boolean {
  return query.get(ALARMS_ON_MAP_FLAG) === '1';
}

/** The luminaires the map keeps when the alarm filter is on. */
export function luminairesWithAlarms(alarms: readonly Pick<AlarmRow, 'luminaireId'>[]): ReadonlySet<string> {
  return new Set(alarms.map((alarm) => alarm.luminaireId));
}

/**
 * The kinds the console has words for: the controller faults, and what the cloud detects itself
 * (functions/alarms/kinds.ts). Any other kind is shown as the API names it.
 */
export const NAMED_ALARM_KINDS = [...FAULTS, 'not-reporting', 'plan-drift', CITIZEN_REPORT] as const;
export type NamedAlarmKind = (typeof NAMED_ALARM_KINDS)[number];

export const isNamedAlarmKind = (kind: string): kind is NamedAlarmKind =>
  (NAMED_ALARM_KINDS as readonly string[]).includes(kind);

/**
 * What the map keeps under the alarm filter: of the luminaires its other filters kept (indexes
 * into its table's `ids`), those with an open alarm; none while the alarm list is not loaded, so
 * the map never shows every luminaire as if all were in alarm.
 */
export function keptWithAlarms(
  kept: Uint32Array,
  ids: { at(index: number): string | undefined },
  withAlarms: ReadonlySet<string> | undefined,
): Uint32Array {
  if (withAlarms === undefined) return new Uint32Array();
  return kept.filter((i) => withAlarms.has(ids.at(i) ?? ''));
}
