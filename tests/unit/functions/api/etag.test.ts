import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { etagOf } from '#functions/api/etag.ts';

describe('etagOf', () => {
  it('is a quoted string of 16 hex characters', () => {
    expect(etagOf({ on: '18:00' })).toMatch(/^"[0-9a-f]{16}"$/);
  });

  it('does not depend on the order of object keys, at any depth', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(etagOf({ outer: reversed, list: [reversed] })).toBe(etagOf({ list: [value], outer: value }));
      }),
    );
  });

  it('changes when a value changes, and with the order of a list', () => {
    const profile = { on: '18:00', steps: [{ at: '22:00', level: 50 }] };
    expect(etagOf({ ...profile, steps: [{ at: '22:00', level: 40 }] })).not.toBe(etagOf(profile));
    expect(etagOf([1, 2])).not.toBe(etagOf([2, 1]));
  });

  it('is the first 16 hex characters of the SHA-256 of the canonical JSON', () => {
    // printf '%s' '{"a":1,"b":[2,{"c":3,"d":4}]}' | sha256sum
    expect(etagOf({ b: [2, { d: 4, c: 3 }], a: 1 })).toBe('"88c3cdf568e74603"');
  });
});
