import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { LocalDate } from '../config/schema.ts';
import type { Parsed, Problem } from '../problem.ts';
import { epochDayOf } from '../time/local-date.ts';
import { ZoneClock } from '../time/zone-clock.ts';
import { daysInMonth, instantsOfWall } from './local-time.ts';
import { scanLoadCurve } from './scan-load-curve.ts';

/**
 * One delivery point's load curve, column by column in file order: the start of each interval
 * (epoch seconds) and the average power drawn over it. A year of half-hours is 17,520 of each.
 */
export interface LoadCurve {
  readonly starts: Float64Array;
  readonly powerW: Float64Array;
}

/** A cumulative energy index read at a delivery point on a date. */
export interface IndexReading {
  readonly deliveryPointId: string;
  readonly date: LocalDate;
  readonly indexKwh: number;
}

export type UtilityReadings =
  | {
      readonly kind: 'load-curve';
      readonly intervalSeconds: number;
      /** Per delivery point, in the order the file first names them. */
      readonly curves: ReadonlyMap<string, LoadCurve>;
    }
  | { readonly kind: 'index'; readonly readings: IndexReading[] };

export interface ReadingsOptions {
  /** The delivery points of the inventory: a reading for any other is a problem, not dropped. */
  readonly deliveryPoints: ReadonlySet<string>;
  /** The zone local times without an offset are in (the utility's exports use French local time). */
  readonly timeZone?: string;
  /** Load-curve interval; timestamps must fall on its boundaries. */
  readonly intervalMinutes?: 10 | 30;
  /**
   * Whether a load-curve timestamp marks the start or the end of its interval. Distribution exports
   * differ (verify the export you target); `start` unless told.
   */
  readonly timestampMarks?: 'start' | 'end';
}

const MAX_ROWS = 20_000_000;
const PDL = z.string().regex(/^\d{14}$/, 'must be 14 digits (PDL/PRM)');
/** A cabinet meter is at most 250 kVA: a half-hour mean above 300 kW is a unit or typing error. */
const MAX_POWER_W = 300_000;
const POWER_W = z.number().min(0, 'must be ≥ 0').max(MAX_POWER_W, 'must be at most 300 kW');
const QUOTE = 0x22;
const LF = 0x0a;
const INDEX_KWH = z
  .number({ error: 'must be a number' })
  .min(0, 'must be ≥ 0')
  .max(1e10, 'must be at most 1e10 kWh');

const LoadRow = z.object({
  deliveryPointId: PDL,
  timestamp: z.string(),
  power: z.number({ error: 'must be a number' }),
});
const IndexRow = z.object({ deliveryPointId: PDL, date: z.string(), indexKwh: INDEX_KWH });

/** Accepted header names, compared lower-case: ours, and the utility's usual PDL/PRM names. */
const PDL_NAMES = ['deliverypointid', 'pdl', 'prm'];
const DECIMAL = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/;
const FRENCH_DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;
const OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

interface CsvRow {
  record: string[];
  /** The line the record ends on, counting the header as line 1. */
  info: { lines: number };
}

/**
 * Parses a utility export of readings, all or nothing: either the half-hourly (or 10-minute) load
 * curve, header `deliveryPointId,timestamp,powerW` (or `powerKw`), or periodic index readings,
 * header `deliveryPointId,date,indexKwh`; `PDL` or `PRM` name the delivery point too. Comma or
 * semicolon separated (French exports: decimal comma, `dd/mm/yyyy HH:MM` local time, BOM).
 * Local times are read in `timeZone`: a time skipped by the spring change is a problem; the
 * autumn's repeated hour is read in file order, first occurrence in summer time, second in winter
 * time. Problems name the row (header = row 1) and the column.
 *
 * A load curve in the utility's plain shape is read from the bytes by `scanLoadCurve`; any other
 * file, or one with a problem, by the row reader (`parseUtilityReadingsByRow`), which names them.
 */
export function parseUtilityReadings(
  input: string | Uint8Array,
  source: string,
  options: ReadingsOptions,
): Parsed<UtilityReadings> {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const scanned = scanPlainLoadCurve(bytes, options);
  if (scanned !== null) return { ok: true, value: scanned };
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  return parseUtilityReadingsByRow(text, source, options);
}

