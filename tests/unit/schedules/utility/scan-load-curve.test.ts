import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import { parseUtilityReadings, parseUtilityReadingsByRow } from '#schedules/utility/readings.ts';
import { scanLoadCurve } from '#schedules/utility/scan-load-curve.ts';

const POINTS = ['30001234567890', '30009876543210'];
const options = { deliveryPoints: new Set(POINTS), timeZone: 'Europe/Paris' };
const clock = ZoneClock.of('Europe/Paris');
/** Starts a few days before each clock change of 2026, and an ordinary winter day. */
const STARTS = ['2026-03-27T23:00:00Z', '2026-10-23T22:00:00Z', '2026-01-14T23:00:00Z'].map(
  (iso) => Date.parse(iso) / 1000,
);

interface Shape {
  readonly semicolon: boolean;
  readonly french: boolean;
  readonly seconds: boolean;
  readonly crlf: boolean;
  readonly bom: boolean;
  readonly kilowatts: boolean;
  readonly extraColumn: boolean;
}

const shapes = fc.record<Shape>({
  semicolon: fc.boolean(),
  french: fc.boolean(),
  seconds: fc.boolean(),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  kilowatts: fc.boolean(),
  extraColumn: fc.boolean(),
});

function timestamp(instant: number, shape: Shape): string {
  const local = clock.format(instant);
  const [date, time] = [local.slice(0, 10), local.slice(11, shape.seconds ? 19 : 16)];
  return shape.french
    ? `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)} ${time}`
    : `${date} ${time}`;
}

/** Rows of a valid export: each point's consecutive half-hours from a start, the points interleaved. */
const validFiles = fc
  .record({
    shape: shapes,
    start: fc.constantFrom(...STARTS),
    hours: fc.integer({ min: 1, max: 150 }),
    points: fc.integer({ min: 1, max: 2 }),
    powers: fc.array(fc.integer({ min: 0, max: 250_000 }), { minLength: 1, maxLength: 50 }),
    decimals: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ shape, start, hours, points, powers, decimals }) => {
    const delimiter = shape.semicolon ? ';' : ',';
    const rows: string[][] = [];
    for (let i = 0; i < hours; i++) {
      for (let p = 0; p < points; p++) {
        const mantissa = powers[(i + p) % powers.length] as number;
        const text = decimalText(mantissa, decimals + (shape.kilowatts ? 3 : 0), shape.semicolon ? ',' : '.');
        const row = [POINTS[p] as string, timestamp(start + i * 1800, shape), text];
        rows.push(shape.extraColumn ? [...row, 'réel'] : row);
      }
    }
    const header = [
      'PDL',
      'timestamp',
      shape.kilowatts ? 'powerKw' : 'powerW',
      ...(shape.extraColumn ? ['nature'] : []),
    ];
    return { shape, delimiter, rows: [header, ...rows] };
  });

/** `mantissa` / 10^decimals written with `decimals` digits after the separator, as exports write it. */
function decimalText(mantissa: number, decimals: number, separator: string): string {
  if (decimals === 0) return String(mantissa);
  const digits = String(mantissa).padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}${separator}${digits.slice(-decimals)}`;
}

function render({ shape, delimiter, rows }: { shape: Shape; delimiter: string; rows: string[][] }): string {
  const lines = rows.map((row) => row.join(delimiter));
  return `${shape.bom ? '\uFEFF' : ''}${lines.join(shape.crlf ? '\r\n' : '\n')}\n`;
}

/** Cells the row reader refuses, or accepts in a shape the fast path leaves to it. */
const BAD_CELLS = [
  '',
  'x',
  '-4',
  '400000',
  '1,2,3',
  ' 12',
  '15/01/2026 18:10',
  '29/03/2026 02:30',
  '31/02/2026 18:00',
  '2026-01-15T18:00:00+01:00',
  '15/01/2026T18:00',
  '99999999999999',
  '3000123456789',
  '25/10/2026 02:30',
];

describe('scanLoadCurve', () => {
  it('reads every valid export as the row reader does, without falling back to it', () => {
    fc.assert(
      fc.property(validFiles, (file) => {
        const text = render(file);
        const bytes = new TextEncoder().encode(text);
        const bodyStart = bytes.indexOf(10) + 1;
        const width = file.rows[0]?.length ?? 0;
        const kilowatts = file.shape.kilowatts;
        const curves = scanLoadCurve(
          bytes,
          bodyStart,
          file.delimiter.charCodeAt(0),
          { width, pdlAt: 0, timeAt: 1, powerAt: 2, powerScale: kilowatts ? 1000 : 1 },
          {
            deliveryPoints: options.deliveryPoints,
            clock,
            intervalSeconds: 1800,
            shift: 0,
            maxRows: 1e6,
            maxPowerW: 300_000,
          },
        );
        const reference = parseUtilityReadingsByRow(text, 'c.csv', options);
        expect(reference.ok).toBe(true);
        expect(curves).not.toBeNull();
        expect(reference.ok && reference.value.kind === 'load-curve' && reference.value.curves).toEqual(
          curves,
        );
      }),
      { numRuns: 150 },
    );
  });

  it('gives the row reader’s result, problems by row and column included, for files with a bad or unusual cell', () => {
    fc.assert(
      fc.property(
        validFiles,
        fc.nat(),
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom(...BAD_CELLS, 'duplicate-row', 'short-row'),
        (file, rowSeed, column, bad) => {
          const rows = file.rows.map((row) => [...row]);
          const at = 1 + (rowSeed % (rows.length - 1));
          const row = rows[at] as string[];
          if (bad === 'duplicate-row') rows.splice(at, 0, [...row]);
          else if (bad === 'short-row') row.pop();
          else row[column] = file.delimiter === ',' ? bad.replaceAll(',', '.') : bad;
          const text = render({ ...file, rows });
          const reference = parseUtilityReadingsByRow(text, 'c.csv', options);
          expect(parseUtilityReadings(new TextEncoder().encode(text), 'c.csv', options)).toEqual(reference);
        },
      ),
      { numRuns: 300 },
    );
  });
});
