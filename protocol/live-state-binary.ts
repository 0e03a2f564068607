import { LIVE_STATES } from './live-state.ts';
import type { LiveStatePage, LiveStatePageHead } from './live-state-page.ts';

/**
 * `GET /luminaires/state` as `application/octet-stream`: the same page as the JSON one in under half
 * the bytes, read without a JSON parse of 200,000 entries (what the console's map asks for), and
 * checked by its decoder alone (no schema library in the map's worker). Little-endian, in order:
 * - the 4 bytes `LST` and the format's version (1);
 * - u32 the luminaires in the page, u32 the report interval (seconds);
 * - lists of strings, each as u32 how many, u32 the byte length of their UTF-8 text end to end,
 *   the text, then each one's length (UTF-16 units) as a varint: `at` (none before the first
 *   sweep, else one), the zones, the streets, `next` (none or one), the ids;
 * - per luminaire, column after column, unsigned LEB128 varints: lon then lat in 1e-5 degrees
 *   (what the snapshot stores) as zigzag deltas from the previous luminaire's (neighbours on a
 *   street are metres apart: a byte or two), zone, street, age + 1;
 * - a byte per luminaire of state, then of level.
 * Nothing may follow. The decoder checks every length, index and bound, and names what is wrong.
 */
export const LIVE_STATE_BINARY_TYPE = 'application/octet-stream';

const MAGIC = [0x4c, 0x53, 0x54];
export const LIVE_STATE_BINARY_VERSION = 1;
/** Degrees to the fixed point the snapshot rounds positions to (functions/store/live-state-store.ts). */
const FIXED = 1e5;
/** More than any page holds (the API pages 50,000): a corrupt count is refused before any allocation. */
const MAX_LUMINAIRES = 1_000_000;
/** The longest strings the API writes: ids (schedules/inventory/schema.ts), names, cursors, instants. */
const MAX_LENGTH = { ids: 64, zones: 128, streets: 128, next: 200, at: 64 } as const;

/** A page decoded: the columns in typed arrays, as the map's table keeps them. */
export interface BinaryLiveStatePage extends LiveStatePageHead {
  readonly ids: string[];
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  readonly zone: Uint32Array;
  readonly street: Uint32Array;
  readonly state: Uint8Array;
  readonly level: Uint8Array;
  readonly age: Int32Array;
}

/** Bytes that are not a page of this format, with what is wrong in them. */
export class LiveStateFormatError extends Error {
  constructor(detail: string) {
    super(`the live state's binary page is invalid: ${detail}`);
    this.name = 'LiveStateFormatError';
  }
}

const zigzag = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1);
const unzigzag = (n: number): number => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);

class Writer {
  #bytes = new Uint8Array(1 << 16);
  length = 0;

