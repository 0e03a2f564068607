import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METRES_PER_DEGREE } from '#schedules/geo.ts';
import {
  affectedLuminaires,
  boostFor,
  buildPresenceIndex,
  detectionTiming,
  distanceMeters,
  extendBoost,
  extendThreshold,
  PresencePolicy,
} from '#schedules/index.ts';
import { luminaire } from '#tests/support/schedules/fixtures.ts';

const policy = PresencePolicy.parse({
  radiusMeters: 60,
  streetRadiusMeters: 150,
  holdSeconds: 120,
  level: 100,
});
/** About 1 m of latitude, in degrees. */
const M = 1 / METRES_PER_DEGREE;
const ORIGIN = { lat: 43.213, lon: 2.3491 };

describe('presence: which luminaires boost', () => {
  const near = luminaire({ lat: ORIGIN.lat + 30 * M, street: 'Rue A' });
  const sameStreetFar = luminaire({ lat: ORIGIN.lat + 120 * M, street: 'Rue A' });
  const otherStreetFar = luminaire({ lat: ORIGIN.lat + 120 * M, street: 'Rue B' });
  const sameStreetTooFar = luminaire({ lat: ORIGIN.lat + 400 * M, street: 'Rue A' });
  const index = buildPresenceIndex([sameStreetTooFar, otherStreetFar, sameStreetFar, near]);

  it('boosts luminaires within the radius, and those of the same street within the street radius, nearest first', () => {
    const found = affectedLuminaires(policy, { ...ORIGIN, street: 'Rue A', ts: 0 }, index);
    expect(found.map((f) => f.luminaire.id)).toEqual([near.id, sameStreetFar.id]);
    expect(found[0]?.distanceMeters).toBeCloseTo(30, 0);
  });

  it('uses the radius only without a street or with sameStreet off', () => {
    expect(affectedLuminaires(policy, { ...ORIGIN, ts: 0 }, index).map((f) => f.luminaire.id)).toEqual([
      near.id,
    ]);
    const noCorridor = PresencePolicy.parse({ ...policy, sameStreet: false });
    expect(affectedLuminaires(noCorridor, { ...ORIGIN, street: 'Rue A', ts: 0 }, index)).toHaveLength(1);
  });

  it('finds through the grid index exactly what a scan of every luminaire finds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -800, max: 800 }), fc.integer({ min: -800, max: 800 })), {
          maxLength: 60,
        }),
        fc.tuple(fc.integer({ min: -900, max: 900 }), fc.integer({ min: -900, max: 900 })),
        fc.integer({ min: 0, max: 400 }),
        (positions, [dy, dx], radius) => {
          const luminaires = positions.map(([y, x]) =>
            luminaire({ lat: ORIGIN.lat + y * M, lon: ORIGIN.lon + x * M * 1.37, street: 'S' }),
          );
          const idx = buildPresenceIndex(luminaires, 50);
          const detection = { lat: ORIGIN.lat + dy * M, lon: ORIGIN.lon + dx * M * 1.37, ts: 0 };
          const p = PresencePolicy.parse({ radiusMeters: radius, sameStreet: false });
          const expected = luminaires
            .filter((l) => distanceMeters(idx, detection.lat, detection.lon, l.lat, l.lon) <= radius)
            .map((l) => l.id)
            .sort();
          expect(
            affectedLuminaires(p, detection, idx)
              .map((f) => f.luminaire.id)
              .sort(),
          ).toEqual(expected);
        },
      ),
    );
  });
});

