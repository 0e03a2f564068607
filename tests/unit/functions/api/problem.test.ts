import { describe, expect, it } from 'vitest';
import { fieldErrorAt, jsonPointer } from '../../../../functions/api/problem.ts';

describe('field locations', () => {
  it('escapes pointer segments', () => {
    expect(jsonPointer(['profiles', 'a/b~c', 0])).toBe('/profiles/a~1b~0c/0');
  });

  it('turns a parser JSON path into a pointer', () => {
    expect(fieldErrorAt('features[3].properties.ledWatts', 'must be > 0')).toEqual({
      pointer: '/features/3/properties/ledWatts',
      detail: 'must be > 0',
    });
  });

  it('keeps a CSV location as a name', () => {
    expect(fieldErrorAt('row 12, column lat', 'bad')).toEqual({ name: 'row 12, column lat', detail: 'bad' });
  });
});
