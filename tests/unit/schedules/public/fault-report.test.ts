import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { movedLegacyPoint } from '#schedules/public/fault-report.ts';

describe("a legacy fault report's map point in the alarm text", () => {
  it('is moved out of the text, which names the nearest poles without their distances', () => {
    expect(
      movedLegacyPoint(
        'lamp flickers all night [point 43.20681, 2.36442; nearest: L-0001 (12 m), L-0002 (31 m)]',
      ),
    ).toEqual({
      detail: 'lamp flickers all night [map point; nearest: L-0001, L-0002]',
      point: { lat: 43.20681, lon: 2.36442 },
    });
    expect(movedLegacyPoint('dark since Monday [point -3.5, -70.25]')).toEqual({
      detail: 'dark since Monday [map point]',
      point: { lat: -3.5, lon: -70.25 },
    });
  });

  it('leaves a text of the current form, or one a resident wrote, unchanged', () => {
    for (const detail of [
      'lamp flickers [map point; nearest: L-0001, L-0002]',
      'dark [pole not identified: street only]',
      'the [point] is broken',
    ]) {
      expect(movedLegacyPoint(detail)).toEqual({ detail });
    }
  });

  it('never leaves a coordinate or a distance in the text, whatever the description', () => {
    const coordinate = fc.double({ min: -180, max: 180, noNaN: true }).map((x) => x.toFixed(5));
    fc.assert(
      fc.property(
        fc.string({ minLength: 3, maxLength: 60 }),
        coordinate,
        coordinate,
        fc.array(fc.tuple(fc.stringMatching(/^L-\d{4}$/), fc.nat(300)), { maxLength: 3 }),
        (description, lat, lon, near) => {
          const nearest =
            near.length === 0 ? '' : `; nearest: ${near.map(([id, m]) => `${id} (${m} m)`).join(', ')}`;
          const moved = movedLegacyPoint(`${description} [point ${lat}, ${lon}${nearest}]`);
          expect(moved.point).toEqual({ lat: Number(lat), lon: Number(lon) });
          expect(moved.detail.startsWith(description)).toBe(true);
          const suffix = moved.detail.slice(description.length);
          expect(suffix).not.toContain(lat);
          expect(suffix).not.toContain(lon);
          expect(suffix).not.toMatch(/\d+ m\)/);
        },
      ),
    );
  });
});
