import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CITIZEN_REPORT, movedLegacyPoint } from '#schedules/public/fault-report.ts';
import type { Point } from '#schedules/public/nearest.ts';
import { mapBounded } from '../shared/backoff.ts';
import { type Item, queryAll, queryPrefix, type TableRef, writeIf } from './dynamo.ts';
import { siteKeys } from './keys.ts';
import { GSI_THING, GSI_ZONE } from './table-definitions.ts';

/** Kinds are the controller faults (protocol Fault) plus what the cloud detects itself (dayBurning). */
export interface Alarm {
  readonly luminaireId: string;
  readonly kind: string;
  readonly zone: string;
  readonly street: string;
  readonly state: 'open' | 'cleared';
  /** ISO 8601 instants. */
  readonly openedAt: string;
  readonly clearedAt?: string;
  readonly detail?: string;
  /** Set when a technician acknowledged the alarm (functions/store/alarm-acknowledgements.ts). */
  readonly acknowledgedBy?: string;
  readonly acknowledgedAt?: string;
  /** Set when the alarm went out in a digest (functions/alarms/digest-run.ts). */
  readonly notifiedAt?: string;
  /**
   * The e-mail a resident left on a citizen report, for the technicians' follow-up: personal data,
   * removed in the same write that clears or closes the alarm.
   */
  readonly contactEmail?: string;
  /**
   * Where a resident placed a citizen report on the map, or stood (their device's location), for
   * the technicians to find the light: a point near someone's home is personal data, removed with
   * the e-mail.
   */
  readonly reporterPoint?: Point;
}

export type NewAlarm = Pick<
  Alarm,
  'luminaireId' | 'kind' | 'zone' | 'street' | 'openedAt' | 'detail' | 'contactEmail' | 'reporterPoint'
>;

/** What a resident left on a report: kept while the alarm is open, never once it is cleared or closed. */
export const REPORTER_FIELDS = ['contactEmail', 'reporterPoint'] as const satisfies readonly (keyof Alarm)[];

/** What clearing an alarm writes: it leaves the open-alarm index and forgets what the reporter left. */
export const CLEAR_UPDATE = `SET #state = :cleared, clearedAt = :at REMOVE gsi1pk, gsi1sk, ${REPORTER_FIELDS.join(', ')}`;

/** One alarm item per (luminaire, kind): opening an open alarm changes nothing (AP6, AP8). */
export interface AlarmStore {
  open(alarm: NewAlarm): Promise<'opened' | 'already-open'>;
  clear(luminaireId: string, kind: string, at: string): Promise<'cleared' | 'not-open'>;
  /** Open alarms of the site, or of one zone, by zone then opening time. */
  listOpen(zone?: string): Promise<Alarm[]>;
  /** Every alarm of a luminaire, open or cleared. */
  forLuminaire(luminaireId: string): Promise<Alarm[]>;
  /** The alarms of the site open at some time in [start, end) (ISO 8601): opened before the end, not cleared before the start. */
  openDuring(start: string, end: string): Promise<Alarm[]>;
}

/**
 * What the alarm digests sent: each alarm notified is marked (an alarm re-opened later is a new
 * item, unmarked), and the time of the last digest (AP23) paces them.
 */
export interface AlarmDigestMark {
  /** When the last digest went out (ISO 8601); undefined before the first. */
  lastDigestAt(): Promise<string | undefined>;
  /** Marks these alarms notified at `at`, and `at` as the last digest. */
  markNotified(alarms: readonly Alarm[], at: string): Promise<void>;
}

const MARK_CONCURRENCY = 8;

export function makeAlarmDigestMark({ db, tableName, site }: TableRef & { site: string }): AlarmDigestMark {
  const keys = siteKeys(site);
  const Key = { pk: keys.alarmDigestPk, sk: keys.alarmDigestSk };
  return {
    async lastDigestAt() {
      const out = await db.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }));
      return out.Item?.at as string | undefined;
    },

    async markNotified(alarms, at) {
      await mapBounded(alarms, MARK_CONCURRENCY, (alarm) =>
        writeIf(
          db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: keys.luminairePk(alarm.luminaireId), sk: keys.alarmSk(alarm.kind) },
              UpdateExpression: 'SET notifiedAt = :at',
              // Not an alarm cleared and opened again meanwhile: that one is news for the next digest.
              ConditionExpression: '#state = :open AND openedAt = :openedAt',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: { ':at': at, ':open': 'open', ':openedAt': alarm.openedAt },
            }),
          ),
        ),
      );
      await db.send(new PutCommand({ TableName: tableName, Item: { ...Key, at } }));
    },
  };
}

