import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type TableRef, writeIf } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/** Detections are delivered at least once (MQTT QoS 1, rule retries) within seconds; a day is ample. */
const DETECTION_RECORD_SECONDS = 86_400;
/** Boost state outlives its boost a little, so a late duplicate still sees it. */
const BOOST_RECORD_SECONDS = 3_600;

/** The boost a luminaire's `boost` shadow holds: level `l` until epoch seconds `u`. */
export interface BoostGrant {
  readonly level: number;
  readonly until: number;
}

/** Presence state shared by every container (AP9, AP9b). */
export interface PresenceStateStore {
  /** True the first time a detection id is seen for a sensor, false for a duplicate delivery. */
  firstSighting(sensor: string, detectionId: string, ts: number): Promise<boolean>;
  /** Forgets a detection whose processing failed, so that its redelivery is processed. */
  forgetSighting(sensor: string, detectionId: string): Promise<void>;
  /**
   * Claims the right to write `grant` to a luminaire's boost shadow: succeeds unless the stored boost
   * already reaches `neededUntil` at a level of at least `grant.level`.
   */
  claimBoost(luminaireId: string, grant: BoostGrant, neededUntil: number): Promise<boolean>;
  /** Gives a claim back when its shadow write failed, unless someone claimed since. */
  releaseBoost(luminaireId: string, grant: BoostGrant): Promise<void>;
}

export function makePresenceStateStore({
  db,
  tableName,
  site,
}: TableRef & { site: string }): PresenceStateStore {
  const keys = siteKeys(site);
  const boostKey = (id: string) => ({ pk: keys.luminairePk(id), sk: keys.boostSk });
  return {
    async firstSighting(sensor, detectionId, ts) {
      return writeIf(
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: keys.detectionPk(sensor, detectionId),
              sk: keys.detectionSk,
              ts,
              expiresAt: ts + DETECTION_RECORD_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },

    async forgetSighting(sensor, detectionId) {
      await db.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { pk: keys.detectionPk(sensor, detectionId), sk: keys.detectionSk },
        }),
      );
    },

    async claimBoost(luminaireId, grant, neededUntil) {
      return writeIf(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: boostKey(luminaireId),
            UpdateExpression: 'SET l = :l, u = :u, expiresAt = :exp',
            ConditionExpression: 'attribute_not_exists(u) OR u < :needed OR l < :l',
            ExpressionAttributeValues: {
              ':l': grant.level,
              ':u': grant.until,
              ':needed': neededUntil,
              ':exp': grant.until + BOOST_RECORD_SECONDS,
            },
          }),
        ),
      );
    },

    async releaseBoost(luminaireId, grant) {
      await writeIf(
        db.send(
          new DeleteCommand({
            TableName: tableName,
            Key: boostKey(luminaireId),
            ConditionExpression: 'u = :u AND l = :l',
            ExpressionAttributeValues: { ':u': grant.until, ':l': grant.level },
          }),
        ),
      );
    },
  };
}
