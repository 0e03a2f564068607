import { describe, expect, it } from 'vitest';
import { hrefOf } from '#console/src/href.ts';

describe('hrefOf', () => {
  it('builds a hash with encoded parameters', () => {
    expect(hrefOf('/luminaires/:id', { id: 'A B/1' })).toBe('#/luminaires/A%20B%2F1');
  });
});
