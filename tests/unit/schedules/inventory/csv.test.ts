import { describe, expect, it } from 'vitest';
import { parseCsvInventory, toCsv } from '#schedules/inventory/index.ts';
import { formatProblem } from '#schedules/problem.ts';

const HEADER = 'id,lat,lon,street,zone,ledWatts,baselineWatts,minLevel';

function problemLines(text: string): string[] {
  const result = parseCsvInventory(text, 'luminaires.csv');
  if (result.ok) throw new Error('expected problems');
  return result.problems.map(formatProblem);
}

describe('parseCsvInventory', () => {
  it('reads luminaires with quoted fields, columns in any order and an empty minLevel as 0', () => {
    const text = [
      'zone,id,street,lat,lon,baselineWatts,ledWatts,minLevel',
      'cite,L-1,"Rue Cros-Mayrevieille, haut",43.2065,2.3636,150,40,',
      'bastide,L-2,"Place ""Carnot""",43.2126,2.3519,250,70,10',
    ].join('\r\n');
    const result = parseCsvInventory(text, 'luminaires.csv');
    expect(result).toEqual({
      ok: true,
      value: [
        {
          id: 'L-1',
          lat: 43.2065,
          lon: 2.3636,
          street: 'Rue Cros-Mayrevieille, haut',
          zone: 'cite',
          ledWatts: 40,
          baselineWatts: 150,
          minLevel: 0,
          thingName: 'L-1',
        },
        {
          id: 'L-2',
          lat: 43.2126,
          lon: 2.3519,
          street: 'Place "Carnot"',
          zone: 'bastide',
          ledWatts: 70,
          baselineWatts: 250,
          minLevel: 10,
          thingName: 'L-2',
        },
      ],
    });
  });

  it('keeps a line break inside a quoted field and counts rows as records', () => {
    const text = `${HEADER}\nA,43.2,2.35,"rue de\nVerdun",bastide,40,100,0\nB,95,2.35,rue,bastide,40,100,0\n`;
    expect(problemLines(text)).toEqual(['luminaires.csv: row 3, column lat: latitude must be -90..90']);
  });

  it('reads semicolon-separated exports (French spreadsheets) and a byte-order mark', () => {
    const text = `\uFEFF${HEADER.replaceAll(',', ';')}\nA;43.2;2.35;rue de Verdun;bastide;40;100;0\n`;
    const result = parseCsvInventory(text, 'luminaires.csv');
    expect(result.ok && result.value.map((l) => [l.id, l.street, l.ledWatts])).toEqual([
      ['A', 'rue de Verdun', 40],
    ]);
  });

  it('reports every bad cell naming the file, the row (header = row 1) and the column', () => {
    const text = [
      HEADER,
      'A,43.2,2.35,rue,bastide,40,100,0',
      'B,43.2,200,rue,bastide,abc,100,0',
      'C,43.2,2.35,,bastide,"60,5",-3,101',
      'A,95,2.35,rue,bastide,40,100,0',
    ].join('\n');
    expect(problemLines(text)).toEqual([
      'luminaires.csv: row 3, column lon: longitude must be -180..180',
      'luminaires.csv: row 3, column ledWatts: expected a number, got "abc"',
      'luminaires.csv: row 4, column street: required value is missing',
      'luminaires.csv: row 4, column ledWatts: expected a number, got "60,5" (use a dot as the decimal separator)',
      'luminaires.csv: row 4, column baselineWatts: baselineWatts must be > 0 W',
      'luminaires.csv: row 4, column minLevel: minLevel must be 0..100',
      'luminaires.csv: row 5, column lat: latitude must be -90..90',
      'luminaires.csv: row 5, column id: duplicate id "A" (also at row 2)',
    ]);
  });

  it('reports a row whose field count differs from the header', () => {
    expect(problemLines(`${HEADER}\nA,43.2,2.35\n`)).toEqual([
      'luminaires.csv: row 2: expected 8 fields as in the header, found 3',
    ]);
  });

  it('reports unknown, repeated and missing columns in the header', () => {
    expect(problemLines('id,lat,lon,rue,zone,ledWatts,zone,baselineWatts\n')).toEqual([
      'luminaires.csv: row 1, column "rue": unknown column (known: id, lat, lon, street, zone, ledWatts, baselineWatts, minLevel, thingName, cabinet, controller)',
      'luminaires.csv: row 1, column "zone": column appears twice',
      'luminaires.csv: row 1: missing column street',
    ]);
  });

  it('reports an empty file and broken quoting with the row', () => {
    expect(problemLines('')).toEqual([
      'luminaires.csv: row 1: no header row (expected columns id,lat,lon,street,zone,ledWatts,baselineWatts,minLevel,thingName,cabinet,controller)',
    ]);
    const unclosed = problemLines(`${HEADER}\nA,43.2,2.35,"rue,bastide,40,100,0\n`);
    expect(unclosed).toHaveLength(1);
    expect(unclosed[0]).toMatch(/^luminaires\.csv: row 2: Quote Not Closed/);
  });

  it('refuses two ids whose default thing names collide, naming both luminaires', () => {
    const text = [HEADER, 'A/1,43.2,2.35,rue,bastide,40,100,0', 'A_1,43.2,2.35,rue,cite,40,100,0'].join('\n');
    expect(problemLines(text)).toEqual([
      'luminaires.csv: row 3, column id: thing name "A_1" (derived from id "A_1") is already the device of luminaire "A/1" (at row 2)',
    ]);
  });

  it('refuses a thing name given to two luminaires of one file', () => {
    const text = [
      `${HEADER},thingName`,
      'A,43.2,2.35,rue,bastide,40,100,0,dev-1',
      'B,43.2,2.35,rue,cite,40,100,0,dev-1',
    ].join('\n');
    expect(problemLines(text)).toEqual([
      'luminaires.csv: row 3, column thingName: thing name "dev-1" is already the device of luminaire "A" (at row 2)',
    ]);
  });

  it('rejects a thing name AWS IoT would refuse', () => {
    expect(problemLines(`${HEADER},thingName\nA,43.2,2.35,rue,bastide,40,100,0,lamp #1\n`)).toEqual([
      'luminaires.csv: row 2, column thingName: thing name must be 1-128 characters of [a-zA-Z0-9:_-]',
    ]);
  });
});

describe('toCsv', () => {
  it('quotes every field holding a separator, a quote or a line break, as RFC 4180 readers need', () => {
    const luminaire = {
      id: 'L-1',
      lat: 43.2,
      lon: 2.35,
      street: 'a\rb',
      zone: 'x;"y"',
      ledWatts: 40,
      baselineWatts: 100,
      minLevel: 0,
      thingName: 'L-1',
    };
    expect(toCsv([luminaire])).toBe(
      'id,lat,lon,street,zone,ledWatts,baselineWatts,minLevel,thingName,cabinet,controller\nL-1,43.2,2.35,"a\rb","x;""y""",40,100,0,L-1,,\n',
    );
  });
});
