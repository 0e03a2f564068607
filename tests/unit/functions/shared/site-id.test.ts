import { describe, expect, it } from 'vitest';
import { SITE_ID_MAX_LENGTH, SiteId } from '#functions/shared/site-id.ts';

describe('site id', () => {
  it('accepts lowercase letters, digits and hyphens up to the bound the deployment allows', () => {
    expect(SiteId.safeParse('carcassonne').success).toBe(true);
    expect(SiteId.safeParse('a'.repeat(SITE_ID_MAX_LENGTH)).success).toBe(true);
  });

  it('refuses an empty id, a longer one and other characters, saying what is allowed', () => {
    for (const bad of ['', 'a'.repeat(SITE_ID_MAX_LENGTH + 1), 'Carcassonne', 'saint_malo']) {
      const result = SiteId.safeParse(bad);
      expect(result.success, bad).toBe(false);
      expect(result.error?.issues[0]?.message).toBe('site id must be 1-40 characters of [a-z0-9-]');
    }
  });
});
