import { describe, expect, it } from 'vitest';
import { fieldErrorAt, problemDocument, problemOf } from '#functions/api/problem.ts';
import { InvalidInput, NotFound, SiteNotConfigured } from '#functions/shared/errors.ts';
import { jsonPointer } from '#schedules/problem.ts';

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

describe('domain errors as problems', () => {
  it('maps each typed error to its status, naming the fields of bad input', () => {
    expect(problemOf(new NotFound('profile', 'x'))).toMatchObject({
      kind: 'not-found',
      message: 'profile x not found',
    });
    expect(problemOf(new SiteNotConfigured('carcassonne'))?.kind).toBe('conflict');
    expect(problemOf(new InvalidInput('cursor', [{ path: 'key', message: 'bad' }]))).toMatchObject({
      kind: 'bad-request',
      errors: [{ name: 'cursor: key', detail: 'bad' }],
    });
  });

  it('leaves unexpected errors to the 500 path', () => {
    expect(problemOf(new Error('boom'))).toBeNull();
  });
});

describe('problem documents', () => {
  it('carry extension members, which never replace the standard ones', () => {
    const document = problemDocument('precondition-failed', 'changed', [], {
      current: { on: '18:00' },
      etag: '"0123456789abcdef"',
      status: 200,
    });
    expect(document).toEqual({
      type: 'urn:lumen-city:problem:precondition-failed',
      title: 'Precondition failed',
      status: 412,
      detail: 'changed',
      current: { on: '18:00' },
      etag: '"0123456789abcdef"',
    });
    expect(problemDocument('precondition-required').status).toBe(428);
  });
});