/**
 * A citizen report of before 30 November 2026 as the reports now write it (`movedLegacyPoint`): its
 * map point out of the text, kept apart while the alarm is open as a new report's, gone once closed.
 */
function withoutLegacyPoint(item: Item): Pick<Alarm, 'detail' | 'reporterPoint'> {
  const stored = {
    ...(item.detail === undefined ? {} : { detail: item.detail as string }),
    ...(item.reporterPoint === undefined ? {} : { reporterPoint: item.reporterPoint as Point }),
  };
  if (item.kind !== CITIZEN_REPORT || stored.detail === undefined) return stored;
  const { detail, point } = movedLegacyPoint(stored.detail);
  const kept = stored.reporterPoint ?? (item.state === 'open' ? point : undefined);
  return { detail, ...(kept === undefined ? {} : { reporterPoint: kept }) };
}

function toAlarm(item: Item): Alarm {
  return {
    luminaireId: item.luminaireId as string,
    kind: item.kind as string,
    zone: item.zone as string,
    street: item.street as string,
    state: item.state as Alarm['state'],
    openedAt: item.openedAt as string,
    ...(item.clearedAt === undefined ? {} : { clearedAt: item.clearedAt as string }),
    ...(item.acknowledgedBy === undefined
      ? {}
      : { acknowledgedBy: item.acknowledgedBy as string, acknowledgedAt: item.acknowledgedAt as string }),
    ...(item.notifiedAt === undefined ? {} : { notifiedAt: item.notifiedAt as string }),
    ...(item.contactEmail === undefined ? {} : { contactEmail: item.contactEmail as string }),
    ...withoutLegacyPoint(item),
  };
}

export function makeAlarmStore({ db, tableName, site }: TableRef & { site: string }): AlarmStore {
  const keys = siteKeys(site);
  const keyOf = (id: string, kind: string) => ({ pk: keys.luminairePk(id), sk: keys.alarmSk(kind) });
  return {
    async open(alarm) {
      const written = await writeIf(
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...keyOf(alarm.luminaireId, alarm.kind),
              ...alarm,
              state: 'open',
              gsi1pk: keys.openAlarmsPk,
              gsi1sk: keys.openAlarmSk(alarm.zone, alarm.openedAt, alarm.luminaireId, alarm.kind),
              gsi2pk: keys.alarmsByOpeningPk,
              gsi2sk: keys.alarmByOpeningSk(alarm.openedAt, alarm.luminaireId, alarm.kind),
            },
            ConditionExpression: 'attribute_not_exists(pk) OR #state = :cleared',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':cleared': 'cleared' },
          }),
        ),
      );
      return written ? 'opened' : 'already-open';
    },

    async clear(luminaireId, kind, at) {
      const written = await writeIf(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keyOf(luminaireId, kind),
            UpdateExpression: CLEAR_UPDATE,
            ConditionExpression: '#state = :open',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':cleared': 'cleared', ':open': 'open', ':at': at },
          }),
        ),
      );
      return written ? 'cleared' : 'not-open';
    },

    async listOpen(zone) {
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: GSI_ZONE,
        KeyConditionExpression:
          zone === undefined ? 'gsi1pk = :pk' : 'gsi1pk = :pk AND begins_with(gsi1sk, :zone)',
        ExpressionAttributeValues: {
          ':pk': keys.openAlarmsPk,
          ...(zone === undefined ? {} : { ':zone': `${zone}#` }),
        },
      });
      return items.map(toAlarm);
    },

    async forLuminaire(luminaireId) {
      const items = await queryPrefix(
        { db, tableName },
        keys.luminairePk(luminaireId),
        keys.alarmPrefix,
        true,
      );
      return items.map(toAlarm);
    },

    async openDuring(start, end) {
      // An alarm item is per (luminaire, kind), re-opened in place: the index holds at most one per pair.
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: GSI_THING,
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :end',
        FilterExpression: 'attribute_not_exists(clearedAt) OR clearedAt >= :start',
        ExpressionAttributeValues: { ':pk': keys.alarmsByOpeningPk, ':end': end, ':start': start },
      });
      return items.map(toAlarm);
    },
  };
}
