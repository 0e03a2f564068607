import { sunriseAndSunset } from '../astro/sun-times.ts';
import type { Cabinet } from '../inventory/schema.ts';
import type { LoadCurve, UtilityReadings } from './readings.ts';

const DAY_SECONDS = 86_400;

/** When a gap becomes a finding, and the assumptions the figures rest on. */
export interface ReconcileThresholds {
  /** Billed vs metered (or planned) energy, in % of the billed energy. */
  readonly gapPercent: number;
  /**
   * kVA = kW / power factor. The load curve gives active power only; LED drivers run near 0.9, the
   * value unless told (an assumption: the meter's apparent-power maximum, when exported, is exact).
   */
  readonly powerFactor: number;
  /** A half-hour counts as daylight when it lies this long after sunrise and before sunset. */
  readonly daylightMarginMinutes: number;
  /** Energy drawn in daylight half-hours above which a circuit is said to burn by day. */
  readonly dayBurningMinKwh: number;
  /** Headroom kept above the maximum demand when suggesting a subscribed power. */
  readonly headroomPercent: number;
  /** The fixed part of the bill per subscribed kVA and month (€), to price an over-subscription. */
  readonly eurosPerKvaMonth: number;
}

export const DEFAULT_THRESHOLDS: ReconcileThresholds = {
  gapPercent: 10,
  powerFactor: 0.9,
  daylightMarginMinutes: 30,
  dayBurningMinKwh: 1,
  headroomPercent: 20,
  eurosPerKvaMonth: 1,
};

export type ReconcileCabinet = Pick<
  Cabinet,
  'id' | 'lat' | 'lon' | 'deliveryPointId' | 'subscribedKva' | 'lineLossPercent'
>;

export interface ReconcileInput {
  readonly cabinets: readonly ReconcileCabinet[];
  readonly readings: UtilityReadings;
  /** Epoch seconds [from, to). */
  readonly period: { readonly from: number; readonly to: number };
  /** The energy our luminaire meters counted per cabinet (kWh), when known; line loss is added here. */
  readonly meteredKwh?: ReadonlyMap<string, number>;
  /**
   * The energy the cabinets' own meters counted (kWh, at the delivery point: line loss included),
   * for the cabinets that have one; it stands for those cabinets instead of their luminaires' meters.
   */
  readonly cabinetMeteredKwh?: ReadonlyMap<string, number>;
  /** The energy the plans ask per cabinet (kWh, at the luminaires); line loss is added here. */
  readonly plannedKwh: ReadonlyMap<string, number>;
  readonly thresholds?: Partial<ReconcileThresholds>;
  /**
   * The fixed part per subscribed kVA and month of each delivery point's tariff, when known; the
   * others are priced at `thresholds.eurosPerKvaMonth`.
   */
  readonly eurosPerKvaMonth?: ReadonlyMap<string, number>;
}

/** Where a cabinet's "our metered" energy comes from. */
export type MeterSource = 'cabinet meter' | 'luminaire meters';

export type FindingKind = 'unknown-load' | 'faulty-meter' | 'day-burning' | 'over-subscription';

export interface Finding {
  readonly kind: FindingKind;
  readonly deliveryPointId: string;
  readonly cabinetIds: readonly string[];
  readonly message: string;
  /** For over-subscription: what the excess kVA cost a year. */
  readonly yearlyCostEuros?: number;
}

/** One delivery point over the period: the cabinets billed on it and its figures (kWh at the meter). */
export interface DeliveryPointReconciliation {
  readonly deliveryPointId: string;
  readonly cabinetIds: readonly string[];
  /** Null when the readings hold too little for the period (no interval, fewer than two indexes). */
  readonly billedKwh: number | null;
  readonly meteredKwh: number | null;
  /** Per cabinet with a metered figure, the meter it comes from. */
  readonly meteredBy: Readonly<Record<string, MeterSource>>;
  readonly plannedKwh: number;
  readonly maxDemandKva: number | null;
  readonly subscribedKva: number;
  readonly daylightKwh: number | null;
}

export interface Reconciliation {
  readonly thresholds: ReconcileThresholds;
  readonly deliveryPoints: DeliveryPointReconciliation[];
  readonly findings: Finding[];
}

/**
 * Compares, per delivery point and period, what the utility billed with what our meters counted (a
 * cabinet's meter where it has one, else its luminaires' plus its line loss) and what the plans
 * asked (plus the line loss), and the maximum demand with the
 * subscribed power. Cabinets sharing a delivery point are reconciled together: the bill cannot be
 * split between them. Results and findings are sorted by delivery point, whatever the row order.
 */