describe('presence: the boost', () => {
  const night = {
    on: 1000,
    off: 20_000,
    transitions: [
      { at: 1000, level: 100 },
      { at: 5000, level: 30 },
      { at: 8000, level: 0 },
      { at: 15_000, level: 70 },
      { at: 20_000, level: 0 },
    ],
  };

  it('raises the light to the policy level for the hold time', () => {
    expect(boostFor(policy, 6000, night)).toEqual({ level: 100, until: 6120, fadeSeconds: 3 });
  });

  it('never boosts below the planned level or the luminaire minimum, and skips a boost that changes nothing', () => {
    const dim = PresencePolicy.parse({ ...policy, level: 50 });
    expect(boostFor(dim, 2000, night)).toBeNull();
    expect(boostFor(dim, 6000, night)?.level).toBe(50);
    expect(boostFor(dim, 6000, night, 60)?.level).toBe(60);
    expect(boostFor(PresencePolicy.parse({ ...policy, level: 70 }), 14_950, night)).toBeNull();
  });

  it('relights during extinction, or not, as the policy says', () => {
    expect(boostFor(policy, 9000, night)?.level).toBe(100);
    expect(boostFor(PresencePolicy.parse({ ...policy, duringExtinction: 'ignore' }), 9000, night)).toBeNull();
  });

  it('ends a boost where an extinction begins when the policy ignores presence during extinction', () => {
    const ignore = PresencePolicy.parse({ ...policy, duringExtinction: 'ignore' });
    expect(boostFor(ignore, 7950, night)).toEqual({ level: 100, until: 8000, fadeSeconds: 3 });
    expect(boostFor(policy, 7950, night)?.until).toBe(8070);
  });

  it('holds at most the hold time from now, and boosts nothing once the hold is over', () => {
    expect(boostFor(policy, 6030, night, 0, 6000)?.until).toBe(6120);
    expect(boostFor(policy, 5900, night, 0, 6000)?.until).toBe(6020);
    expect(boostFor(policy, 5880, night, 0, 6000)).toBeNull();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 25_000 }),
        fc.integer({ min: -86_400, max: 86_400 }),
        (now, skew) => {
          const boost = boostFor(policy, now + skew, night, 0, now);
          return boost === null || (boost.until > now && boost.until <= now + policy.holdSeconds);
        },
      ),
    );
  });

  it('does nothing in daylight or on a night the luminaire is not lit, and does not hold past off', () => {
    expect(boostFor(policy, 500, night)).toBeNull();
    expect(boostFor(policy, 20_000, night)).toBeNull();
    expect(boostFor(policy, 3000, { on: null, off: null, transitions: [] })).toBeNull();
    expect(boostFor(policy, 19_950, night)?.until).toBe(20_000);
  });

  it('extends a running boost only when the new end is later by more than the threshold, or the level rises', () => {
    const stored = { level: 100, until: 1120, fadeSeconds: 3 };
    const threshold = extendThreshold(policy);
    expect(threshold).toBe(30);
    expect(extendBoost(stored, { level: 100, until: 1140, fadeSeconds: 3 }, 1020, threshold)).toEqual({
      update: false,
      boost: stored,
    });
    expect(extendBoost(stored, { level: 100, until: 1160, fadeSeconds: 3 }, 1040, threshold)).toEqual({
      update: true,
      boost: { level: 100, until: 1160, fadeSeconds: 3 },
    });
    expect(
      extendBoost({ ...stored, level: 60 }, { level: 80, until: 1100, fadeSeconds: 3 }, 1000, threshold),
    ).toEqual({
      update: true,
      boost: { level: 80, until: 1120, fadeSeconds: 3 },
    });
    expect(extendBoost(null, stored, 1000, threshold).update).toBe(true);
    expect(extendBoost(stored, { level: 50, until: 1300, fadeSeconds: 3 }, 1200, threshold)).toEqual({
      update: true,
      boost: { level: 50, until: 1300, fadeSeconds: 3 },
    });
  });

  it('sends at most one update per quarter hold while a person lingers under a sensor', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 200 }), (gaps) => {
        let ts = 0;
        let stored = boostFor(policy, ts, { on: 0, off: 1e9, transitions: [{ at: 0, level: 30 }] });
        let updates = 0;
        for (const gap of gaps) {
          ts += gap;
          const next = boostFor(policy, ts, { on: 0, off: 1e9, transitions: [{ at: 0, level: 30 }] });
          if (next === null || stored === null) throw new Error('expected boosts');
          const result = extendBoost(stored, next, ts, extendThreshold(policy));
          if (result.update) updates++;
          stored = result.boost;
          expect(stored.until).toBeGreaterThan(ts);
        }
        expect(updates).toBeLessThanOrEqual(Math.ceil(ts / extendThreshold(policy)));
      }),
    );
  });
});

describe('presence: when a detection is believed', () => {
  const at = { now: 10_000, holdSeconds: 120 };

  it('takes detections dated up to 30 s after and 5 min before their receipt', () => {
    expect(detectionTiming(10_030, { ...at, receivedAt: 10_000 })).toBe('in-time');
    expect(detectionTiming(10_031, { ...at, receivedAt: 10_000 })).toBe('ahead');
    expect(detectionTiming(9_700, { ...at, now: 9_750, receivedAt: 10_000 })).toBe('in-time');
    expect(detectionTiming(9_699, { ...at, now: 9_750, receivedAt: 10_000 })).toBe('late');
    expect(detectionTiming(10_000 + 86_400, at)).toBe('ahead');
  });

  it('judges by the function clock when the event does not say when it was received', () => {
    expect(detectionTiming(10_030, at)).toBe('in-time');
    expect(detectionTiming(10_031, at)).toBe('ahead');
  });

  it('finds late a detection whose hold is over when it is handled, however recent its receipt', () => {
    expect(detectionTiming(9_881, { ...at, receivedAt: 9_881 })).toBe('in-time');
    expect(detectionTiming(9_880, { ...at, receivedAt: 9_880 })).toBe('late');
  });
});
