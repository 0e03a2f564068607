import { describe, expect, it } from 'vitest';
import { RequestLimiter, type RequestLimits } from '#local-cloud/iot/request-limiter.ts';
import type { JsonObject } from '#local-cloud/iot/shadow-document.ts';
import { ShadowService } from '#local-cloud/iot/shadow-service.ts';
import { ShadowDocumentStore } from '#local-cloud/iot/shadow-store.ts';

function service(limits: RequestLimits = {}) {
  const published: { topic: string; document: JsonObject }[] = [];
  const clock = () => 1_000_000;
  const store = new ShadowDocumentStore({ clock });
  const shadows = new ShadowService(store, new RequestLimiter(limits, clock), (topic, document) =>
    published.push({ topic, document }),
  );
  const topics = () => published.map((message) => message.topic);
  return { shadows, store, published, topics };
}

const message = (value: unknown) => Buffer.from(JSON.stringify(value));
const prefix = '$aws/things/L-1/shadow/name/plan';

describe('ShadowService over MQTT', () => {
  it('answers an /update with /accepted, /delta and /documents', () => {
    const { shadows, published, topics } = service();
    shadows.handleMessage(
      `${prefix}/update`,
      message({ state: { desired: { level: 70 } }, clientToken: 'c' }),
    );
    expect(topics()).toEqual([
      `${prefix}/update/accepted`,
      `${prefix}/update/delta`,
      `${prefix}/update/documents`,
    ]);
    expect(published[1]?.document).toMatchObject({ state: { level: 70 }, version: 1, clientToken: 'c' });
  });

  it('sends no /delta when the update leaves desired and reported equal', () => {
    const { shadows, topics } = service();
    shadows.handleMessage(
      `${prefix}/update`,
      message({ state: { desired: { level: 70 }, reported: { level: 70 } } }),
    );
    expect(topics()).toEqual([`${prefix}/update/accepted`, `${prefix}/update/documents`]);
  });

  it('answers a rejected update on /update/rejected with code, message, timestamp and clientToken', () => {
    const { shadows, published } = service();
    shadows.handleMessage(`${prefix}/update`, message({ state: { desired: { level: 1 } } }));
    shadows.handleMessage(
      `${prefix}/update`,
      message({ state: { desired: { level: 2 } }, version: 5, clientToken: 'x' }),
    );
    expect(published.at(-1)).toEqual({
      topic: `${prefix}/update/rejected`,
      document: { code: 409, message: 'Version conflict', timestamp: 1000, clientToken: 'x' },
    });
  });

  it('answers /get with the document, echoing a clientToken, and a missing shadow with 404', () => {
    const { shadows, published } = service();
    shadows.handleMessage(`${prefix}/get`, Buffer.alloc(0));
    expect(published.at(-1)).toEqual({
      topic: `${prefix}/get/rejected`,
      document: { code: 404, message: "No shadow exists with name: 'plan'", timestamp: 1000 },
    });
    shadows.handleMessage(`${prefix}/update`, message({ state: { reported: { level: 3 } } }));
    shadows.handleMessage(`${prefix}/get`, message({ clientToken: 'g' }));
    expect(published.at(-1)).toMatchObject({
      topic: `${prefix}/get/accepted`,
      document: { state: { reported: { level: 3 } }, version: 1, clientToken: 'g' },
    });
  });

  it('answers /delete with /delete/accepted carrying the deleted version', () => {
    const { shadows, published } = service();
    shadows.handleMessage(`${prefix}/update`, message({ state: { reported: { level: 3 } } }));
    shadows.handleMessage(`${prefix}/delete`, Buffer.alloc(0));
    expect(published.at(-1)).toEqual({
      topic: `${prefix}/delete/accepted`,
      document: { version: 1, timestamp: 1000 },
    });
  });

  it('ignores reply topics and topics that are not shadow requests', () => {
    const { shadows, published } = service();
    shadows.handleMessage(`${prefix}/update/accepted`, message({ state: {} }));
    shadows.handleMessage('lighting/L-1/telemetry', message({ energyWh: 1 }));
    expect(published).toEqual([]);
  });

  it("rejects a request on a badly named thing on that thing's /rejected topic", () => {
    const { shadows, published } = service();
    shadows.handleMessage('$aws/things/L.1/shadow/update', message({ state: {} }));
    expect(published).toEqual([
      {
        topic: '$aws/things/L.1/shadow/update/rejected',
        document: { code: 400, message: "Invalid thing name: 'L.1'", timestamp: 1000 },
      },
    ]);
  });

  it('answers 429 on /rejected beyond the per-thing limit, without touching the shadow', () => {
    const { shadows, store, published } = service({ perThing: 20 });
    for (let i = 0; i < 21; i++)
      shadows.handleMessage(`${prefix}/update`, message({ state: { desired: { i } } }));
    expect(published.at(-1)).toEqual({
      topic: `${prefix}/update/rejected`,
      document: { code: 429, message: 'Rate exceeded', timestamp: 1000 },
    });
    expect(store.document({ thingName: 'L-1', shadowName: 'plan' })).toMatchObject({
      version: 20,
      state: { desired: { i: 19 } },
    });
    expect(shadows.update('L-2', 'plan', message({ state: {} })).ok).toBe(true);
  });
});

describe('ShadowService list of named shadows', () => {
  it('pages through names with an opaque nextToken and rejects bad page sizes', () => {
    const { shadows } = service();
    for (const name of ['a', 'b', 'c', 'd', 'e']) shadows.update('L-1', name, message({ state: {} }));
    const first = shadows.listNamedShadows('L-1', 2);
    expect(first).toMatchObject({ ok: true, value: { results: ['a', 'b'] } });
    const token = first.ok ? first.value.nextToken : undefined;
    expect(shadows.listNamedShadows('L-1', 2, token)).toMatchObject({
      ok: true,
      value: { results: ['c', 'd'] },
    });
    expect(shadows.listNamedShadows('L-1', 0)).toMatchObject({ ok: false, error: { code: 400 } });
    expect(shadows.listNamedShadows('L-1', 2, 'garbage!')).toMatchObject({ ok: false, error: { code: 400 } });
  });
});