export function reconcile(input: ReconcileInput): Reconciliation {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...input.thresholds };
  const byPoint = groupBy(input.cabinets, (cabinet) => cabinet.deliveryPointId);
  const deliveryPoints: DeliveryPointReconciliation[] = [];
  const findings: Finding[] = [];
  const sunCache: SunCache = new Map();
  for (const deliveryPointId of [...byPoint.keys()].sort()) {
    const cabinets = (byPoint.get(deliveryPointId) ?? []).slice().sort((a, b) => (a.id < b.id ? -1 : 1));
    const withLoss = (kwh: ReadonlyMap<string, number>) =>
      cabinets.reduce((sum, c) => sum + (kwh.get(c.id) ?? 0) * (1 + c.lineLossPercent / 100), 0);
    const meteredBy: Record<string, MeterSource> = {};
    let metered: number | null = null;
    for (const cabinet of cabinets) {
      const atCabinet = input.cabinetMeteredKwh?.get(cabinet.id);
      const atLuminaires = input.meteredKwh?.get(cabinet.id);
      if (atCabinet !== undefined) meteredBy[cabinet.id] = 'cabinet meter';
      else if (atLuminaires !== undefined) meteredBy[cabinet.id] = 'luminaire meters';
      if (input.meteredKwh === undefined && input.cabinetMeteredKwh === undefined) continue;
      metered = (metered ?? 0) + (atCabinet ?? (atLuminaires ?? 0) * (1 + cabinet.lineLossPercent / 100));
    }
    const curve =
      input.readings.kind === 'load-curve'
        ? curveFigures(
            input.readings.curves.get(deliveryPointId),
            input.readings.intervalSeconds,
            input.period,
            cabinets[0] as ReconcileCabinet,
            thresholds,
            sunCache,
          )
        : null;
    const point: DeliveryPointReconciliation = {
      deliveryPointId,
      cabinetIds: cabinets.map((c) => c.id),
      billedKwh:
        curve === null ? indexEnergy(input.readings, deliveryPointId, input.period) : curve.billedKwh,
      meteredKwh: metered,
      meteredBy,
      plannedKwh: withLoss(input.plannedKwh),
      maxDemandKva: curve?.maxDemandKva ?? null,
      subscribedKva: cabinets.reduce((sum, c) => sum + c.subscribedKva, 0),
      daylightKwh: curve?.daylightKwh ?? null,
    };
    deliveryPoints.push(point);
    const kvaMonth = input.eurosPerKvaMonth?.get(deliveryPointId) ?? thresholds.eurosPerKvaMonth;
    findings.push(...findingsOf(point, { ...thresholds, eurosPerKvaMonth: kvaMonth }, input.period));
  }
  return { thresholds, deliveryPoints, findings };
}

/** A UTC day's sunrise and sunset. */
type DaySunTimes = ReturnType<typeof sunriseAndSunset>;
/** Sun times per grid cell of SUN_GRID_DEGREES, then per UTC day. */
type SunCache = Map<string, Map<number, DaySunTimes>>;
/**
 * Sun times are computed at the centre of a quarter-degree cell: within it sunrise and sunset move
 * by about a minute, well inside the daylight margin, and hundreds of cabinets of one area share
 * one computation per day.
 */
const SUN_GRID_DEGREES = 0.25;

function sunTimesNear(
  place: Pick<ReconcileCabinet, 'lat' | 'lon'>,
  cache: SunCache,
): (day: number) => DaySunTimes {
  const lat = Math.round(place.lat / SUN_GRID_DEGREES) * SUN_GRID_DEGREES;
  const lon = Math.round(place.lon / SUN_GRID_DEGREES) * SUN_GRID_DEGREES;
  const key = `${lat}/${lon}`;
  let days = cache.get(key);
  if (days === undefined) {
    days = new Map();
    cache.set(key, days);
  }
  const cell = days;
  return (day) => {
    let times = cell.get(day);
    if (times === undefined) {
      times = sunriseAndSunset(lat, lon, day * DAY_SECONDS + DAY_SECONDS / 2);
      cell.set(day, times);
    }
    return times;
  };
}

interface CurveFigures {
  billedKwh: number | null;
  maxDemandKva: number | null;
  daylightKwh: number;
}

