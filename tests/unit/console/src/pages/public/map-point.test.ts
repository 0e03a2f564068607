import { describe, expect, it } from 'vitest';
import { nearestPole, pointText, polesBounds, polesOf } from '#console/src/pages/public/map-point.ts';

const feature = (id: string | undefined, coordinates: number[] | undefined) => ({
  ...(id === undefined ? {} : { id }),
  geometry: coordinates === undefined ? undefined : { type: 'Point', coordinates },
  properties: { puissance: 30 },
});

describe('polesOf', () => {
  it('keeps the number and position of each EclExt point, skipping a feature without either', () => {
    const poles = polesOf({
      features: [
        feature('L-0001', [2.3671, 43.2066]),
        feature(undefined, [2.3, 43.2]),
        feature('L-0002', undefined),
      ],
    });
    expect(poles).toEqual([{ id: 'L-0001', lat: 43.2066, lon: 2.3671 }]);
  });
});

describe('nearestPole', () => {
  const poles = [
    { id: 'L-0002', lat: 43.2, lon: 2.35 },
    { id: 'L-0001', lat: 43.201, lon: 2.35 },
  ];

  it('names the nearest pole and its distance in whole metres', () => {
    expect(nearestPole(poles, { lat: 43.2002, lon: 2.35 })).toEqual({ pole: poles[0], metres: 22 });
  });

  it('names none when every pole is farther than the API accepts', () => {
    expect(nearestPole(poles, { lat: 43.21, lon: 2.35 })).toBeUndefined();
    expect(nearestPole([], { lat: 43.2, lon: 2.35 })).toBeUndefined();
  });
});

describe('pointText', () => {
  it('writes a point to about a metre, latitude first', () => {
    expect(pointText({ lat: 43.2066361, lon: 2.3671372 })).toBe('43.20664, 2.36714');
  });
});

describe('polesBounds', () => {
  it('gives the poles box west-south then east-north, none without poles', () => {
    expect(
      polesBounds([
        { id: 'a', lat: 43.1, lon: 2.4 },
        { id: 'b', lat: 43.3, lon: 2.2 },
      ]),
    ).toEqual([
      [2.2, 43.1],
      [2.4, 43.3],
    ]);
    expect(polesBounds([])).toBeUndefined();
  });
});
