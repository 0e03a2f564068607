import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Item, queryAll, queryPrefix, type TableRef, writeIf } from './dynamo.ts';
import { siteKeys } from './keys.ts';
import { GSI_ZONE } from './table-definitions.ts';

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
}

export type NewAlarm = Pick<Alarm, 'luminaireId' | 'kind' | 'zone' | 'street' | 'openedAt' | 'detail'>;

/** One alarm item per (luminaire, kind): opening an open alarm changes nothing (AP6, AP8). */
export interface AlarmStore {
  open(alarm: NewAlarm): Promise<'opened' | 'already-open'>;
  clear(luminaireId: string, kind: string, at: string): Promise<'cleared' | 'not-open'>;
  /** Open alarms of the site, or of one zone, by zone then opening time. */
  listOpen(zone?: string): Promise<Alarm[]>;
  /** Every alarm of a luminaire, open or cleared. */
  forLuminaire(luminaireId: string): Promise<Alarm[]>;
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
    ...(item.detail === undefined ? {} : { detail: item.detail as string }),
    ...(item.acknowledgedBy === undefined
      ? {}
      : { acknowledgedBy: item.acknowledgedBy as string, acknowledgedAt: item.acknowledgedAt as string }),
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
            UpdateExpression: 'SET #state = :cleared, clearedAt = :at REMOVE gsi1pk, gsi1sk',
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
      const items = await queryPrefix({ db, tableName }, keys.luminairePk(luminaireId), 'ALARM#', true);
      return items.map(toAlarm);
    },
  };
}