function curveFigures(
  curve: LoadCurve | undefined,
  intervalSeconds: number,
  period: ReconcileInput['period'],
  place: ReconcileCabinet,
  thresholds: ReconcileThresholds,
  sunCache: SunCache,
): CurveFigures {
  const hours = intervalSeconds / 3600;
  const margin = thresholds.daylightMarginMinutes * 60;
  const sunTimes = sunTimesNear(place, sunCache);
  let energyWh = 0;
  let daylightWh = 0;
  let maxW = 0;
  let count = 0;
  let day = Number.NaN;
  let dayFrom = 0;
  let dayTo = 0;
  const starts = curve?.starts ?? new Float64Array(0);
  const powers = curve?.powerW ?? new Float64Array(0);
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i] as number;
    if (start < period.from || start + intervalSeconds > period.to) continue;
    const powerW = powers[i] as number;
    count++;
    const wh = powerW * hours;
    energyWh += wh;
    if (powerW > maxW) maxW = powerW;
    // Readings come in time order: the daylight window is looked up once per day, not per reading.
    if (Math.floor(start / DAY_SECONDS) !== day) {
      day = Math.floor(start / DAY_SECONDS);
      const { sunrise, sunset } = sunTimes(day);
      dayFrom = sunrise + margin;
      dayTo = sunset - margin;
    }
    if (start >= dayFrom && start + intervalSeconds <= dayTo) daylightWh += wh;
  }
  return {
    billedKwh: count === 0 ? null : energyWh / 1000,
    maxDemandKva: count === 0 ? null : maxW / 1000 / thresholds.powerFactor,
    daylightKwh: daylightWh / 1000,
  };
}

/** The index difference between the first and last readings dated inside the period (UTC dates). */
function indexEnergy(
  readings: UtilityReadings,
  deliveryPointId: string,
  period: ReconcileInput['period'],
): number | null {
  if (readings.kind !== 'index') return null;
  const from = new Date(period.from * 1000).toISOString().slice(0, 10);
  const to = new Date(period.to * 1000).toISOString().slice(0, 10);
  const inside = readings.readings
    .filter((r) => r.deliveryPointId === deliveryPointId && r.date >= from && r.date <= to)
    .sort((a, b) => (a.date < b.date ? -1 : 1));
  const first = inside[0];
  const last = inside[inside.length - 1];
  return first === undefined || last === undefined || first === last ? null : last.indexKwh - first.indexKwh;
}

function findingsOf(
  point: DeliveryPointReconciliation,
  thresholds: ReconcileThresholds,
  period: ReconcileInput['period'],
): Finding[] {
  const findings: Finding[] = [];
  const { deliveryPointId, cabinetIds } = point;
  const finding = (kind: FindingKind, message: string, yearlyCostEuros?: number) =>
    findings.push({
      kind,
      deliveryPointId,
      cabinetIds,
      message,
      ...(yearlyCostEuros === undefined ? {} : { yearlyCostEuros }),
    });
  const billed = point.billedKwh;
  const beyond = (kwh: number) =>
    billed !== null && Math.abs(billed - kwh) > (thresholds.gapPercent / 100) * Math.max(billed, kwh);
  if (billed !== null && billed < 0) {
    finding('faulty-meter', `the utility index went down by ${fmt(-billed)} kWh over the period`);
  } else if (billed !== null) {
    const reference = point.meteredKwh ?? point.plannedKwh;
    const ours = point.meteredKwh === null ? 'the plans ask' : 'our meters counted';
    if (beyond(reference) && point.meteredKwh !== null && (!beyond(point.plannedKwh) || billed < reference)) {
      // Our meters disagree with both the bill and a plan that explains it, or count more than was billed.
      finding(
        'faulty-meter',
        `billed ${fmt(billed)} kWh but ${ours} ${fmt(reference)} kWh with line loss (plans: ${fmt(point.plannedKwh)} kWh)`,
      );
    } else if (beyond(reference) && billed > reference) {
      finding(
        'unknown-load',
        `billed ${fmt(billed)} kWh, ${ours} ${fmt(reference)} kWh with line loss: ${fmt(billed - reference)} kWh unexplained`,
      );
    }
  }
  if (point.daylightKwh !== null && point.daylightKwh > thresholds.dayBurningMinKwh) {
    finding('day-burning', `${fmt(point.daylightKwh)} kWh drawn in daylight half-hours`);
  }
  if (point.maxDemandKva !== null) {
    const needed = Math.max(1, Math.ceil(point.maxDemandKva * (1 + thresholds.headroomPercent / 100)));
    const excess = point.subscribedKva - needed;
    if (excess >= 1 && period.to > period.from) {
      const yearly = excess * thresholds.eurosPerKvaMonth * 12;
      finding(
        'over-subscription',
        `subscribed ${fmt(point.subscribedKva)} kVA, maximum demand ${fmt(point.maxDemandKva)} kVA (power factor ${thresholds.powerFactor}): ${needed} kVA would do, ${fmt(excess)} kVA in excess cost about ${fmt(yearly)} € a year`,
        yearly,
      );
    }
  }
  return findings;
}

function fmt(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}
