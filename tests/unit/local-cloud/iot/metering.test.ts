import { describe, expect, it } from 'vitest';
import { messageKind, shadowOperationKind } from '#local-cloud/iot/metering.ts';

describe('metering kinds', () => {
  it('names a shadow message by direction, shadow, operation and reply', () => {
    expect(messageKind('publish', '$aws/things/lum-1/shadow/update')).toBe('publish classic update');
    expect(messageKind('deliver', '$aws/things/lum-1/shadow/name/boost/update/delta')).toBe(
      'deliver boost update/delta',
    );
    expect(messageKind('deliver', '$aws/things/lum-1/shadow/name/plan/get/accepted')).toBe(
      'deliver plan get/accepted',
    );
  });

  it('puts every other topic under one kind, whatever thing it names', () => {
    expect(messageKind('publish', 'lighting/lum-1/telemetry')).toBe('publish other');
    expect(messageKind('deliver', 'lighting/lum-2/anything/else')).toBe('deliver other');
  });

  it('names a shadow operation by shadow and operation, the unnamed shadow as classic', () => {
    expect(shadowOperationKind(undefined, 'update')).toBe('classic update');
    expect(shadowOperationKind('plan', 'get')).toBe('plan get');
  });
});
