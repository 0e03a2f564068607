import type { ShadowStore } from '../shared/shadow-store.ts';
import type { AlarmAcknowledgements } from '../store/alarm-acknowledgements.ts';
import type { ClientWindowCounter } from '../store/client-window-store.ts';
import type { IdempotencyStore } from '../store/idempotency-store.ts';
import type {
  AlarmStore,
  AuditStore,
  CabinetMeterStore,
  CabinetStore,
  ClosedNightStore,
  LiveStateStore,
  NightReadingsReader,
  RollupStore,
  SensorStore,
  StatementStore,
  UtilityReadingsStore,
} from '../store/index.ts';
import type { ChangeDeps } from './change/run-change.ts';

/** Everything the API's routes use: ports only, so tests and `npm start` wire their own. */
export interface ApiDeps extends ChangeDeps {
  readonly audit: AuditStore;
  readonly alarms: AlarmStore;
  readonly acknowledgements: AlarmAcknowledgements;
  readonly rollups: RollupStore;
  readonly shadows: ShadowStore;
  /** First answers to POSTs sent with an Idempotency-Key. */
  readonly idempotency: IdempotencyStore;
  /** The public clients' request windows, shared by every instance of the function. */
  readonly clientWindows: ClientWindowCounter;
  readonly sensors: SensorStore;
  readonly cabinets: CabinetStore;
  /** The connected cabinets' meter ledger (finance's reconciliation). */
  readonly cabinetMeters: Pick<CabinetMeterStore, 'meteredByNight'>;
  /** The live-state snapshot the alarm sweep writes (the map's GET /luminaires/state). */
  readonly liveState: Pick<LiveStateStore, 'head' | 'parts'>;
  /** The frozen monthly statements (finance). */
  readonly statements: StatementStore;
  /** The savings report's closed nights, and the night items of nights not closed yet. */
  readonly closedNights: Pick<ClosedNightStore, 'get' | 'getMonth'> & NightReadingsReader;
  /** The utility's load curves, per delivery point and month (finance's reconciliation). */
  readonly utilityReadings: UtilityReadingsStore;
}
