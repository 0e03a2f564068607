import { describe, expect, it } from 'vitest';
import { parseShadowTopic, shadowAddress, shadowTopicOf } from '#local-cloud/iot/shadow-address.ts';

describe('shadow topics', () => {
  it.each([
    ['$aws/things/L-1/shadow/update', { thingName: 'L-1', operation: 'update' }],
    ['$aws/things/L-1/shadow/get/accepted', { thingName: 'L-1', operation: 'get', reply: 'accepted' }],
    [
      '$aws/things/L-1/shadow/name/plan/update/delta',
      { thingName: 'L-1', shadowName: 'plan', operation: 'update', reply: 'delta' },
    ],
    [
      '$aws/things/L-1/shadow/name/boost/delete',
      { thingName: 'L-1', shadowName: 'boost', operation: 'delete' },
    ],
    [
      '$aws/things/L-1/shadow/name/plan/update/documents',
      { thingName: 'L-1', shadowName: 'plan', operation: 'update', reply: 'documents' },
    ],
  ])('parses %s', (topic, expected) => {
    expect(parseShadowTopic(topic)).toEqual(expected);
  });

  it.each([
    'lighting/L-1/telemetry',
    '$aws/things/L-1/shadow/get/delta',
    '$aws/things/L-1/shadow/delete/documents',
    '$aws/things/L-1/shadow/list',
    '$aws/things/L-1/shadow/name/plan',
    '$aws/things/L-1/shadow/update/accepted/extra',
  ])('leaves %s alone', (topic) => {
    expect(parseShadowTopic(topic)).toBeUndefined();
  });

  it('formats the topics it parses', () => {
    expect(shadowTopicOf({ thingName: 'L-1', shadowName: 'plan' }, 'update', 'accepted')).toBe(
      '$aws/things/L-1/shadow/name/plan/update/accepted',
    );
    expect(shadowTopicOf({ thingName: 'L-1' }, 'get')).toBe('$aws/things/L-1/shadow/get');
  });
});

describe('shadow names', () => {
  it('accepts the AWS thing and shadow name alphabets at their maximum lengths', () => {
    expect(shadowAddress('a:b_c-D9'.padEnd(128, 'x'), 'p:l_a-N'.padEnd(64, 'y')).ok).toBe(true);
  });
  it.each([
    ['an empty thing name', '', undefined],
    ['a thing name of 129 characters', 'x'.repeat(129), undefined],
    ['a dot in a thing name', 'L.1', undefined],
    ['a slash in a shadow name', 'L-1', 'a/b'],
    ['a shadow name of 65 characters', 'L-1', 'x'.repeat(65)],
    ['a reserved shadow name', 'L-1', '$plan'],
  ])('rejects %s with 400', (_case, thingName, shadowName) => {
    expect(shadowAddress(thingName, shadowName)).toMatchObject({ ok: false, error: { code: 400 } });
  });
});
