import type { CabinetLedgerDeps } from '#functions/cabinet-meter/cabinet-ledger.ts';
import { makeHandler } from '#functions/cabinet-meter/handler.ts';
import type { RejectReason } from '#functions/telemetry/reject-reasons.ts';
import { Cabinet } from '#schedules/index.ts';
import type { CabinetInput } from '#schedules/inventory/schema.ts';
import { kinesisBatches } from './kinesis-batches.ts';

/** A connected three-phase cabinet of the Berriac zone, on the base tariff; `over` changes the rest. */
export const testCabinet = (over: Partial<CabinetInput> = {}): Cabinet =>
  Cabinet.parse({
    id: 'CAB-1',
    lat: 43.2065,
    lon: 2.3637,
    zone: 'berriac',
    deliveryPointId: '12345678901234',
    subscribedKva: 9,
    tariffOption: 'base',
    controller: 'connected',
    ...over,
  });

/** The cabinet-meter stream handler over the given ports, with the rejects it counts, and its batches. */
export function cabinetMeterHandler(deps: Omit<CabinetLedgerDeps, 'countReject'>) {
  const counted: RejectReason[] = [];
  const handler = makeHandler({ ...deps, countReject: (reason) => counted.push(reason) });
  return { handler, counted, records: kinesisBatches() };
}