  #room(extra: number): void {
    if (this.length + extra <= this.#bytes.length) return;
    const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.length + extra));
    grown.set(this.#bytes.subarray(0, this.length));
    this.#bytes = grown;
  }
  byte(value: number): void {
    this.#room(1);
    this.#bytes[this.length++] = value;
  }
  u32(value: number): void {
    this.#room(4);
    new DataView(this.#bytes.buffer).setUint32(this.length, value, true);
    this.length += 4;
  }
  varint(value: number): void {
    this.#room(5);
    let rest = value;
    while (rest >= 0x80) {
      this.#bytes[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.#bytes[this.length++] = rest;
  }
  /** A list of strings: how many, their UTF-8 text end to end, each one's length. */
  strings(values: readonly string[]): void {
    const bytes = new TextEncoder().encode(values.join(''));
    this.u32(values.length);
    this.u32(bytes.length);
    this.#room(bytes.length);
    this.#bytes.set(bytes, this.length);
    this.length += bytes.length;
    for (const value of values) this.varint(value.length);
  }
  done(): Uint8Array {
    return this.#bytes.slice(0, this.length);
  }
}

/** The page in the binary format (positions rounded to 1e-5 degrees, as the snapshot stores them). */
export function encodeLiveStatePage(page: LiveStatePage): Uint8Array {
  const out = new Writer();
  for (const byte of [...MAGIC, LIVE_STATE_BINARY_VERSION]) out.byte(byte);
  const count = page.ids.length;
  out.u32(count);
  out.u32(page.reportIntervalSeconds);
  for (const list of [
    page.at === null ? [] : [page.at],
    page.zones,
    page.streets,
    page.next === undefined ? [] : [page.next],
    page.ids,
  ])
    out.strings(list);
  for (const column of [page.lon, page.lat]) {
    let previous = 0;
    for (let i = 0; i < count; i++) {
      const fixed = Math.round((column[i] ?? 0) * FIXED);
      out.varint(zigzag(fixed - previous));
      previous = fixed;
    }
  }
  for (const column of [page.zone, page.street]) for (let i = 0; i < count; i++) out.varint(column[i] ?? 0);
  for (let i = 0; i < count; i++) out.varint((page.age[i] ?? -1) + 1);
  for (const column of [page.state, page.level]) for (let i = 0; i < count; i++) out.byte(column[i] ?? 0);
  return out.done();
}

class Reader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  at = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get left(): number {
    return this.#bytes.length - this.at;
  }
  #need(count: number, what: string): void {
    if (this.left < count) throw new LiveStateFormatError(`it ends inside ${what}`);
  }
  byte(what: string): number {
    this.#need(1, what);
    return this.#bytes[this.at++] as number;
  }
  u32(what: string): number {
    this.#need(4, what);
    const value = this.#view.getUint32(this.at, true);
    this.at += 4;
    return value;
  }
  /**
   * An unsigned varint of at most 5 bytes below 2^32: entry `index` of column `name` (named only
   * when it is wrong: this runs for every entry of 200,000 luminaires).
   */
  varint(name: string, index: number): number {
    let value = 0;
    let scale = 1;
    for (let k = 0; k < 5; k++) {
      if (this.at >= this.#bytes.length) throw new LiveStateFormatError(`it ends inside ${name}[${index}]`);
      const byte = this.#bytes[this.at++] as number;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (value > 0xffffffff) break;
        return value;
      }
      scale *= 0x80;
    }
    throw new LiveStateFormatError(`${name}[${index}] is not a varint below 2^32`);
  }
  /** A list of at most `most` strings of 1 to `longest` characters (see Writer.strings). */
  strings(what: keyof typeof MAX_LENGTH, most: number): string[] {
    const count = this.u32(`how many ${what}`);
    if (count > most) throw new LiveStateFormatError(`it has ${count} ${what}, at most ${most}`);
    const length = this.u32(`the length of the ${what}`);
    const text = this.#utf8(this.bytes(length, `the ${what}`), what);
    const lengths = new Uint8Array(count);
    let units = 0;
    for (let i = 0; i < count; i++) {
      const size = this.varint(what, i);
      if (size < 1 || size > MAX_LENGTH[what])
        throw new LiveStateFormatError(`${what}[${i}] has ${size} characters, not 1 to ${MAX_LENGTH[what]}`);
      lengths[i] = size;
      units += size;
    }
    if (units !== text.length)
      throw new LiveStateFormatError(
        `the ${what}' lengths add up to ${units}, their text has ${text.length}`,
      );
    return splitStrings(text, lengths);
  }
  #utf8(bytes: Uint8Array, what: string): string {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new LiveStateFormatError(`the ${what} are not UTF-8`);
    }
  }
  /** Bytes of one column, as they are (no copy). */
  bytes(count: number, what: string): Uint8Array {
    this.#need(count, what);
    this.at += count;
    return this.#bytes.subarray(this.at - count, this.at);
  }
}

/** The entries of a column of `count` varints, each at most `max` (`entry` turns the varint into the value). */
function varintColumn<T extends Uint32Array | Int32Array>(
  input: Reader,
  into: T,
  name: string,
  max: number,
  entry: (varint: number) => number = (n) => n,
): T {
  for (let i = 0; i < into.length; i++) {
    const value = input.varint(name, i);
    if (value > max) throw new LiveStateFormatError(`${name}[${i}] is ${value}, above ${max}`);
    into[i] = entry(value);
  }
  return into;
}

