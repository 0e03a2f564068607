import { describe, expect, it } from 'vitest';
import { formatProblem } from '#schedules/problem.ts';
import { parseUtilityReadings } from '#schedules/utility/readings.ts';

const PDL = '30001234567890';
const OTHER = '30009876543210';
const options = { deliveryPoints: new Set([PDL, OTHER]) };

function problems(text: string): string[] {
  const result = parseUtilityReadings(text, 'courbe.csv', options);
  if (result.ok) throw new Error('expected problems');
  return result.problems.map(formatProblem);
}

describe('parseUtilityReadings', () => {
  it('reads a French semicolon load curve with a BOM, decimal commas and Paris local times', () => {
    const text = `\uFEFFPDL;timestamp;powerKw\r\n${PDL};15/01/2026 18:00;1,5\r\n${PDL};15/01/2026 18:30;2\r\n`;
    const result = parseUtilityReadings(text, 'courbe.csv', options);
    expect(result).toEqual({
      ok: true,
      value: {
        kind: 'load-curve',
        intervalSeconds: 1800,
        curves: new Map([
          [
            PDL,
            {
              starts: Float64Array.of(
                Date.parse('2026-01-15T17:00:00Z') / 1000,
                Date.parse('2026-01-15T17:30:00Z') / 1000,
              ),
              powerW: Float64Array.of(1500, 2000),
            },
          ],
        ]),
      },
    });
  });

  it('reads a comma load curve with ISO times carrying their offset', () => {
    const text = `deliveryPointId,timestamp,powerW\n${PDL},2026-07-01T22:00:00+02:00,"1200,5"\n`;
    const result = parseUtilityReadings(text, 'c.csv', options);
    expect(result.ok && result.value.kind === 'load-curve' && result.value.curves.get(PDL)).toEqual({
      starts: Float64Array.of(Date.parse('2026-07-01T20:00:00Z') / 1000),
      powerW: Float64Array.of(1200.5),
    });
  });

  it('reads the repeated autumn hour as summer time first, winter time second', () => {
    const text = `PDL;timestamp;powerW\n${PDL};25/10/2026 02:30;100\n${PDL};25/10/2026 02:30;200\n`;
    const result = parseUtilityReadings(text, 'c.csv', options);
    if (!result.ok || result.value.kind !== 'load-curve') throw new Error('expected a load curve');
    expect(result.value.curves.get(PDL)?.starts).toEqual(
      Float64Array.of(Date.parse('2026-10-25T00:30:00Z') / 1000, Date.parse('2026-10-25T01:30:00Z') / 1000),
    );
  });

  it('shifts timestamps marking the end of their interval to its start', () => {
    const text = `PDL;timestamp;powerW\n${PDL};15/01/2026 18:00;100\n`;
    const result = parseUtilityReadings(text, 'c.csv', { ...options, timestampMarks: 'end' });
    expect(result.ok && result.value.kind === 'load-curve' && result.value.curves.get(PDL)?.starts[0]).toBe(
      Date.parse('2026-01-15T16:30:00Z') / 1000,
    );
  });

  it('names every problem by row and column and returns nothing', () => {
    const text = [
      'PDL;timestamp;powerW',
      `${PDL};29/03/2026 02:30;100`,
      '123;15/01/2026 18:00;100',
      `${PDL};31/02/2026 18:00;100`,
      `${PDL};15/01/2026 18:00;-4`,
      `${PDL};15/01/2026 18:10;4`,
      `${PDL};15/01/2026 19:00;4`,
      `${PDL};15/01/2026 19:00;5`,
      `${PDL};15/01/2026 20:00`,
      `99999999999999;15/01/2026 18:00;100`,
    ].join('\n');
    expect(problems(text)).toEqual([
      'courbe.csv: row 2, column timestamp: 29/03/2026 02:30 does not exist in Europe/Paris (skipped by the clock change)',
      'courbe.csv: row 3, column PDL: deliveryPointId must be 14 digits (PDL/PRM)',
      'courbe.csv: row 4, column timestamp: expected a time dd/mm/yyyy HH:MM, yyyy-mm-dd HH:MM or ISO 8601 with an offset',
      'courbe.csv: row 5, column powerW: power must be ≥ 0',
      'courbe.csv: row 6, column timestamp: not on a 30-minute boundary',
      'courbe.csv: row 8, column timestamp: a second reading for this delivery point at 15/01/2026 19:00',
      'courbe.csv: row 9: expected 3 fields as in the header, found 2',
      'courbe.csv: row 10, column PDL: delivery point 99999999999999 is not in the inventory (no cabinet names it)',
    ]);
  });

  it('reports a header that is neither a load curve nor index readings', () => {
    expect(problems('PDL;when;kwh\n')).toEqual([
      expect.stringMatching(/^courbe\.csv: row 1: the header must name deliveryPointId/),
    ]);
  });

  it('reads index readings with French dates and refuses a second index on one date', () => {
    const good = parseUtilityReadings(`PRM;date;indexKwh\n${OTHER};01/02/2026;1234,5\n`, 'i.csv', options);
    expect(good).toEqual({
      ok: true,
      value: { kind: 'index', readings: [{ deliveryPointId: OTHER, date: '2026-02-01', indexKwh: 1234.5 }] },
    });
    const text = `PRM,date,indexKwh\n${OTHER},2026-02-01,10\n${OTHER},01/02/2026,12\n${OTHER},2026-02-30,x\n`;
    expect(problems(text)).toEqual([
      'courbe.csv: row 3, column date: a second index for 30009876543210 on 2026-02-01',
      'courbe.csv: row 4, column indexKwh: indexKwh must be a number',
    ]);
  });
});
