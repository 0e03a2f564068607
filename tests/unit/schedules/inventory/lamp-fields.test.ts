import { describe, expect, it } from 'vitest';
import { parseCsvInventory, parseGeoJsonInventory, toCsv, toGeoJson } from '#schedules/inventory/index.ts';
import { formatProblem } from '#schedules/problem.ts';

const HEADER = 'id,lat,lon,street,zone,ledWatts,baselineWatts';
const ROW = 'L-1,43.2,2.35,Rue Trivalle,cite,40,150';

function csvProblems(text: string): string[] {
  const result = parseCsvInventory(text, 'luminaires.csv');
  if (result.ok) throw new Error('expected problems');
  return result.problems.map(formatProblem);
}

describe('the light-nuisance order fields of a luminaire', () => {
  it('are read from CSV columns, numbers as numbers, and written back unchanged', () => {
    const csv = `${HEADER},usage,colourTemperatureK,fluxLm,upwardLightRatioPercent,installedOn\n${ROW},b,3000,4200.5,0.5,2021-03-15\n`;
    const parsed = parseCsvInventory(csv, 'in.csv');
    expect(parsed).toMatchObject({
      ok: true,
      value: [
        {
          usage: 'b',
          colourTemperatureK: 3000,
          fluxLm: 4200.5,
          upwardLightRatioPercent: 0.5,
          installedOn: '2021-03-15',
        },
      ],
    });
    if (!parsed.ok) return;
    expect(parseCsvInventory(toCsv(parsed.value), 'out.csv')).toEqual(parsed);
    expect(parseGeoJsonInventory(JSON.stringify(toGeoJson(parsed.value)), 'out.geojson')).toEqual(parsed);
  });

  it('may be left out or left empty, and absent ones export as empty cells, never "undefined"', () => {
    const parsed = parseCsvInventory(`${HEADER},usage,fluxLm\n${ROW},,\n`, 'in.csv');
    expect(parsed.ok && parsed.value[0]).not.toHaveProperty('usage');
    if (!parsed.ok) return;
    const exported = toCsv(parsed.value);
    expect(exported).not.toContain('undefined');
    expect(exported.split('\n')[1]).toBe(`${ROW},0,L-1,,,,,,,`);
  });

  it('are refused out of their plausible ranges, naming the row and the column', () => {
    const csv = `${HEADER},usage,colourTemperatureK,fluxLm,upwardLightRatioPercent,installedOn\n${ROW},h,500,0,101,2023-02-30\n`;
    expect(csvProblems(csv)).toEqual([
      'luminaires.csv: row 2, column usage: usage must be one of a, b, c, d, e, f, g (category of the order, art. 1)',
      'luminaires.csv: row 2, column colourTemperatureK: colourTemperatureK must be 1000..10000 K',
      'luminaires.csv: row 2, column fluxLm: fluxLm must be > 0 lm',
      'luminaires.csv: row 2, column upwardLightRatioPercent: upwardLightRatioPercent must be 0..100',
      'luminaires.csv: row 2, column installedOn: installedOn must be a calendar date "YYYY-MM-DD"',
    ]);
  });

  it('refuse a colour temperature with decimals and an installation date out of 1900..2100', () => {
    const csv = `${HEADER},colourTemperatureK,installedOn\n${ROW},2999.5,1850-06-01\n`;
    expect(csvProblems(csv)).toEqual([
      'luminaires.csv: row 2, column colourTemperatureK: colourTemperatureK must be a whole number',
      'luminaires.csv: row 2, column installedOn: installedOn must be 1900-01-01..2100-12-31',
    ]);
  });

  it('are read from GeoJSON properties, a text number refused', () => {
    const document = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [2.35, 43.2] },
          properties: { id: 'L-1', street: 's', zone: 'z', ledWatts: 40, baselineWatts: 150, fluxLm: '4000' },
        },
      ],
    };
    const result = parseGeoJsonInventory(JSON.stringify(document), 'in.geojson');
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      'in.geojson: features[0].properties.fluxLm: expected a number, got "4000"',
    ]);
  });
});
