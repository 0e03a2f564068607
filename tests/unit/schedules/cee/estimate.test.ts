import { describe, expect, it } from 'vitest';
import { estimateCee } from '#schedules/cee/estimate.ts';
import { Cabinet, Luminaire, type LuminaireInput } from '#schedules/inventory/schema.ts';

const renewed = {
  lat: 43.21,
  lon: 2.35,
  street: 'Rue A',
  zone: 'cite',
  ledWatts: 40,
  baselineWatts: 150,
  installedOn: '2025-03-01',
  fluxLm: 4000,
  upwardLightRatioPercent: 0,
} satisfies Omit<LuminaireInput, 'id'>;

const luminaire = (id: string, more: Partial<LuminaireInput> = {}) =>
  Luminaire.parse({ ...renewed, id, ...more });
const cabinet = (id: string, controller: 'none' | 'clock' | 'connected') =>
  Cabinet.parse({
    id,
    lat: 43.21,
    lon: 2.35,
    zone: 'cite',
    deliveryPointId: '30001234567890',
    subscribedKva: 6,
    tariffOption: 'ep-c5',
    controller,
  });

describe('estimateCee', () => {
  it('counts a renewed luminaire under RES-EC-104 and its own dimming under RES-EC-103', () => {
    const estimate = estimateCee([luminaire('L-1')], []);
    expect(estimate.lines).toEqual([
      { sheet: 'RES-EC-104', subject: { kind: 'luminaire', id: 'L-1' }, status: 'eligible', kwhCumac: 9300 },
      { sheet: 'RES-EC-103', subject: { kind: 'luminaire', id: 'L-1' }, status: 'eligible', kwhCumac: 320 },
    ]);
    expect(estimate.totalKwhCumac).toEqual({ 'RES-EC-104': 9300, 'RES-EC-103': 320, all: 9620 });
    expect(estimate.label).toMatch(/^Estimate only: .* checked against the sheet in force/);
    expect(estimate.toVerify.length).toBeGreaterThan(0);
  });

  it('names the fields a luminaire lacks for RES-EC-104', () => {
    const [line] = estimateCee([luminaire('L-1', { fluxLm: undefined, installedOn: undefined })], []).lines;
    expect(line).toMatchObject({
      status: 'missing-data',
      missingFields: ['installedOn', 'fluxLm'],
      kwhCumac: 0,
    });
  });

  it('does not count a luminaire renewed before the sheet date or drawing no less than before', () => {
    const lines = estimateCee(
      [luminaire('L-1', { installedOn: '2019-05-01' }), luminaire('L-2', { baselineWatts: 40 })],
      [],
    ).lines.filter((l) => l.sheet === 'RES-EC-104');
    expect(lines.map((l) => [l.status, l.reason])).toEqual([
      ['not-eligible', 'installed before 2024-01-01'],
      ['not-eligible', 'no renovation: the LED draws as much as the lamp it replaced'],
    ]);
  });

  it('counts the power a connected cabinet regulates for its luminaires without their own controller', () => {
    const fed = [
      luminaire('L-1', { controller: 'none', cabinet: 'C-1' }),
      luminaire('L-2', { controller: 'none', cabinet: 'C-1', ledWatts: 60 }),
      luminaire('L-3', { controller: 'none', cabinet: 'C-2' }),
    ];
    const lines = estimateCee(fed, [cabinet('C-1', 'connected'), cabinet('C-2', 'clock')]).lines.filter(
      (l) => l.sheet === 'RES-EC-103',
    );
    expect(lines.map((l) => [l.subject.id, l.status, l.kwhCumac])).toEqual([
      ['C-1', 'eligible', 800],
      ['C-2', 'not-eligible', 0],
    ]);
  });
});
