import { describe, expect, it } from 'vitest';
import { Claims, principalFromClaims, zonesOutsideLimit } from '#protocol/principal.ts';

const principal = (claims: Record<string, unknown>) => principalFromClaims(Claims.parse(claims));

describe('principal from Cognito claims', () => {
  it('keeps only known roles from cognito:groups', () => {
    expect(principal({ sub: 's', 'cognito:groups': ['finance', 'everyone'] }).roles).toEqual(['finance']);
  });

  it('splits and trims custom:zones, ignoring empty entries', () => {
    expect(principal({ sub: 's', 'custom:zones': ' trebes, ,cite,trebes' }).zones).toEqual([
      'trebes',
      'cite',
    ]);
  });

  it('reads an absent zone claim as every zone and refuses a blank one', () => {
    expect(principal({ sub: 's' }).zones).toBe('all');
    expect(Claims.safeParse({ sub: 's', 'custom:zones': ' , ' }).success).toBe(false);
  });

  it('prefers cognito:username as the display name', () => {
    expect(principal({ sub: 'uuid', 'cognito:username': 'alice' }).username).toBe('alice');
  });
});

describe('zone limit', () => {
  const technician = principal({ sub: 's', 'cognito:groups': ['technician'], 'custom:zones': 'trebes' });

  it('lists the zones a limited technician may not touch', () => {
    expect(zonesOutsideLimit(technician, ['trebes', 'cite', 'bastide', 'cite'])).toEqual(['bastide', 'cite']);
  });

  it('does not limit an unrestricted technician or an admin', () => {
    expect(zonesOutsideLimit(principal({ sub: 's', 'cognito:groups': ['technician'] }), ['cite'])).toEqual(
      [],
    );
    expect(
      zonesOutsideLimit(principal({ sub: 's', 'cognito:groups': ['admin'], 'custom:zones': 'trebes' }), [
        'cite',
      ]),
    ).toEqual([]);
  });
});
