import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { CLEAR_UPDATE } from './alarm-store.ts';
import { type AuditEntry, auditItem } from './audit-store.ts';
import { isTransactionConditionFailure, type TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/**
 * A technician acknowledges an open alarm: the alarm records who and when, and the audit log gets
 * the entry, in one transaction. The alarm stays open until the luminaire stops reporting the fault.
 */
export interface AlarmAcknowledgements {
  acknowledge(luminaireId: string, kind: string, audit: AuditEntry): Promise<'acknowledged' | 'not-open'>;
  /**
   * A technician closes an alarm nothing else clears (a citizen report, once the light is repaired):
   * cleared, what its reporter left erased (REPORTER_FIELDS: the e-mail and the map point), and the
   * audit entry, in one transaction.
   */
  close(luminaireId: string, kind: string, audit: AuditEntry): Promise<'closed' | 'not-open'>;
}

export function makeAlarmAcknowledgements({
  db,
  tableName,
  site,
}: TableRef & { site: string }): AlarmAcknowledgements {
  const keys = siteKeys(site);
  /** The alarm's update when it is open, and the audit entry, together or not at all. */
  async function withAudit(
    luminaireId: string,
    kind: string,
    audit: AuditEntry,
    update: { expression: string; values: Record<string, unknown> },
  ): Promise<boolean> {
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: { pk: keys.luminairePk(luminaireId), sk: keys.alarmSk(kind) },
                UpdateExpression: update.expression,
                ConditionExpression: '#state = :open',
                ExpressionAttributeNames: { '#state': 'state' },
                ExpressionAttributeValues: { ...update.values, ':open': 'open' },
              },
            },
            { Put: { TableName: tableName, Item: auditItem(site, audit) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isTransactionConditionFailure(error)) return false;
      throw error;
    }
  }

  return {
    async acknowledge(luminaireId, kind, audit) {
      const done = await withAudit(luminaireId, kind, audit, {
        expression: 'SET acknowledgedBy = :by, acknowledgedAt = :at',
        values: { ':by': audit.actor, ':at': audit.at },
      });
      return done ? 'acknowledged' : 'not-open';
    },

    async close(luminaireId, kind, audit) {
      const done = await withAudit(luminaireId, kind, audit, {
        expression: CLEAR_UPDATE,
        values: { ':cleared': 'cleared', ':at': audit.at },
      });
      return done ? 'closed' : 'not-open';
    },
  };
}
