import type { ZoneClock } from '../time/zone-clock.ts';
import { daysInMonth, epochDayOfCivil, instantsOfWall } from './local-time.ts';
import type { LoadCurve } from './readings.ts';

/** Where the load curve's fields are in a row of `width` fields. */
export interface LoadCurveLayout {
  readonly width: number;
  readonly pdlAt: number;
  readonly timeAt: number;
  readonly powerAt: number;
  /** 1 for watts, 1000 for kilowatts. */
  readonly powerScale: number;
}

export interface ScanOptions {
  readonly deliveryPoints: ReadonlySet<string>;
  readonly clock: ZoneClock;
  readonly intervalSeconds: number;
  /** Subtracted from a timestamp to get its interval's start (the interval when timestamps mark ends). */
  readonly shift: number;
  readonly maxRows: number;
  readonly maxPowerW: number;
}

const LF = 10;
const CR = 13;
const ZERO = 48;
const COMMA = 44;
const DOT = 46;
const SLASH = 47;
const DASH = 45;
const COLON = 58;
const SPACE = 32;
const T = 84;
const PDL_LENGTH = 14;
/** `dd/mm/yyyy HH:MM`, and with `:SS`. */
const SHORT_TIME_LENGTH = 16;
const LONG_TIME_LENGTH = 19;
/** A PDL, a short time, a one-digit power, their two delimiters and the line feed. */
const SHORTEST_ROW = PDL_LENGTH + SHORT_TIME_LENGTH + 4;
const YEAR_OF_HALF_HOURS = 366 * 48 + 48;
/** Digits a number may have so that mantissa / 10^k is exact before its one rounding. */
const MAX_DIGITS = 15;
const NO_DAY = -1;
/** `dd/mm/yyyy ` or `yyyy-mm-ddT`: what the per-day cache compares. */
const DATE_AND_SEPARATOR = 11;

/** One delivery point's readings as they come, in growing typed arrays, and what its times have seen. */
class PointCurve {
  starts: Float64Array<ArrayBuffer>;
  powers: Float64Array<ArrayBuffer>;
  length = 0;
  /** The latest wall time read: a row at or before it may repeat one and is left to the row reader. */
  maxWall = Number.NEGATIVE_INFINITY;
  /** How often each wall time the autumn change repeats has been read. */
  readonly repeated = new Map<number, number>();

  constructor(capacity: number) {
    this.starts = new Float64Array(capacity);
    this.powers = new Float64Array(capacity);
  }

  push(start: number, powerW: number): void {
    if (this.length === this.starts.length) {
      this.starts = grow(this.starts);
      this.powers = grow(this.powers);
    }
    this.starts[this.length] = start;
    this.powers[this.length] = powerW;
    this.length++;
  }

  /** The arrays as read; copied to their length only when more than an eighth of them is spare room. */
  curve(): LoadCurve {
    const fits = this.length * 8 >= this.starts.length * 7;
    const cut = (array: Float64Array<ArrayBuffer>) =>
      fits ? array.subarray(0, this.length) : array.slice(0, this.length);
    return { starts: cut(this.starts), powerW: cut(this.powers) };
  }
}

function grow(array: Float64Array): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/**
 * The fast path of the load-curve import: the rows after the header read straight from the bytes
 * into typed arrays per delivery point, without a string, object or regular expression per row.
 * It reads only the plain shape of the utility's exports (digits, `dd/mm/yyyy HH:MM[:SS]` or
 * `yyyy-mm-dd HH:MM[:SS]` local times, unsigned decimals with a point or a comma, no spaces around
 * fields) and returns null at the first row it does not accept — something to report, or a shape
 * it leaves out (an offset, a repeated time out of order) — so that the row reader, which names
 * every problem by row and column, reads the whole file instead. Both agree on every file the fast
 * path accepts (a property test holds them to it).
 */