/** Positions from their zigzag deltas, each within ±`bound` degrees. */
function positionColumn(input: Reader, count: number, name: string, bound: number): Float64Array {
  const degrees = new Float64Array(count);
  let fixed = 0;
  for (let i = 0; i < count; i++) {
    fixed += unzigzag(input.varint(name, i));
    if (Math.abs(fixed) > bound * FIXED)
      throw new LiveStateFormatError(`${name}[${i}] is ${fixed / FIXED}, beyond ±${bound} degrees`);
    degrees[i] = fixed / FIXED;
  }
  return degrees;
}

function byteColumn(input: Reader, count: number, name: string, max: number): Uint8Array {
  const column = new Uint8Array(input.bytes(count, name));
  for (let i = 0; i < count; i++) {
    const value = column[i] as number;
    if (value > max) throw new LiveStateFormatError(`${name}[${i}] is ${value}, above ${max}`);
  }
  return column;
}

/** Strings written end to end, cut by their lengths (UTF-16 units): far cheaper to hand between threads than a list. */
export function splitStrings(text: string, lengths: ArrayLike<number>): string[] {
  const strings = new Array<string>(lengths.length);
  let from = 0;
  for (let i = 0; i < lengths.length; i++) {
    const to = from + (lengths[i] ?? 0);
    strings[i] = text.slice(from, to);
    from = to;
  }
  return strings;
}

/** A page of the binary format, every length, index and bound checked (LiveStateFormatError). */
export function decodeLiveStatePage(buffer: ArrayBuffer | Uint8Array): BinaryLiveStatePage {
  const input = new Reader(buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer));
  for (const expected of MAGIC)
    if (input.byte('its signature') !== expected)
      throw new LiveStateFormatError('it is not a live-state page');
  const version = input.byte('its version');
  if (version !== LIVE_STATE_BINARY_VERSION)
    throw new LiveStateFormatError(`version ${version} is not ${LIVE_STATE_BINARY_VERSION}`);
  const count = input.u32('its count');
  // Each luminaire takes at least 9 bytes (one per id and per varint, two of state and level).
  if (count > MAX_LUMINAIRES || count * 9 > input.left)
    throw new LiveStateFormatError(`its count ${count} does not fit its ${input.left} bytes`);
  const reportIntervalSeconds = input.u32('its report interval');
  if (reportIntervalSeconds < 1) throw new LiveStateFormatError('its report interval is 0 seconds');
  const [at = null] = input.strings('at', 1);
  const zones = input.strings('zones', MAX_LUMINAIRES);
  const streets = input.strings('streets', MAX_LUMINAIRES);
  const [next] = input.strings('next', 1);
  const head: LiveStatePageHead = {
    at,
    reportIntervalSeconds,
    zones,
    streets,
    ...(next === undefined ? {} : { next }),
  };
  const ids = input.strings('ids', count);
  if (ids.length !== count)
    throw new LiveStateFormatError(`it has ${ids.length} ids for ${count} luminaires`);
  const lon = positionColumn(input, count, 'lon', 180);
  const lat = positionColumn(input, count, 'lat', 90);
  const zone = varintColumn(input, new Uint32Array(count), 'zone', head.zones.length - 1);
  const street = varintColumn(input, new Uint32Array(count), 'street', head.streets.length - 1);
  const age = varintColumn(input, new Int32Array(count), 'age', 0x7fffffff, (n) => n - 1);
  const state = byteColumn(input, count, 'state', LIVE_STATES.length - 1);
  const level = byteColumn(input, count, 'level', 100);
  if (input.left > 0) throw new LiveStateFormatError(`${input.left} bytes follow its last column`);
  return { ...head, ids, lon, lat, zone, street, state, level, age };
}
