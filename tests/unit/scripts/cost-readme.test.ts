import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedReadme, README_FILE } from '#scripts/cost-readme.ts';

describe('the README cost section', () => {
  it('is what npm run cost:readme generates from the committed measurement and price table', () => {
    expect(readFileSync(README_FILE, 'utf8')).toBe(generatedReadme());
  });
});
