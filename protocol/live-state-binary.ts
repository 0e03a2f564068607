import { LIVE_STATES, LiveStatePageHead } from './live-state.ts';
import type { LiveStatePage } from './live-state-page.ts';

/**
 * `GET /luminaires/state` as `application/octet-stream`: the same page as the JSON one in under half
 * the bytes, read without a JSON parse of 200,000 entries (what the console's map asks
 * for). Little-endian, in order:
 * - the 4 bytes `LST` and the format's version (1);
 * - u32 the luminaires in the page, u32 the byte length of the head, the head (UTF-8 JSON of
 *   LiveStatePageHead: at, report interval, zones, streets, next);
 * - u32 the byte length of the ids, the ids end to end (UTF-8);
 * - per luminaire, column after column, unsigned LEB128 varints: each id's length (UTF-16 units),
 *   lon then lat in 1e-5 degrees (what the snapshot stores) as zigzag deltas from the previous
 *   luminaire's (neighbours on a street are metres apart: a byte or two), zone, street, age + 1;
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
const MAX_ID_LENGTH = 64;

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
  /** Length-prefixed UTF-8. */
  text(value: string): void {
    const bytes = new TextEncoder().encode(value);
    this.u32(bytes.length);
    this.#room(bytes.length);
    this.#bytes.set(bytes, this.length);
    this.length += bytes.length;
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
  const { at, reportIntervalSeconds, zones, streets, next } = page;
  out.text(JSON.stringify({ at, reportIntervalSeconds, zones, streets, next }));
  out.text(page.ids.join(''));
  for (const id of page.ids) out.varint(id.length);
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
  /** An unsigned varint of at most 5 bytes below 2^32. */
  varint(what: string): number {
    let value = 0;
    let scale = 1;
    for (let k = 0; k < 5; k++) {
      const byte = this.at < this.#bytes.length ? (this.#bytes[this.at++] as number) : -1;
      if (byte < 0) throw new LiveStateFormatError(`it ends inside ${what}`);
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (value > 0xffffffff) break;
        return value;
      }
      scale *= 0x80;
    }
    throw new LiveStateFormatError(`${what} is not a varint below 2^32`);
  }
  text(what: string): string {
    const length = this.u32(`the length of ${what}`);
    this.#need(length, what);
    const bytes = this.#bytes.subarray(this.at, this.at + length);
    this.at += length;
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new LiveStateFormatError(`${what} is not UTF-8`);
    }
  }
  /** Bytes of one column, as they are (no copy). */
  bytes(count: number, what: string): Uint8Array {
    this.#need(count, what);
    this.at += count;
    return this.#bytes.subarray(this.at - count, this.at);
  }
}

function headOf(text: string): LiveStatePageHead {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new LiveStateFormatError('its head is not JSON');
  }
  const parsed = LiveStatePageHead.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LiveStateFormatError(`head.${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
  }
  return parsed.data;
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
    const value = input.varint(`${name}[${i}]`);
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
    fixed += unzigzag(input.varint(`${name}[${i}]`));
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

/** Ids written end to end, cut by their lengths (UTF-16 units): far cheaper to hand between threads. */
export function splitIds(text: string, lengths: ArrayLike<number>): string[] {
  const ids = new Array<string>(lengths.length);
  let from = 0;
  for (let i = 0; i < lengths.length; i++) {
    const to = from + (lengths[i] ?? 0);
    ids[i] = text.slice(from, to);
    from = to;
  }
  return ids;
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
  const head = headOf(input.text('the head'));
  const idText = input.text('the ids');
  const idLengths = new Uint8Array(count);
  let idUnits = 0;
  for (let i = 0; i < count; i++) {
    const length = input.varint(`ids[${i}]`);
    if (length < 1 || length > MAX_ID_LENGTH)
      throw new LiveStateFormatError(`ids[${i}] has ${length} characters, not 1 to ${MAX_ID_LENGTH}`);
    idLengths[i] = length;
    idUnits += length;
  }
  if (idUnits !== idText.length)
    throw new LiveStateFormatError(`the ids' lengths add up to ${idUnits}, their text has ${idText.length}`);
  const ids = splitIds(idText, idLengths);
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