/** The load curve of a quote-free file whose first line is its header, or null (see scanLoadCurve). */
function scanPlainLoadCurve(bytes: Uint8Array, options: ReadingsOptions): UtilityReadings | null {
  if (bytes.includes(QUOTE)) return null;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const headerEnd = bytes.indexOf(LF, bom);
  if (headerEnd < 0) return null;
  const headerLine = new TextDecoder().decode(bytes.subarray(bom, headerEnd)).trim();
  if (headerLine === '' || headerLine.includes('\r')) return null;
  const delimiter = headerLine.includes(';') ? ';' : ',';
  const names = headerLine.split(delimiter);
  const header = readHeader(names);
  if (header?.kind !== 'load-curve') return null;
  const [pdlAt, timeAt, powerAt] = header.at;
  const intervalSeconds = (options.intervalMinutes ?? 30) * 60;
  const curves = scanLoadCurve(
    bytes,
    headerEnd + 1,
    delimiter.charCodeAt(0),
    { width: names.length, pdlAt, timeAt, powerAt, powerScale: header.powerScale },
    {
      deliveryPoints: options.deliveryPoints,
      clock: ZoneClock.of(options.timeZone ?? 'Europe/Paris'),
      intervalSeconds,
      shift: options.timestampMarks === 'end' ? intervalSeconds : 0,
      maxRows: MAX_ROWS,
      maxPowerW: MAX_POWER_W,
    },
  );
  return curves === null ? null : { kind: 'load-curve', intervalSeconds, curves };
}

/**
 * The same reading of the file, row by row, every problem named by row and column: for the files
 * the fast path leaves out, and as the reference it is tested against.
 */
export function parseUtilityReadingsByRow(
  text: string,
  source: string,
  options: ReadingsOptions,
): Parsed<UtilityReadings> {
  const firstLine = text.replace(/^\uFEFF/, '').slice(0, text.search(/\r|\n|$/));
  const delimiter = firstLine.includes(';') ? ';' : ',';
  const rows = text.includes('"') ? parseQuoted(text, delimiter) : splitLines(text, delimiter);
  if ('problem' in rows) return { ok: false, problems: [{ source, ...rows.problem }] };
  const [header, ...data] = rows;
  const columns = header === undefined ? null : readHeader(header.record);
  if (columns === null) {
    const message =
      'the header must name deliveryPointId (or PDL/PRM) and either timestamp with powerW or powerKw (load curve) or date with indexKwh (index readings)';
    return { ok: false, problems: [{ source, path: 'row 1', message }] };
  }
  const reader = new RowReader(source, header?.record ?? [], options);
  return columns.kind === 'index'
    ? reader.readIndex(data, columns.at)
    : reader.readLoadCurve(data, columns.at, columns.powerScale);
}

