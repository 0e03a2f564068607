import type { Cabinet, Luminaire } from '../inventory/schema.ts';
import type { Problem } from '../problem.ts';

/**
 * The cabinets whose luminaires, all lit at full power with the cable loss on top, draw more than
 * the cabinet's subscribed power (puissance souscrite): its meter then counts more than the
 * subscription allows, so the cabinet ledger rejects its readings (`implausible-energy`) and the
 * utility's limiter may trip. kVA are taken as kW (a power factor of at most 1), as the ledger does.
 */
export function cabinetPowerProblems(
  cabinets: readonly Pick<Cabinet, 'id' | 'subscribedKva' | 'lineLossPercent'>[],
  luminaires: readonly Pick<Luminaire, 'cabinet' | 'ledWatts'>[],
  source: string,
): Problem[] {
  const ratedW = new Map<string, number>();
  for (const { cabinet, ledWatts } of luminaires)
    if (cabinet !== undefined) ratedW.set(cabinet, (ratedW.get(cabinet) ?? 0) + ledWatts);
  return cabinets.flatMap((cabinet) => {
    const drawW = (ratedW.get(cabinet.id) ?? 0) * (1 + cabinet.lineLossPercent / 100);
    if (drawW <= cabinet.subscribedKva * 1000) return [];
    const kw = (drawW / 1000).toFixed(2);
    return [
      {
        source,
        path: `cabinet ${cabinet.id}, subscribedKva`,
        message:
          `its luminaires draw ${kw} kW at full power (their rated power plus ${cabinet.lineLossPercent} % line ` +
          `loss), more than its subscribed ${cabinet.subscribedKva} kVA: the cabinet ledger rejects its meter ` +
          `readings as implausible-energy (FR : ses luminaires appellent ${kw.replace('.', ',')} kW à pleine ` +
          `puissance, pertes en ligne comprises, plus que sa puissance souscrite de ${cabinet.subscribedKva} kVA)`,
      },
    ];
  });
}
