import {
  DeleteThingShadowCommand,
  GetRetainedMessageCommand,
  GetThingShadowCommand,
  ListNamedShadowsForThingCommand,
  PublishCommand,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';
import { describe, expect, inject, it } from 'vitest';
import { localIotData, uniqueName } from '../local-clients.ts';

const iot = localIotData({ maxAttempts: 1 });
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const parse = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload ?? []).toString());

async function update(thingName: string, document: unknown, shadowName?: string) {
  const out = await iot.send(
    new UpdateThingShadowCommand({ thingName, shadowName, payload: json(document) }),
  );
  return parse(out.payload);
}

async function get(thingName: string, shadowName?: string) {
  return parse((await iot.send(new GetThingShadowCommand({ thingName, shadowName }))).payload);
}

/** The AWS error the SDK raised: its name (from `x-amzn-errortype`), status and message. */
async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to fail');
}

describe('IoT data plane stand-in, through @aws-sdk/client-iot-data-plane', () => {
  it('creates, reads and merges a classic shadow with versions, metadata and delta', async () => {
    const thing = uniqueName('lamp');
    const created = await update(thing, {
      state: { desired: { level: 70, mode: 'plan' } },
      clientToken: 'c-1',
    });
    expect(created).toMatchObject({
      state: { desired: { level: 70, mode: 'plan' } },
      version: 1,
      clientToken: 'c-1',
    });
    expect(created.metadata.desired.level.timestamp).toEqual(expect.any(Number));

    await update(thing, { state: { reported: { level: 100, mode: 'plan' } } });
    const shadow = await get(thing);
    expect(shadow.version).toBe(2);
    expect(shadow.state).toEqual({
      desired: { level: 70, mode: 'plan' },
      reported: { level: 100, mode: 'plan' },
      delta: { level: 70 },
    });
    expect(Object.keys(shadow.metadata.reported)).toEqual(['level', 'mode']);
  });

  it('keeps named shadows apart from the classic shadow and lists them in pages', async () => {
    const thing = uniqueName('lamp');
    await update(thing, { state: { desired: { plan: { h: 'a' } } } }, 'plan');
    await update(thing, { state: { desired: { boost: { l: 100, u: 1 } } } }, 'boost');
    await update(thing, { state: { reported: { level: 0 } } });

    expect((await get(thing, 'plan')).state.desired).toEqual({ plan: { h: 'a' } });
    expect((await get(thing)).state).toEqual({ reported: { level: 0 } });

    const first = await iot.send(new ListNamedShadowsForThingCommand({ thingName: thing, pageSize: 1 }));
    expect(first.results).toEqual(['boost']);
    const second = await iot.send(
      new ListNamedShadowsForThingCommand({ thingName: thing, pageSize: 1, nextToken: first.nextToken }),
    );
    expect(second.results).toEqual(['plan']);
    expect(second.nextToken).toBeUndefined();
  });

  it('deletes a shadow, answers 404 afterwards and continues its version on re-creation', async () => {
    const thing = uniqueName('lamp');
    await update(thing, { state: { desired: { level: 1 } } });
    await update(thing, { state: { desired: { level: 2 } } });
    const deleted = parse((await iot.send(new DeleteThingShadowCommand({ thingName: thing }))).payload);
    expect(deleted).toEqual({ version: 2, timestamp: expect.any(Number) });

    expect(await failure(get(thing))).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: `No shadow exists with name: '${thing}'`,
    });
    expect((await update(thing, { state: { desired: { level: 3 } } })).version).toBe(3);
  });

  it('rejects a stale version with 409 ConflictException and leaves the shadow unchanged', async () => {
    const thing = uniqueName('lamp');
    await update(thing, { state: { desired: { colors: ['RED', 'GREEN', 'BLUE'] } } });
    expect(await failure(update(thing, { state: { desired: { colors: ['BLUE'] } }, version: 0 }))).toEqual({
      name: 'ConflictException',
      status: 409,
      message: 'Version conflict',
    });
    const matching = await update(thing, { state: { desired: { colors: ['BLUE'] } }, version: 1 });
    expect(matching.version).toBe(2);
    expect((await get(thing)).state.desired).toEqual({ colors: ['BLUE'] });
  });

  it.each([
    ['malformed JSON', Buffer.from('{"state": {'), 'InvalidRequestException', 400, 'Invalid JSON'],
    [
      'a missing state',
      json({ desired: {} }),
      'InvalidRequestException',
      400,
      'Missing required node: state',
    ],
    [
      'a non-object desired',
      json({ state: { desired: 5 } }),
      'InvalidRequestException',
      400,
      'Desired node must be an object',
    ],
    [
      'nesting deeper than 6',
      json({ state: { reported: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } } } }),
      'InvalidRequestException',
      400,
      'JSON contains too many levels of nesting; maximum is 6',
    ],
    [
      'a state over 8 KB',
      json({ state: { desired: { blob: 'x'.repeat(9000) } } }),
      'RequestEntityTooLargeException',
      413,
      'The payload exceeds the maximum size allowed',
    ],
    [
      'a clientToken over 64 bytes',
      json({ state: { desired: { level: 1 } }, clientToken: 't'.repeat(65) }),
      'InvalidRequestException',
      400,
      'Invalid clientToken',
    ],
    [
      'text that is not UTF-8',
      Buffer.from([0x7b, 0xff, 0x7d]),
      'UnsupportedDocumentEncodingException',
      415,
      undefined,
    ],
  ])('answers %s with the AWS error and stores nothing', async (_case, payload, name, status, message) => {
    const thing = uniqueName('lamp');
    await update(thing, { state: { desired: { level: 40 } } });
    const error = await failure(iot.send(new UpdateThingShadowCommand({ thingName: thing, payload })));
    expect(error).toMatchObject({ name, status, ...(message === undefined ? {} : { message }) });
    const shadow = await get(thing);
    expect(shadow.version).toBe(1);
    expect(shadow.state.desired).toEqual({ level: 40 });
  });

  it('rejects bad thing and shadow names with 400 InvalidRequestException', async () => {
    const bad = await failure(update('lamp.with.dots', { state: { desired: { level: 1 } } }));
    expect(bad).toMatchObject({ name: 'InvalidRequestException', status: 400 });
    const reserved = await failure(
      update(uniqueName('lamp'), { state: { desired: { level: 1 } } }, '$reserved'),
    );
    expect(reserved).toMatchObject({ name: 'InvalidRequestException', status: 400 });
    const tooLong = await failure(update(uniqueName('lamp'), { state: {} }, 's'.repeat(65)));
    expect(tooLong).toMatchObject({ name: 'InvalidRequestException', status: 400 });
  });

  it('publishes a retained message into the broker and returns it from GetRetainedMessage', async () => {
    const topic = `lighting/${uniqueName('lamp')}/telemetry`;
    await iot.send(new PublishCommand({ topic, qos: 1, retain: true, payload: json({ energyWh: 12 }) }));
    const retained = await iot.send(new GetRetainedMessageCommand({ topic }));
    expect(retained.topic).toBe(topic);
    expect(retained.qos).toBe(1);
    expect(parse(retained.payload)).toEqual({ energyWh: 12 });
    const missing = await failure(iot.send(new GetRetainedMessageCommand({ topic: `${topic}/none` })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });

  it('updates a shadow when a shadow request is published through the HTTP Publish API', async () => {
    const thing = uniqueName('lamp');
    await iot.send(
      new PublishCommand({
        topic: `$aws/things/${thing}/shadow/update`,
        payload: json({ state: { reported: { level: 5 } } }),
      }),
    );
    await expect.poll(async () => (await get(thing)).state.reported).toEqual({ level: 5 });
  });

  it('refuses publishing on a shadow reply topic', async () => {
    const thing = uniqueName('lamp');
    const topic = `$aws/things/${thing}/shadow/update/accepted`;
    expect(await failure(iot.send(new PublishCommand({ topic, payload: json({}) })))).toMatchObject({
      name: 'UnauthorizedException',
      status: 401,
    });
  });

  describe('raw HTTP edges', () => {
    const endpoint = inject('iotHttpEndpoint');
    const raw = async (method: string, path: string, body?: Uint8Array) => {
      const response = await fetch(`${endpoint}${path}`, {
        method,
        ...(body === undefined ? {} : { body: new Uint8Array(body) }),
      });
      return {
        status: response.status,
        type: response.headers.get('x-amzn-errortype'),
        body: (await response.json()) as { state?: unknown; message?: string },
      };
    };

    it('answers an unsupported method on a shadow with 405 MethodNotAllowedException', async () => {
      expect(await raw('PUT', `/things/${uniqueName('lamp')}/shadow`, json({ state: {} }))).toMatchObject({
        status: 405,
        type: 'MethodNotAllowedException',
        body: { message: expect.any(String) },
      });
    });

    it('answers an unknown path with 404 ResourceNotFoundException', async () => {
      expect(await raw('GET', '/things/x/shadows')).toMatchObject({
        status: 404,
        type: 'ResourceNotFoundException',
      });
    });

    it('refuses a body over 128 KB with 413 before reading it all', async () => {
      const thing = uniqueName('lamp');
      const huge = json({ state: { desired: { blob: 'x'.repeat(200 * 1024) } } });
      expect(await raw('POST', `/things/${thing}/shadow`, huge)).toMatchObject({
        status: 413,
        type: 'RequestEntityTooLargeException',
      });
      expect(await raw('GET', `/things/${thing}/shadow`)).toMatchObject({ status: 404 });
    });

    it('decodes URL-encoded topic segments before publishing', async () => {
      const thing = uniqueName('lamp');
      const path = `/topics/${encodeURIComponent(`$aws/things/${thing}/shadow/update`)}?qos=1`;
      expect((await raw('POST', path, json({ state: { reported: { level: 8 } } }))).status).toBe(200);
      await expect
        .poll(async () => (await raw('GET', `/things/${thing}/shadow`)).body.state)
        .toEqual({ reported: { level: 8 } });
    });

    it('rejects an unsupported QoS and wildcard topics with 400', async () => {
      expect(await raw('POST', '/topics/lighting/a?qos=2', json({}))).toMatchObject({
        status: 400,
        type: 'InvalidRequestException',
      });
      expect(await raw('POST', '/topics/lighting/%23', json({}))).toMatchObject({ status: 400 });
    });
  });
});
