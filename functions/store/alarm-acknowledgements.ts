import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditEntry, auditItem } from './audit-store.ts';
import { isTransactionConditionFailure, type TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/**
 * A technician acknowledges an open alarm: the alarm records who and when, and the audit log gets
 * the entry, in one transaction. The alarm stays open until the luminaire stops reporting the fault.
 */
export interface AlarmAcknowledgements {
  acknowledge(luminaireId: string, kind: string, audit: AuditEntry): Promise<'acknowledged' | 'not-open'>;
}

export function makeAlarmAcknowledgements({
  db,
  tableName,
  site,
}: TableRef & { site: string }): AlarmAcknowledgements {
  const keys = siteKeys(site);
  return {
    async acknowledge(luminaireId, kind, audit) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: { pk: keys.luminairePk(luminaireId), sk: keys.alarmSk(kind) },
                  UpdateExpression: 'SET acknowledgedBy = :by, acknowledgedAt = :at',
                  ConditionExpression: '#state = :open',
                  ExpressionAttributeNames: { '#state': 'state' },
                  ExpressionAttributeValues: { ':by': audit.actor, ':at': audit.at, ':open': 'open' },
                },
              },
              { Put: { TableName: tableName, Item: auditItem(site, audit) } },
            ],
          }),
        );
        return 'acknowledged';
      } catch (error) {
        if (isTransactionConditionFailure(error)) return 'not-open';
        throw error;
      }
    },
  };
}