function parseQuoted(text: string, delimiter: string): CsvRow[] | { problem: Omit<Problem, 'source'> } {
  try {
    // With `info: true` each record comes with its position; the typings only know plain records.
    return parse(text, {
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      to: MAX_ROWS,
    }) as unknown as CsvRow[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { problem: { path: `row ${Number(error.lines)}`, message: error.message } };
  }
}

/**
 * Rows of a file without quotes: its lines split at the delimiter. A year of a load curve is
 * 17,520 lines per delivery point, and csv-parse reads a few hundred thousand lines a second at
 * best: quoting is the only thing it adds here, so quote-free files (the utility's exports) skip it.
 */
function splitLines(text: string, delimiter: string): CsvRow[] {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const rows: CsvRow[] = [];
  const end = Math.min(lines.length, MAX_ROWS);
  for (let i = 0; i < end; i++) {
    const line = (lines[i] as string).trim();
    if (line !== '')
      rows.push({ record: line.split(delimiter).map((cell) => cell.trim()), info: { lines: i + 1 } });
  }
  return rows;
}

type Header =
  | { kind: 'load-curve'; names: string[]; at: [number, number, number]; powerScale: number }
  | { kind: 'index'; names: string[]; at: [number, number, number] };

function readHeader(record: readonly string[]): Header | null {
  const names = record.map((name) => name.trim().toLowerCase());
  const pdl = names.findIndex((name) => PDL_NAMES.includes(name));
  if (pdl < 0) return null;
  const timestamp = names.indexOf('timestamp');
  const watts = names.indexOf('powerw');
  const kilowatts = names.indexOf('powerkw');
  if (timestamp >= 0 && watts >= 0 !== kilowatts >= 0) {
    const power = watts >= 0 ? watts : kilowatts;
    return { kind: 'load-curve', names, at: [pdl, timestamp, power], powerScale: watts >= 0 ? 1 : 1000 };
  }
  const date = names.indexOf('date');
  const index = names.indexOf('indexkwh');
  if (date >= 0 && index >= 0) return { kind: 'index', names, at: [pdl, date, index] };
  return null;
}

class RowReader {
  readonly problems: Problem[] = [];
  private readonly clock: ZoneClock;

  constructor(
    private readonly source: string,
    private readonly header: readonly string[],
    private readonly options: ReadingsOptions,
  ) {
    this.clock = ZoneClock.of(options.timeZone ?? 'Europe/Paris');
  }

  readLoadCurve(
    rows: readonly CsvRow[],
    [pdlAt, timeAt, powerAt]: readonly [number, number, number],
    powerScale: number,
  ): Parsed<UtilityReadings> {
    const intervalSeconds = (this.options.intervalMinutes ?? 30) * 60;
    const shift = this.options.timestampMarks === 'end' ? intervalSeconds : 0;
    const seen = new Map<string, Set<number>>();
    const columns = new Map<string, { starts: number[]; powerW: number[] }>();
    for (const { record, info } of rows) {
      const row = info.lines;
      if (!this.hasWidth(record, row)) continue;
      const parsed = LoadRow.safeParse({
        deliveryPointId: record[pdlAt],
        timestamp: record[timeAt],
        power: toNumber(record[powerAt] ?? ''),
      });
      if (!parsed.success) {
        this.zodProblems(row, parsed.error, { deliveryPointId: pdlAt, power: powerAt });
        continue;
      }
      const { deliveryPointId, timestamp, power } = parsed.data;
      const powerW = power * powerScale;
      const powerCheck = POWER_W.safeParse(powerW);
      if (!powerCheck.success) this.problem(row, powerAt, `power ${powerCheck.error.issues[0]?.message}`);
      if (!this.knownPoint(deliveryPointId, row, pdlAt)) continue;
      const taken = seen.get(deliveryPointId) ?? new Set<number>();
      seen.set(deliveryPointId, taken);
      const instant = this.instant(timestamp, taken, row, timeAt);
      if (instant === null || !powerCheck.success) continue;
      const start = instant - shift;
      if (start % intervalSeconds !== 0) {
        this.problem(row, timeAt, `not on a ${intervalSeconds / 60}-minute boundary`);
        continue;
      }
      taken.add(instant);
      const curve = columns.get(deliveryPointId) ?? { starts: [], powerW: [] };
      columns.set(deliveryPointId, curve);
      curve.starts.push(start);
      curve.powerW.push(powerW);
    }
    if (this.problems.length > 0) return { ok: false, problems: this.problems };
    const curves = new Map<string, LoadCurve>();
    for (const [id, curve] of columns) {
      curves.set(id, { starts: Float64Array.from(curve.starts), powerW: Float64Array.from(curve.powerW) });
    }
    return { ok: true, value: { kind: 'load-curve', intervalSeconds, curves } };
  }

  readIndex(
    rows: readonly CsvRow[],
    [pdlAt, dateAt, indexAt]: readonly [number, number, number],
  ): Parsed<UtilityReadings> {
    const seen = new Set<string>();
    const readings: IndexReading[] = [];
    for (const { record, info } of rows) {
      const row = info.lines;
      if (!this.hasWidth(record, row)) continue;
      const parsed = IndexRow.safeParse({
        deliveryPointId: record[pdlAt],
        date: record[dateAt],
        indexKwh: toNumber(record[indexAt] ?? ''),
      });
      if (!parsed.success) {
        this.zodProblems(row, parsed.error, { deliveryPointId: pdlAt, indexKwh: indexAt });
        continue;
      }
      const { deliveryPointId, indexKwh } = parsed.data;
      const date = readDate(parsed.data.date);
      if (date === null) this.problem(row, dateAt, 'expected a date dd/mm/yyyy or yyyy-mm-dd');
      if (!this.knownPoint(deliveryPointId, row, pdlAt) || date === null) continue;
      const key = `${deliveryPointId} ${date}`;
      if (seen.has(key)) {
        this.problem(row, dateAt, `a second index for ${deliveryPointId} on ${date}`);
        continue;
      }
      seen.add(key);
      readings.push({ deliveryPointId, date, indexKwh });
    }
    if (this.problems.length > 0) return { ok: false, problems: this.problems };
    return { ok: true, value: { kind: 'index', readings } };
  }

  private hasWidth(record: readonly string[], row: number): boolean {
    if (record.length === this.header.length) return true;
    const message = `expected ${this.header.length} fields as in the header, found ${record.length}`;
    this.problems.push({ source: this.source, path: `row ${row}`, message });
    return false;
  }

  private knownPoint(deliveryPointId: string, row: number, column: number): boolean {
    if (this.options.deliveryPoints.has(deliveryPointId)) return true;
    this.problem(
      row,
      column,
      `delivery point ${deliveryPointId} is not in the inventory (no cabinet names it)`,
    );
    return false;
  }

  /** The reading's instant; a local time repeated by the autumn change takes its later instant once the earlier is taken. */
  private instant(text: string, taken: ReadonlySet<number>, row: number, column: number): number | null {
    const candidates = readInstants(text, this.clock);
    if (candidates === null) {
      this.problem(
        row,
        column,
        'expected a time dd/mm/yyyy HH:MM, yyyy-mm-dd HH:MM or ISO 8601 with an offset',
      );
      return null;
    }
    if (candidates.length === 0) {
      this.problem(
        row,
        column,
        `${text} does not exist in ${this.clock.timeZone} (skipped by the clock change)`,
      );
      return null;
    }
    const free = candidates.find((instant) => !taken.has(instant));
    if (free === undefined) {
      this.problem(row, column, `a second reading for this delivery point at ${text}`);
      return null;
    }
    return free;
  }

  private zodProblems(row: number, error: z.ZodError, columnOf: Record<string, number>): void {
    for (const issue of error.issues) {
      const field = String(issue.path[0]);
      this.problem(row, columnOf[field] ?? -1, `${field} ${issue.message}`);
    }
  }

  private problem(row: number, column: number, message: string): void {
    this.problems.push({
      source: this.source,
      path: `row ${row}, column ${this.header[column] ?? column + 1}`,
      message,
    });
  }
}

/** A decimal with a point or a comma, or the cell unchanged so that validation names it. */
function toNumber(cell: string): number | string {
  const trimmed = cell.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed.replace(',', '.')) : cell;
}