export function scanLoadCurve(
  bytes: Uint8Array,
  bodyStart: number,
  delimiter: number,
  layout: LoadCurveLayout,
  options: ScanOptions,
): Map<string, LoadCurve> | null {
  const { width, pdlAt, timeAt, powerAt, powerScale } = layout;
  const { clock, intervalSeconds, shift, maxPowerW } = options;
  /** Whether every day starts on an interval boundary (10 and 30 minutes divide a day). */
  const dayAligned = 86_400 % intervalSeconds === 0;
  const points = new Map<string, PointCurve>();
  const end = bytes.length;
  // Room for every row of the file, or a year of half-hours and a day when it holds several points:
  // a delivery point's arrays are then allocated once (growing them is most of the garbage).
  const capacity = Math.max(16, Math.min(Math.ceil((end - bodyStart) / SHORTEST_ROW), YEAR_OF_HALF_HOURS));
  let point: PointCurve | undefined;
  let pointAt = -1;
  let dayAt = -1;
  let dayWall = 0;
  /** The day's one UTC offset, or NO_DAY on the days around a clock change (read time by time). */
  let dayOffset = NO_DAY;
  let rows = 1;
  let pos = bodyStart;
  while (pos < end) {
    let lineEnd = bytes.indexOf(LF, pos);
    if (lineEnd < 0) lineEnd = end;
    const next = lineEnd + 1;
    if (bytes[lineEnd - 1] === CR && lineEnd > pos) lineEnd--;
    if (++rows > options.maxRows) return null;
    if (lineEnd === pos) {
      pos = next;
      continue;
    }
    let powerW = Number.NaN;
    let wall = Number.NaN;
    let secondOfDay = 0;
    let field = 0;
    let fieldStart = pos;
    for (;;) {
      const guess = field === pdlAt ? PDL_LENGTH : field === timeAt ? SHORT_TIME_LENGTH : 0;
      const i = fieldEnd(bytes, fieldStart, lineEnd, delimiter, guess);
      if (field === pdlAt) {
        const same =
          point !== undefined &&
          i - fieldStart === PDL_LENGTH &&
          sameBytes(bytes, pointAt, fieldStart, PDL_LENGTH);
        if (!same) {
          if (i - fieldStart !== PDL_LENGTH || !allDigits(bytes, fieldStart, i)) return null;
          const id = String.fromCharCode(...bytes.subarray(fieldStart, i));
          point = points.get(id);
          if (point === undefined) {
            if (!options.deliveryPoints.has(id)) return null;
            point = new PointCurve(capacity);
            points.set(id, point);
          }
        }
        pointAt = fieldStart;
      } else if (field === timeAt) {
        const length = i - fieldStart;
        if (length !== SHORT_TIME_LENGTH && length !== LONG_TIME_LENGTH) return null;
        if (dayAt < 0 || !sameBytes(bytes, dayAt, fieldStart, DATE_AND_SEPARATOR)) {
          const day = epochDayOfField(bytes, fieldStart);
          if (day === null) return null;
          dayAt = fieldStart;
          dayWall = day * 86_400;
          const before = clock.offsetAt(dayWall - 86_400);
          // Zones change their clocks at most once within three days: equal offsets a day either
          // side of the day mean one offset for all its times, as the row reader finds time by time.
          dayOffset = before === clock.offsetAt(dayWall + 2 * 86_400) ? before : NO_DAY;
        }
        secondOfDay = secondsOfDayField(bytes, fieldStart + DATE_AND_SEPARATOR, length === LONG_TIME_LENGTH);
        if (secondOfDay < 0) return null;
        wall = dayWall + secondOfDay;
      } else if (field === powerAt) {
        powerW = decimalField(bytes, fieldStart, i) * powerScale;
        if (!(powerW <= maxPowerW)) return null;
      }
      field++;
      if (i >= lineEnd) break;
      fieldStart = i + 1;
    }
    if (field !== width || point === undefined) return null;
    const instant = instantOf(point, wall, dayOffset, clock);
    if (instant === null) return null;
    const start = instant - shift;
    // On a day of one offset the start is on an interval boundary when its second of the day less
    // the offset is (the day starts on one): small integers, not epoch seconds, are divided.
    const off =
      dayOffset === NO_DAY || !dayAligned
        ? start % intervalSeconds
        : (secondOfDay - dayOffset - shift) % intervalSeconds;
    if (off !== 0) return null;
    point.push(start, powerW);
    pos = next;
  }
  const curves = new Map<string, LoadCurve>();
  for (const [id, curve] of points) curves.set(id, curve.curve());
  return curves;
}

