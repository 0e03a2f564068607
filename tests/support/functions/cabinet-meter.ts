import type { CabinetLedgerDeps } from '#functions/cabinet-meter/cabinet-ledger.ts';
import { makeHandler } from '#functions/cabinet-meter/handler.ts';
import type { RejectReason } from '#functions/telemetry/reject-reasons.ts';
import { Cabinet } from '#schedules/index.ts';
import type { CabinetInput } from '#schedules/inventory/schema.ts';

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

/**
 * The cabinet-meter stream handler over the given ports, with the rejects it counts, and its
 * batches: `records(events)` is one batch of the shard, sequence numbers going on from the last
 * (an event is sent as JSON, a string as it is, for a record that is no JSON).
 */
export function cabinetMeterHandler(deps: Omit<CabinetLedgerDeps, 'countReject'>) {
  const counted: RejectReason[] = [];
  const handler = makeHandler({ ...deps, countReject: (reason) => counted.push(reason) });
  let sequence = 100;
  const records = (events: readonly unknown[]) => ({
    Records: events.map((event) => {
      sequence++;
      return {
        eventID: `shardId-000000000000:${sequence}`,
        kinesis: {
          sequenceNumber: String(sequence),
          data: Buffer.from(typeof event === 'string' ? event : JSON.stringify(event)).toString('base64'),
        },
      };
    }),
  });
  return { handler, counted, records };
}
