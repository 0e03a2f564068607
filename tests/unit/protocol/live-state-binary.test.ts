import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIVE_STATES } from '#protocol/live-state.ts';
import {
  type BinaryLiveStatePage,
  decodeLiveStatePage,
  encodeLiveStatePage,
  LiveStateFormatError,
} from '#protocol/live-state-binary.ts';
import { LiveStatePage } from '#protocol/live-state-page.ts';
import { twoLuminaires } from '#tests/support/protocol/live-state.ts';

/** Degrees on the snapshot's 1e-5 grid, as the store rounds them. */
const degrees = (bound: number) =>
  fc.integer({ min: -bound * 1e5, max: bound * 1e5 }).map((fixed) => fixed / 1e5);

const pages: fc.Arbitrary<LiveStatePage> = fc
  .record({
    at: fc.option(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      { nil: null },
    ),
    reportIntervalSeconds: fc.integer({ min: 1, max: 86_400 }),
    zones: fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }), {
      minLength: 1,
      maxLength: 4,
    }),
    streets: fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }), {
      minLength: 1,
      maxLength: 8,
    }),
    next: fc.option(fc.string({ minLength: 1, maxLength: 200 }), { nil: undefined }),
    count: fc.nat({ max: 40 }),
  })
  .chain(({ count, next, ...head }) => {
    const column = <T>(entry: fc.Arbitrary<T>) => fc.array(entry, { minLength: count, maxLength: count });
    return fc.record({
      ...Object.fromEntries(Object.entries(head).map(([key, value]) => [key, fc.constant(value)])),
      ...(next === undefined ? {} : { next: fc.constant(next) }),
      ids: column(fc.string({ unit: 'binary', minLength: 1, maxLength: 32 })),
      lon: column(degrees(180)),
      lat: column(degrees(90)),
      zone: column(fc.nat({ max: head.zones.length - 1 })),
      street: column(fc.nat({ max: head.streets.length - 1 })),
      state: column(fc.nat({ max: LIVE_STATES.length - 1 })),
      level: column(fc.nat({ max: 100 })),
      age: column(fc.integer({ min: -1, max: 2_000_000_000 })),
    }) as fc.Arbitrary<LiveStatePage>;
  });

/** The decoded page with its typed columns as plain arrays, to compare with the JSON page. */
const plain = (page: BinaryLiveStatePage) =>
  Object.fromEntries(
    Object.entries(page).map(([key, value]) => [
      key,
      ArrayBuffer.isView(value) ? Array.from(value as never) : value,
    ]),
  );

const formatError = (bytes: Uint8Array) => {
  try {
    decodeLiveStatePage(bytes);
  } catch (error) {
    if (error instanceof LiveStateFormatError) return error.message;
    throw error;
  }
  return undefined;
};

describe('binary live-state page', () => {
  it('decodes to the page it encodes', () => {
    fc.assert(
      fc.property(pages, (page) => {
        expect(plain(decodeLiveStatePage(encodeLiveStatePage(page)))).toEqual(page);
      }),
    );
  });

  it('takes under half the bytes of the JSON page for a street of luminaires', () => {
    const count = 1_000;
    const page = {
      ...twoLuminaires,
      ids: Array.from({ length: count }, (_, i) => `CARC-${String(i).padStart(6, '0')}`),
      lon: Array.from({ length: count }, (_, i) => Math.round((2.35 + i * 2e-4) * 1e5) / 1e5),
      lat: Array.from({ length: count }, (_, i) => Math.round((43.21 + (i % 7) * 1e-5) * 1e5) / 1e5),
      zone: new Array(count).fill(0),
      street: new Array(count).fill(0),
      state: new Array(count).fill(2),
      level: new Array(count).fill(70),
      age: Array.from({ length: count }, (_, i) => (i * 7) % 900),
    };
    const binary = encodeLiveStatePage(page).length;
    expect(binary).toBeLessThan(JSON.stringify(page).length / 2);
  });

  it('refuses every truncated page', () => {
    fc.assert(
      fc.property(
        pages.chain((page) => {
          const bytes = encodeLiveStatePage(page);
          return fc.tuple(fc.constant(bytes), fc.nat({ max: bytes.length - 1 }));
        }),
        ([bytes, length]) => {
          expect(formatError(bytes.subarray(0, length))).toBeDefined();
        },
      ),
    );
  });

  it('answers a corrupted page with a format error or a page within every bound, never anything else', () => {
    fc.assert(
      fc.property(
        pages.chain((page) => {
          const bytes = encodeLiveStatePage(page);
          return fc.tuple(
            fc.constant(bytes),
            fc.nat({ max: bytes.length - 1 }),
            fc.integer({ min: 1, max: 255 }),
          );
        }),
        ([bytes, at, flip]) => {
          const corrupt = bytes.slice();
          corrupt[at] = (corrupt[at] ?? 0) ^ flip;
          if (formatError(corrupt) === undefined) {
            const page = plain(decodeLiveStatePage(corrupt));
            expect(LiveStatePage.safeParse(page).success).toBe(true);
          }
        },
      ),
    );
  });

  it.each([
    ['another signature', (b: Uint8Array) => b.set([0x7b], 0), 'not a live-state page'],
    ['another version', (b: Uint8Array) => b.set([2], 3), 'version 2 is not 1'],
    ['a count beyond its bytes', (b: Uint8Array) => b.set([0xff, 0xff, 0xff, 0x7f], 4), 'does not fit'],
  ])('refuses %s', (_, corrupt, message) => {
    const bytes = encodeLiveStatePage(twoLuminaires);
    corrupt(bytes);
    expect(formatError(bytes)).toContain(message);
  });

  it('refuses bytes after the last column', () => {
    const bytes = encodeLiveStatePage(twoLuminaires);
    expect(formatError(new Uint8Array([...bytes, 0]))).toContain('1 bytes follow its last column');
  });

  it.each([
    ['zone', { zone: [0, 1] }, 'zone[1] is 1, above 0'],
    ['street', { street: [3, 0] }, 'street[0] is 3, above 0'],
    ['lat', { lat: [43.2, 91] }, 'lat[1] is 91, beyond ±90 degrees'],
    ['level', { level: [101, 0] }, 'level[0] is 101, above 100'],
    ['state', { state: [2, LIVE_STATES.length] }, `state[1] is ${LIVE_STATES.length}, above 4`],
    ['the report interval', { reportIntervalSeconds: 0 }, 'its report interval is 0 seconds'],
    ['zones', { zones: ['z'.repeat(129)] }, 'zones[0] has 129 characters'],
    ['ids', { ids: ['L-1', 'x'.repeat(65)] }, 'ids[1] has 65 characters'],
  ])('refuses an entry out of bounds in %s, naming it', (_, change, message) => {
    expect(formatError(encodeLiveStatePage({ ...twoLuminaires, ...change }))).toContain(message);
  });
});
