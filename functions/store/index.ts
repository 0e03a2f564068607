import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AlarmBackfillStore, makeAlarmBackfillStore } from './alarm-backfill.ts';
import { type AlarmDigestMark, type AlarmStore, makeAlarmDigestMark, makeAlarmStore } from './alarm-store.ts';
import { type AuditStore, makeAuditStore } from './audit-store.ts';
import { type CabinetMeterStore, makeCabinetMeterStore } from './cabinet-meter-store.ts';
import { type CabinetStore, makeCabinetStore } from './cabinet-store.ts';
import {
  type ClosedNightStore,
  makeClosedNightStore,
  type NightReadingsReader,
} from './closed-night-store.ts';
import { type ConfigStore, makeConfigStore } from './config-store.ts';
import { type ContactorStore, makeContactorStore } from './contactor-store.ts';
import { type LiveStateStore, makeLiveStateStore } from './live-state-store.ts';
import { type LuminaireStore, makeLuminaireStore } from './luminaire-store.ts';
import { makePresenceStateStore, type PresenceStateStore } from './presence-state-store.ts';
import { makePushStateStore, type PushStateStore } from './push-state-store.ts';
import { makeRejectStore, type RejectStore } from './reject-store.ts';
import { makeRollupStore, type RollupStore, type RollupWriter } from './rollup-store.ts';
import { makeSensorStore, type SensorStore } from './sensor-store.ts';
import { makeStatementStore, type StatementStore } from './statement-store.ts';
import { makeTelemetryStore, type TelemetryStore } from './telemetry-store.ts';
import { makeUtilityReadingsStore, type UtilityReadingsStore } from './utility-readings-store.ts';

export type { AlarmBackfillStore, BackfillProgress } from './alarm-backfill.ts';
export type { Alarm, AlarmDigestMark, AlarmStore, NewAlarm } from './alarm-store.ts';
export { REPORTER_FIELDS } from './alarm-store.ts';
export type { AuditEntry, AuditStore, NewAuditEntry } from './audit-store.ts';
export type { CabinetMeterState, CabinetMeterStore, NightEnergy } from './cabinet-meter-store.ts';
export type { CabinetStore } from './cabinet-store.ts';
export type {
  ClosedNightStore,
  NightReadingsReader,
  StoredClosedNight,
  StoredMonthSums,
} from './closed-night-store.ts';
export type { ConfigStore, SiteSettings, StoredRule } from './config-store.ts';
export type { ContactorStore } from './contactor-store.ts';
export { createTables, type TableNames } from './create-tables.ts';
export { LUMINAIRE_SHARDS, shardOf } from './keys.ts';
export type {
  LiveStateEntry,
  LiveStateHead,
  LiveStatePart,
  LiveStatePartRef,
  LiveStateStore,
} from './live-state-store.ts';
export type { DecommissionedLuminaire, LuminaireStore } from './luminaire-store.ts';
export type { BoostGrant, PresenceStateStore } from './presence-state-store.ts';
export type { PushState, PushStateStore } from './push-state-store.ts';
export { MAX_REJECTED_MESSAGE_CHARS, type Reject, type RejectStore } from './reject-store.ts';
export {
  type LuminaireNight,
  type RollupContribution,
  type RollupStore,
  type RollupTarget,
  type RollupUpdate,
  type RollupWriter,
  sumContributions,
} from './rollup-store.ts';
export type { SensorStore } from './sensor-store.ts';
export type { StatementDocument, StatementStore, StatementVersion } from './statement-store.ts';
export type {
  HeldReading,
  LastReport,
  MeterState,
  TelemetryStore,
} from './telemetry-store.ts';
export type { ReadingsHead, UtilityReadingsStore } from './utility-readings-store.ts';

/** Every store of one site, over one document client. */
export interface Stores {
  readonly config: ConfigStore;
  readonly luminaires: LuminaireStore;
  readonly sensors: SensorStore;
  readonly cabinets: CabinetStore;
  readonly pushState: PushStateStore;
  readonly contactors: ContactorStore;
  readonly presence: PresenceStateStore;
  readonly telemetry: TelemetryStore;
  readonly cabinetMeters: CabinetMeterStore;
  readonly rejects: RejectStore;
  readonly rollups: RollupStore & RollupWriter;
  readonly alarms: AlarmStore;
  readonly alarmDigests: AlarmDigestMark;
  readonly alarmBackfill: AlarmBackfillStore;
  readonly audit: AuditStore;
  readonly liveState: LiveStateStore;
  readonly statements: StatementStore;
  readonly closedNights: ClosedNightStore & NightReadingsReader;
  readonly utilityReadings: UtilityReadingsStore;
}

export interface StoreLocation {
  readonly db: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly telemetryTableName: string;
  readonly site: string;
}

export function makeStores(location: StoreLocation): Stores {
  return {
    config: makeConfigStore(location),
    luminaires: makeLuminaireStore(location),
    sensors: makeSensorStore(location),
    cabinets: makeCabinetStore(location),
    pushState: makePushStateStore(location),
    contactors: makeContactorStore(location),
    presence: makePresenceStateStore(location),
    telemetry: makeTelemetryStore(location),
    cabinetMeters: makeCabinetMeterStore(location),
    rejects: makeRejectStore(location),
    rollups: makeRollupStore(location),
    alarms: makeAlarmStore(location),
    alarmDigests: makeAlarmDigestMark(location),
    alarmBackfill: makeAlarmBackfillStore(location),
    audit: makeAuditStore(location),
    liveState: makeLiveStateStore(location),
    statements: makeStatementStore(location),
    closedNights: makeClosedNightStore(location),
    utilityReadings: makeUtilityReadingsStore(location),
  };
}
