import { describe, expect, it } from 'vitest';
import { AuthEnv, PushQueueEnv, readEnv, StoreEnv } from '#functions/shared/env.ts';

describe('function environment', () => {
  it('reads the store variables, with the local DynamoDB endpoint optional', () => {
    expect(
      readEnv(StoreEnv, {
        TABLE_NAME: 'lighting-main',
        TELEMETRY_TABLE_NAME: 'lighting-telemetry',
        SITE_ID: 'carcassonne',
      }),
    ).toEqual({
      TABLE_NAME: 'lighting-main',
      TELEMETRY_TABLE_NAME: 'lighting-telemetry',
      SITE_ID: 'carcassonne',
    });
  });

  it('names every missing or malformed variable', () => {
    expect(() => readEnv(StoreEnv, { TABLE_NAME: 'lighting-main', SITE_ID: 'Carcassonne!' })).toThrow(
      /TELEMETRY_TABLE_NAME.*SITE_ID|SITE_ID.*TELEMETRY_TABLE_NAME/,
    );
    expect(() => readEnv(PushQueueEnv, { PUSH_QUEUE_URL: 'not a url' })).toThrow(/PUSH_QUEUE_URL/);
  });

  it('reads the accepted audiences as a list of app client ids', () => {
    const auth = { AUTH_JWKS_URL: 'https://idp.example/jwks.json', AUTH_ISSUER: 'https://idp.example' };
    expect(readEnv(AuthEnv, { ...auth, AUTH_AUDIENCE: 'cli1,console2' }).AUTH_AUDIENCE).toEqual([
      'cli1',
      'console2',
    ]);
    expect(readEnv(AuthEnv, auth).AUTH_AUDIENCE).toBeUndefined();
    expect(() => readEnv(AuthEnv, { ...auth, AUTH_AUDIENCE: 'cli1,' })).toThrow(/AUTH_AUDIENCE/);
  });
});
