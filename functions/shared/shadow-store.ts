import {
  GetThingShadowCommand,
  type IoTDataPlaneClient,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';

/** Why a shadow call did not succeed. `throttled` and `unavailable` are worth retrying. */
export type ShadowFailure = 'throttled' | 'conflict' | 'not-found' | 'rejected' | 'unavailable';

export type ShadowResult<T> = { ok: true; value: T } | { ok: false; reason: ShadowFailure; message: string };

/** Port over the IoT data plane's named shadows; AWS errors come back as typed results. */
export interface ShadowStore {
  /** Sends `{ state: ... }` (and `version` when given) to the shadow; returns the new version. */
  update(thingName: string, shadowName: string, document: object): Promise<ShadowResult<{ version: number }>>;
  /** The whole shadow document (state, metadata, version). */
  get(thingName: string, shadowName?: string): Promise<ShadowResult<unknown>>;
}

const REASONS: Readonly<Record<string, ShadowFailure>> = {
  ThrottlingException: 'throttled',
  ConflictException: 'conflict',
  ResourceNotFoundException: 'not-found',
  InvalidRequestException: 'rejected',
  RequestEntityTooLargeException: 'rejected',
  UnauthorizedException: 'rejected',
  MethodNotAllowedException: 'rejected',
  UnsupportedDocumentEncodingException: 'rejected',
  ServiceUnavailableException: 'unavailable',
  InternalFailureException: 'unavailable',
};

/** Maps an SDK error to a result; anything unknown (network reset, timeout) is `unavailable`. */
export function shadowFailure(error: unknown): { ok: false; reason: ShadowFailure; message: string } {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, reason: REASONS[name] ?? 'unavailable', message: `${name}: ${message}` };
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function parsePayload(payload: Uint8Array | undefined): unknown {
  return payload === undefined || payload.length === 0 ? {} : JSON.parse(decoder.decode(payload));
}

export function makeShadowStore({ iot }: { iot: IoTDataPlaneClient }): ShadowStore {
  return {
    async update(thingName, shadowName, document) {
      try {
        const out = await iot.send(
          new UpdateThingShadowCommand({
            thingName,
            shadowName,
            payload: encoder.encode(JSON.stringify(document)),
          }),
        );
        const body = parsePayload(out.payload) as { version?: unknown };
        return { ok: true, value: { version: typeof body.version === 'number' ? body.version : 0 } };
      } catch (error) {
        return shadowFailure(error);
      }
    },
    async get(thingName, shadowName) {
      try {
        const out = await iot.send(new GetThingShadowCommand({ thingName, shadowName }));
        return { ok: true, value: parsePayload(out.payload) };
      } catch (error) {
        return shadowFailure(error);
      }
    },
  };
}
