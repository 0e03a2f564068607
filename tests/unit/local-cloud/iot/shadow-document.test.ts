import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  delta,
  deltaMessage,
  documentsMessage,
  getResponse,
  type JsonObject,
  parseUpdateRequest,
  type ShadowDocument,
  type UpdateRequest,
  updateAcceptedResponse,
} from '#local-cloud/iot/shadow-document.ts';

/**
 * Shadow semantics checked against the examples of the AWS IoT Developer Guide ("Device Shadow
 * service documents", "Interacting with shadows", "Device Shadow MQTT topics").
 */
const body = (value: unknown) => Buffer.from(JSON.stringify(value));

function request(value: unknown): UpdateRequest {
  const parsed = parseUpdateRequest(body(value));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

function applyAll(updates: unknown[], start = 1000): ShadowDocument {
  let document: ShadowDocument | undefined;
  updates.forEach((update, i) => {
    document = applyUpdate(document, request(update), document?.version ?? 0, start + i);
  });
  if (document === undefined) throw new Error('no updates');
  return document;
}

describe('the Guide example shadow document', () => {
  const document = applyAll([
    { state: { desired: { color: 'RED', sequence: ['RED', 'GREEN', 'BLUE'] } } },
    { state: { reported: { color: 'GREEN' } } },
  ]);

  it('keeps desired and reported as written', () => {
    expect(document.state).toEqual({
      desired: { color: 'RED', sequence: ['RED', 'GREEN', 'BLUE'] },
      reported: { color: 'GREEN' },
    });
  });

  it('has one metadata timestamp per attribute and per array element, in epoch seconds', () => {
    // The Guide's example shows one timestamp for `sequence`; the service answers one per element.
    const stamp = { timestamp: 1000 };
    expect(document.metadata).toEqual({
      desired: { color: stamp, sequence: [stamp, stamp, stamp] },
      reported: { color: { timestamp: 1001 } },
    });
  });

  it('reports the desired attributes that differ or are not reported as the delta', () => {
    expect(delta(document.state)).toEqual({ color: 'RED', sequence: ['RED', 'GREEN', 'BLUE'] });
  });

  it('increments the version on each update', () => {
    expect(document.version).toBe(2);
    expect(document.timestamp).toBe(1001);
  });
});

describe('updates (Interacting with shadows)', () => {
  it('merges nested desired objects and clears the delta once the device reports the same state', () => {
    const requested = applyAll([{ state: { desired: { color: { r: 10 }, engine: 'ON' } } }]);
    expect(delta(requested.state)).toEqual({ color: { r: 10 }, engine: 'ON' });
    const reported = applyAll([
      { state: { desired: { color: { r: 10 }, engine: 'ON' } } },
      { state: { reported: { color: { r: 10 }, engine: 'ON' } } },
    ]);
    expect(delta(reported.state)).toBeUndefined();
  });

  it('merges nested objects key by key instead of replacing them', () => {
    const document = applyAll([
      { state: { desired: { color: { r: 10, g: 20 } } } },
      { state: { desired: { color: { b: 30 } } } },
    ]);
    expect(document.state.desired).toEqual({ color: { r: 10, g: 20, b: 30 } });
    expect(document.metadata.desired).toEqual({
      color: { r: { timestamp: 1000 }, g: { timestamp: 1000 }, b: { timestamp: 1001 } },
    });
  });

  it('deletes a property set to null, with its metadata', () => {
    const document = applyAll([
      { state: { desired: { engine: 'ON', color: 'red' } } },
      { state: { desired: { engine: null } } },
    ]);
    expect(document.state.desired).toEqual({ color: 'red' });
    expect(document.metadata.desired).toEqual({ color: { timestamp: 1000 } });
  });

  it('removes the desired section when it is set to null (Empty sections)', () => {
    const document = applyAll([
      { state: { desired: { color: 'red' } } },
      { state: { reported: { color: 'red' }, desired: null } },
    ]);
    expect(document.state).toEqual({ reported: { color: 'red' } });
    expect(document.metadata).toEqual({ reported: { color: { timestamp: 1001 } } });
  });

  it('replaces a whole array: arrays cannot be updated in part (Arrays)', () => {
    const document = applyAll([
      { state: { desired: { colors: ['RED', 'GREEN', 'BLUE'] } } },
      { state: { desired: { colors: ['RED'] } } },
    ]);
    expect(document.state.desired).toEqual({ colors: ['RED'] });
    expect(document.metadata.desired).toEqual({ colors: [{ timestamp: 1001 }] });
  });

  it('mirrors objects inside an array key by key, and gives an empty array no timestamp', () => {
    const document = applyAll([
      { state: { reported: { faults: ['lampFailure'], lamps: [{ w: 40, on: true }], tags: [[1]] } } },
      { state: { reported: { faults: [] } } },
    ]);
    expect(document.metadata.reported).toEqual({
      faults: [],
      lamps: [{ w: { timestamp: 1000 }, on: { timestamp: 1000 } }],
      tags: [[{ timestamp: 1000 }]],
    });
  });

  it('drops nulls inside a newly written object, since there is nothing under them to delete', () => {
    const document = applyAll([{ state: { desired: { light: { level: 50, boost: null } } } }]);
    expect(document.state.desired).toEqual({ light: { level: 50 } });
  });

  it('replaces a value by an object and an object by a value', () => {
    const document = applyAll([
      { state: { desired: { a: 1, b: { c: 2 } } } },
      { state: { desired: { a: { x: 1 }, b: 3 } } },
    ]);
    expect(document.state.desired).toEqual({ a: { x: 1 }, b: 3 });
    expect(document.metadata.desired).toEqual({ a: { x: { timestamp: 1001 } }, b: { timestamp: 1001 } });
  });
});

describe('the delta (Device Shadow MQTT topics, /update/delta)', () => {
  const stateOf = (desired: JsonObject, reported: JsonObject) => ({ desired, reported });

  it('includes desired attributes that differ from reported', () => {
    expect(delta(stateOf({ level: 70 }, { level: 100 }))).toEqual({ level: 70 });
  });
  it('does not include attributes only in reported', () => {
    expect(delta(stateOf({ level: 70 }, { level: 70, powerW: 30 }))).toBeUndefined();
  });
  it('includes desired attributes that have no equivalent in reported', () => {
    expect(delta(stateOf({ plan: { h: 'a' } }, {}))).toEqual({ plan: { h: 'a' } });
  });
  it('includes only the differing leaves of nested objects', () => {
    expect(delta(stateOf({ light: { level: 70, fade: 3 } }, { light: { level: 100, fade: 3 } }))).toEqual({
      light: { level: 70 },
    });
  });
  it('compares arrays as whole values', () => {
    expect(delta(stateOf({ s: [0, 100, 60, 70] }, { s: [0, 100, 60, 70] }))).toBeUndefined();
    expect(delta(stateOf({ s: [0, 100] }, { s: [0, 100, 60, 70] }))).toEqual({ s: [0, 100] });
  });
  it('has no delta without a desired section', () => {
    expect(delta({ reported: { level: 1 } })).toBeUndefined();
  });

  it('publishes all differing attributes with their desired metadata, not just the updated ones', () => {
    const document = applyAll([
      { state: { desired: { color: 'RED', engine: 'ON' } } },
      { state: { desired: { engine: 'OFF' } }, clientToken: 'tok' },
    ]);
    expect(deltaMessage(document, 'tok')).toEqual({
      version: 2,
      timestamp: 1001,
      state: { color: 'RED', engine: 'OFF' },
      metadata: { color: { timestamp: 1000 }, engine: { timestamp: 1001 } },
      clientToken: 'tok',
    });
  });

  it('publishes no delta message when desired and reported agree', () => {
    const document = applyAll([{ state: { desired: { level: 5 }, reported: { level: 5 } } }]);
    expect(deltaMessage(document)).toBeUndefined();
  });
});

describe('response documents', () => {
  it('answers an update with the request state, the metadata of what it touched, version and token', () => {
    const update = request({
      state: { desired: { engine: null, color: { r: 10 } } },
      clientToken: 'UniqueClientToken',
    });
    const document = applyUpdate(undefined, update, 9, 12345);
    expect(updateAcceptedResponse(update, document)).toEqual({
      state: { desired: { engine: null, color: { r: 10 } } },
      metadata: { desired: { engine: { timestamp: 12345 }, color: { r: { timestamp: 12345 } } } },
      version: 10,
      timestamp: 12345,
      clientToken: 'UniqueClientToken',
    });
  });

  it('returns the whole state with its delta and metadata on get', () => {
    const document = applyAll([{ state: { desired: { color: 'RED' }, reported: { color: 'GREEN' } } }]);
    expect(getResponse(document, 2000, 'g')).toEqual({
      state: { desired: { color: 'RED' }, reported: { color: 'GREEN' }, delta: { color: 'RED' } },
      metadata: { desired: { color: { timestamp: 1000 } }, reported: { color: { timestamp: 1000 } } },
      version: 1,
      timestamp: 2000,
      clientToken: 'g',
    });
  });

  it('describes an update on /update/documents as the previous and current documents', () => {
    const previous = applyAll([{ state: { desired: { level: 1 } } }]);
    const current = applyUpdate(previous, request({ state: { reported: { level: 1 } } }), 1, 1500);
    expect(documentsMessage(previous, current, 'd')).toEqual({
      previous: {
        state: { desired: { level: 1 } },
        metadata: { desired: { level: { timestamp: 1000 } } },
        version: 1,
      },
      current: {
        state: { desired: { level: 1 }, reported: { level: 1 } },
        metadata: { desired: { level: { timestamp: 1000 } }, reported: { level: { timestamp: 1500 } } },
        version: 2,
      },
      timestamp: 1500,
      clientToken: 'd',
    });
    expect(documentsMessage(undefined, previous).previous).toBeNull();
  });
});

describe('request validation (Device Shadow error messages)', () => {
  const rejection = (payload: Uint8Array) => {
    const parsed = parseUpdateRequest(payload);
    return parsed.ok ? undefined : parsed.error;
  };

  it.each([
    ['not JSON', Buffer.from('{"state":'), 400, 'Invalid JSON'],
    ['a JSON array', body([]), 400, 'Invalid JSON'],
    ['no state', body({ version: 1 }), 400, 'Missing required node: state'],
    ['a string state', body({ state: 'on' }), 400, 'State node must be an object'],
    ['a null state', body({ state: null }), 400, 'State node must be an object'],
    ['an array desired', body({ state: { desired: [1] } }), 400, 'Desired node must be an object'],
    ['a number reported', body({ state: { reported: 3 } }), 400, 'Reported node must be an object'],
    ['an unknown state node', body({ state: { delta: {} } }), 400, 'State contains an invalid node'],
    [
      'an array holding null',
      body({ state: { desired: { colors: [null, 'RED', 'GREEN'] } } }),
      400,
      'State contains an invalid node',
    ],
    ['a negative version', body({ state: {}, version: -1 }), 400, 'Invalid version'],
    ['a fractional version', body({ state: {}, version: 1.5 }), 400, 'Invalid version'],
    ['a numeric clientToken', body({ state: {}, clientToken: 5 }), 400, 'Invalid clientToken'],
    [
      'a 65-byte clientToken',
      body({ state: {}, clientToken: `${'é'.repeat(32)}x` }),
      400,
      'Invalid clientToken',
    ],
    [
      'seven levels of nesting',
      body({ state: { desired: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } } } }),
      400,
      'JSON contains too many levels of nesting; maximum is 6',
    ],
    [
      'invalid UTF-8',
      Buffer.from([0x7b, 0xc3, 0x28, 0x7d]),
      415,
      'Unsupported documented encoding; supported encoding is UTF-8',
    ],
  ])('rejects %s', (_case, payload, code, message) => {
    expect(rejection(payload)).toMatchObject({ code, message });
  });

  it('accepts six levels of nesting and a 64-byte clientToken', () => {
    expect(
      rejection(
        body({
          state: { desired: { a: { b: { c: { d: { e: { f: 1 } } } } } } },
          clientToken: 'x'.repeat(64),
        }),
      ),
    ).toBeUndefined();
  });

  it('echoes a valid clientToken in the rejection so the caller can match it', () => {
    expect(rejection(body({ state: 'x', clientToken: 'mine' }))).toEqual({
      code: 400,
      message: 'State node must be an object',
      clientToken: 'mine',
    });
  });
});

describe('properties', () => {
  const key = fc.constantFrom('level', 'plan', 'fade', 'mode', 'h');
  const leaf = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.string({ maxLength: 4 }), fc.boolean());
  const section: fc.Arbitrary<JsonObject> = fc.dictionary(
    key,
    fc.oneof(leaf, fc.dictionary(key, leaf, { maxKeys: 3 }), fc.array(leaf, { maxLength: 3 })),
    { maxKeys: 4 },
  );

  it('reporting exactly the desired state leaves no delta', () => {
    fc.assert(
      fc.property(section, section, (desired, reported) => {
        const before = applyAll([{ state: { desired, reported } }]);
        const after = applyUpdate(before, request({ state: { reported: desired } }), before.version, 2000);
        expect(delta(after.state)).toBeUndefined();
      }),
    );
  });

  it('applying the same update twice changes only the version and timestamps', () => {
    fc.assert(
      fc.property(section, section, (first, second) => {
        const once = applyAll([{ state: { desired: first } }, { state: { desired: second } }]);
        const twice = applyUpdate(once, request({ state: { desired: second } }), once.version, 5000);
        expect(twice.state).toEqual(once.state);
        expect(twice.version).toBe(once.version + 1);
      }),
    );
  });
});
