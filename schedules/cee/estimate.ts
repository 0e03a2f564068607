import type { Cabinet, Luminaire } from '../inventory/schema.ts';
import { hasOwnController } from '../inventory/schema.ts';
import { RES_EC_103, RES_EC_104 } from './sheets.ts';

export type CeeStatus = 'eligible' | 'not-eligible' | 'missing-data';

/** One operation the estimate considered: a luminaire under RES-EC-104, a luminaire or cabinet under RES-EC-103. */
export interface CeeLine {
  readonly sheet: 'RES-EC-104' | 'RES-EC-103';
  readonly subject: { readonly kind: 'luminaire' | 'cabinet'; readonly id: string };
  readonly status: CeeStatus;
  readonly kwhCumac: number;
  /** Why not eligible, or the fields missing. */
  readonly reason?: string;
  readonly missingFields?: readonly string[];
}

export interface CeeEstimate {
  readonly label: string;
  readonly lines: CeeLine[];
  readonly totalKwhCumac: Record<'RES-EC-104' | 'RES-EC-103', number> & { readonly all: number };
  readonly toVerify: readonly string[];
}

const LABEL =
  'Estimate only: kWh cumac from quoted figures of the standardised sheets, to be checked against the sheet in force before any filing.';

/** Fields RES-EC-104's conditions rest on: when the luminaire was renewed, its flux and its upward light. */
const RENOVATION_FIELDS = ['installedOn', 'fluxLm', 'upwardLightRatioPercent'] as const;

/**
 * CEE estimate from the inventory. RES-EC-104: each LED luminaire that replaced a more powerful one
 * (baselineWatts > ledWatts), installed on or after the sheet's date. RES-EC-103: the regulated power
 * of each luminaire dimmed by its own controller, and of the luminaires without one behind a
 * connected cabinet (dimmed at the circuit); a cabinet with a plain contactor or a clock regulates nothing.
 */
export function estimateCee(luminaires: readonly Luminaire[], cabinets: readonly Cabinet[]): CeeEstimate {
  const lines: CeeLine[] = [];
  for (const luminaire of luminaires) lines.push(renovation(luminaire));
  for (const luminaire of luminaires) {
    if (hasOwnController(luminaire))
      lines.push(dimming({ kind: 'luminaire', id: luminaire.id }, luminaire.ledWatts));
  }
  const fed = new Map<string, number>();
  for (const luminaire of luminaires) {
    if (!hasOwnController(luminaire) && luminaire.cabinet !== undefined) {
      fed.set(luminaire.cabinet, (fed.get(luminaire.cabinet) ?? 0) + luminaire.ledWatts);
    }
  }
  for (const cabinet of cabinets) {
    const subject = { kind: 'cabinet', id: cabinet.id } as const;
    const watts = fed.get(cabinet.id) ?? 0;
    if (cabinet.controller !== 'connected') {
      lines.push({
        sheet: 'RES-EC-103',
        subject,
        status: 'not-eligible',
        kwhCumac: 0,
        reason: `controller ${cabinet.controller}: no power variation`,
      });
    } else if (watts === 0) {
      lines.push({
        sheet: 'RES-EC-103',
        subject,
        status: 'not-eligible',
        kwhCumac: 0,
        reason: 'feeds no luminaire without its own controller',
      });
    } else lines.push(dimming(subject, watts));
  }
  const total = (sheet: CeeLine['sheet']) =>
    lines.filter((l) => l.sheet === sheet).reduce((sum, l) => sum + l.kwhCumac, 0);
  const byRenovation = total('RES-EC-104');
  const byDimming = total('RES-EC-103');
  return {
    label: LABEL,
    lines,
    totalKwhCumac: { 'RES-EC-104': byRenovation, 'RES-EC-103': byDimming, all: byRenovation + byDimming },
    toVerify: [
      ...RES_EC_104.toVerify.map((t) => `${RES_EC_104.ref}: ${t}`),
      ...RES_EC_103.toVerify.map((t) => `${RES_EC_103.ref}: ${t}`),
    ],
  };
}

function renovation(luminaire: Luminaire): CeeLine {
  const subject = { kind: 'luminaire', id: luminaire.id } as const;
  const base = { sheet: RES_EC_104.ref, subject, kwhCumac: 0 } as const;
  const missingFields = RENOVATION_FIELDS.filter((field) => luminaire[field] === undefined);
  if (missingFields.length > 0) return { ...base, status: 'missing-data', missingFields };
  if (luminaire.baselineWatts <= luminaire.ledWatts) {
    return {
      ...base,
      status: 'not-eligible',
      reason: 'no renovation: the LED draws as much as the lamp it replaced',
    };
  }
  if ((luminaire.installedOn as string) < RES_EC_104.since) {
    return { ...base, status: 'not-eligible', reason: `installed before ${RES_EC_104.since}` };
  }
  return { ...base, status: 'eligible', kwhCumac: RES_EC_104.kwhCumacPerLuminaire };
}

function dimming(subject: CeeLine['subject'], regulatedWatts: number): CeeLine {
  return {
    sheet: RES_EC_103.ref,
    subject,
    status: 'eligible',
    kwhCumac: RES_EC_103.kwhCumacPerRegulatedWatt * regulatedWatts,
  };
}