function readDate(text: string): LocalDate | null {
  const french = FRENCH_DATE.exec(text);
  const iso = french === null ? ISO_DATE.exec(text) : null;
  const [year, month, day] =
    french !== null ? [french[3], french[2], french[1]] : iso !== null ? [iso[1], iso[2], iso[3]] : [];
  if (year === undefined || month === undefined || day === undefined) return null;
  const m = Number(month);
  const d = Number(day);
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(Number(year), m) ? `${year}-${month}-${day}` : null;
}

/**
 * The instants a timestamp can mean, earliest first: one for an absolute time, none for a local time
 * skipped by a clock change, two for a local time repeated by one; `null` when it is not a time.
 */
function readInstants(text: string, clock: ZoneClock): number[] | null {
  const offset = OFFSET.exec(text);
  const local = offset === null ? text : text.slice(0, -offset[0].length);
  const split = local.search(/[ T]/);
  if (split < 0) return null;
  const date = readDate(local.slice(0, split));
  const time = TIME.exec(local.slice(split + 1).trim());
  if (date === null || time === null) return null;
  const hours = Number(time[1]);
  const minutes = Number(time[2]);
  const seconds = Number(time[3] ?? 0);
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  const wall = epochDayOf(date) * 86_400 + hours * 3600 + minutes * 60 + seconds;
  if (offset !== null) return [wall - offsetSeconds(offset[1] ?? 'Z')];
  return instantsOfWall(wall, clock);
}

function offsetSeconds(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 3600 + Number(offset.slice(4, 6)) * 60);
}