/**
 * The instant of a wall time for one delivery point, or null when the row reader must decide: a
 * wall time at or before the latest one read may repeat an earlier row; a wall time the autumn
 * change repeats is its earlier instant the first time, its later the second (as the row reader).
 */
function instantOf(point: PointCurve, wall: number, dayOffset: number, clock: ZoneClock): number | null {
  if (dayOffset !== NO_DAY) {
    if (wall <= point.maxWall) return null;
    point.maxWall = wall;
    return wall - dayOffset;
  }
  const instants = instantsOfWall(wall, clock);
  if (instants.length === 2) {
    const seen = point.repeated.get(wall) ?? 0;
    if (seen > 1) return null;
    point.repeated.set(wall, seen + 1);
    if (wall > point.maxWall) point.maxWall = wall;
    return instants[seen] ?? null;
  }
  if (instants.length === 0 || wall <= point.maxWall) return null;
  point.maxWall = wall;
  return instants[0] ?? null;
}

/**
 * Where the field starting at `start` ends: at `start + guess` when a delimiter or the line's end is
 * there (the PDL's and the time's usual lengths; their bytes are checked afterwards, and neither
 * holds a delimiter), else at the next delimiter.
 */
function fieldEnd(
  bytes: Uint8Array,
  start: number,
  lineEnd: number,
  delimiter: number,
  guess: number,
): number {
  if (guess > 0) {
    const at = start + guess;
    if (at === lineEnd || (at < lineEnd && bytes[at] === delimiter)) return at;
  }
  let i = start;
  while (i < lineEnd && bytes[i] !== delimiter) i++;
  return i;
}

function allDigits(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const digit = (bytes[i] as number) - ZERO;
    if (digit < 0 || digit > 9) return false;
  }
  return true;
}

function sameBytes(bytes: Uint8Array, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (bytes[a + k] !== bytes[b + k]) return false;
  return true;
}

/** Digits at from..from+count as a number, or -1 if any is not a digit. */
function digits(bytes: Uint8Array, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = (bytes[i] as number) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** The epoch day of `dd/mm/yyyy` or `yyyy-mm-dd` followed by a space (or `T` for the latter). */
function epochDayOfField(bytes: Uint8Array, at: number): number | null {
  const separator = bytes[at + 10];
  let year: number;
  let month: number;
  let day: number;
  if (bytes[at + 2] === SLASH && bytes[at + 5] === SLASH && separator === SPACE) {
    day = digits(bytes, at, 2);
    month = digits(bytes, at + 3, 2);
    year = digits(bytes, at + 6, 4);
  } else if (bytes[at + 4] === DASH && bytes[at + 7] === DASH && (separator === SPACE || separator === T)) {
    year = digits(bytes, at, 4);
    month = digits(bytes, at + 5, 2);
    day = digits(bytes, at + 8, 2);
  } else return null;
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return epochDayOfCivil(year, month, day);
}

/** `HH:MM` or `HH:MM:SS` as seconds of the day, -1 if it is not a valid time. */
function secondsOfDayField(bytes: Uint8Array, at: number, withSeconds: boolean): number {
  if (bytes[at + 2] !== COLON || (withSeconds && bytes[at + 5] !== COLON)) return -1;
  const hours = digits(bytes, at, 2);
  const minutes = digits(bytes, at + 3, 2);
  const seconds = withSeconds ? digits(bytes, at + 6, 2) : 0;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) return -1;
  return hours * 3600 + minutes * 60 + seconds;
}

/**
 * An unsigned decimal with a point or a comma (`12`, `12,5`, `12.`, `,5`), NaN otherwise. The
 * mantissa and the power of ten are exact, so their quotient is the correctly rounded value, as
 * Number() reads it.
 */
function decimalField(bytes: Uint8Array, from: number, to: number): number {
  let mantissa = 0;
  let count = 0;
  let scale = 1;
  let fraction = false;
  for (let i = from; i < to; i++) {
    const byte = bytes[i] as number;
    if ((byte === COMMA || byte === DOT) && !fraction) {
      fraction = true;
      continue;
    }
    const digit = byte - ZERO;
    if (digit < 0 || digit > 9 || ++count > MAX_DIGITS) return Number.NaN;
    mantissa = mantissa * 10 + digit;
    if (fraction) scale *= 10;
  }
  return count === 0 ? Number.NaN : mantissa / scale;
}
