import { describe, expect, it } from 'vitest';
import type { CabinetMeterState, CabinetMeterStore, NightEnergy } from '#functions/store/index.ts';
import type { CabinetMeterEvent } from '#protocol/messages/cabinet-meter.ts';
import { cabinetMeterHandler, testCabinet } from '#tests/support/functions/cabinet-meter.ts';
import { memoryRejectStore } from '../shared/memory-stores.ts';

const cabinet = testCabinet();
// 2026-06-21 23:30 Paris.
const TS = Date.parse('2026-06-21T21:30:00Z') / 1000;

const reading = (over: Partial<CabinetMeterEvent> = {}): CabinetMeterEvent => {
  const phasesWh = over.phasesWh ?? [100, 100, 100];
  return {
    thing: cabinet.thingName,
    ts: TS,
    seq: 1,
    counterId: 'meter-1',
    phasesWh,
    totalWh: phasesWh[0] + phasesWh[1] + phasesWh[2],
    receivedAt: ((over.ts ?? TS) + 1) * 1000,
    ...over,
  };
};

/** The store's conditional transaction, in memory: the state and the nights move together or not at all. */
function memoryCabinetMeters(): Pick<CabinetMeterStore, 'meterState' | 'advance'> & {
  readonly nights: Map<string, number>;
} {
  const states = new Map<string, CabinetMeterState>();
  const nights = new Map<string, number>();
  return {
    nights,
    meterState: async (id) => states.get(id),
    advance: async (id, previous, next, add: NightEnergy) => {
      const current = states.get(id);
      if (current?.ts !== previous?.ts || current?.seq !== previous?.seq) return 'stale';
      states.set(id, next);
      for (const [night, wh] of add) nights.set(night, (nights.get(night) ?? 0) + wh);
      return 'committed';
    },
  };
}

function setup() {
  const meters = memoryCabinetMeters();
  const rejects = memoryRejectStore();
  const { handler, counted, records } = cabinetMeterHandler({
    now: () => TS,
    timezone: async () => 'Europe/Paris',
    cabinetOf: async (thing) => (thing === cabinet.thingName ? cabinet : undefined),
    meters,
    rejects,
  });
  const deliver = (...data: unknown[]) => handler(records(data));
  return { deliver, meters, rejects, counted };
}

describe('cabinet meter handler', () => {
  it('adds the metered energy to the night once, however often a batch is delivered', async () => {
    const { deliver, meters } = setup();
    const batch = [
      reading(),
      reading({ ts: TS + 900, seq: 2, phasesWh: [200, 200, 200] }),
      reading({ ts: TS + 1800, seq: 3, phasesWh: [300, 300, 300] }),
    ];
    expect(await deliver(...batch)).toEqual({ batchItemFailures: [] });
    await deliver(...batch);
    await deliver(batch[1], batch[0]);
    expect(meters.nights).toEqual(new Map([['2026-06-21', 600]]));
  });

  it.each([
    ['a reading that fails its schema', 'not json', 'invalid'],
    ['a total that is not the sum of its phases', reading({ totalWh: 1 }), 'invalid'],
    ['a thing that is no cabinet of the inventory', reading({ thing: 'L-0001' }), 'unknown-cabinet'],
    ['a clock far ahead of the broker', reading({ receivedAt: (TS - 3600) * 1000 }), 'future-timestamp'],
    ['a clock days behind the broker', reading({ receivedAt: (TS + 3 * 86_400) * 1000 }), 'stale-timestamp'],
  ])('rejects %s with its reason and stores nothing', async (_, data, reason) => {
    const { deliver, meters, rejects, counted } = setup();
    expect(await deliver(data)).toEqual({ batchItemFailures: [] });
    expect([...rejects.items.values()].map((r) => r.reason)).toEqual([reason]);
    expect(counted).toEqual([reason]);
    expect(await meters.meterState(cabinet.id)).toBeUndefined();
  });

  it('rejects a rise beyond the subscribed power, naming the kVA, and counts nothing for it', async () => {
    const { deliver, meters, rejects } = setup();
    await deliver(reading(), reading({ ts: TS + 900, seq: 2, phasesWh: [10_000, 10_000, 10_000] }));
    const [reject] = [...rejects.items.values()];
    expect(reject?.reason).toBe('implausible-energy');
    expect(reject?.detail).toContain('9 kVA');
    expect(meters.nights.size).toBe(0);
  });

  it('asks for the batch again from the cabinet whose state moved meanwhile', async () => {
    const { deliver, meters } = setup();
    const advance = meters.advance;
    meters.advance = async () => 'stale';
    expect(await deliver(reading())).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }] });
    meters.advance = advance;
  });
});
