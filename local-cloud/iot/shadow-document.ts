import { fail, MESSAGES, ok, type ShadowResult } from './shadow-errors.ts';

/**
 * Shadow document semantics as the AWS IoT Developer Guide describes them ("Device Shadow service
 * documents", "Interacting with shadows"): parsing a request state document, merging it into the
 * stored document, per-leaf metadata, the delta, and the response documents. Pure: time is an
 * argument, nothing is stored here.
 */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** `desired` + `reported` of one shadow (metadata not counted), per the AWS IoT quotas. */
export const MAX_STATE_BYTES = 8 * 1024;
/** Levels of nesting in the `desired` or `reported` section. */
export const MAX_DEPTH = 6;
export const MAX_CLIENT_TOKEN_BYTES = 64;

const SECTIONS = ['desired', 'reported'] as const;

export interface ShadowState {
  desired?: JsonObject;
  reported?: JsonObject;
}
/**
 * Mirrors the state: every leaf value becomes `{ timestamp }` in epoch seconds, and an array an
 * array of its elements' metadata (an empty array none).
 */
export interface ShadowMetadata {
  desired?: JsonObject;
  reported?: JsonObject;
}
export interface ShadowDocument {
  state: ShadowState;
  metadata: ShadowMetadata;
  version: number;
  /** Epoch seconds of the last update. */
  timestamp: number;
}

export interface UpdateRequest {
  state: { desired?: JsonObject | null; reported?: JsonObject | null };
  version?: number;
  clientToken?: string;
}

export const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a request body as UTF-8 JSON; the shadow service accepts nothing else. */
export function parseJsonBody(body: Uint8Array): ShadowResult<Json> {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return fail(415, MESSAGES.notUtf8);
  }
  try {
    return ok(JSON.parse(text) as Json);
  } catch {
    return fail(400, MESSAGES.invalidJson);
  }
}

/** The optional `clientToken` of any request: a string of at most 64 bytes. */
export function parseClientToken(document: JsonObject): ShadowResult<string | undefined> {
  const token = document.clientToken;
  if (token === undefined) return ok(undefined);
  if (typeof token !== 'string' || Buffer.byteLength(token, 'utf8') > MAX_CLIENT_TOKEN_BYTES) {
    return fail(400, MESSAGES.invalidClientToken);
  }
  return ok(token);
}

function depth(value: Json): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depth));
  if (isObject(value)) return 1 + Math.max(0, ...Object.values(value).map(depth));
  return 0;
}

/** Arrays are plain values in a shadow, and the Guide rejects arrays holding `null`. */
function hasNullInArray(value: Json, insideArray: boolean): boolean {
  if (value === null) return insideArray;
  if (Array.isArray(value)) return value.some((item) => hasNullInArray(item, true));
  if (isObject(value)) return Object.values(value).some((item) => hasNullInArray(item, false));
  return false;
}

/**
 * Validates a request state document (the body of UpdateThingShadow or of an `/update` message)
 * and names the offending node with the service's own messages.
 */
export function parseUpdateRequest(body: Uint8Array): ShadowResult<UpdateRequest> {
  const parsed = parseJsonBody(body);
  if (!parsed.ok) return parsed;
  const document = parsed.value;
  if (!isObject(document)) return fail(400, MESSAGES.invalidJson);
  const token = parseClientToken(document);
  if (!token.ok) return token;
  const clientToken = token.value;
  const { version, state } = document;
  if (
    version !== undefined &&
    !(typeof version === 'number' && Number.isSafeInteger(version) && version >= 0)
  ) {
    return fail(400, MESSAGES.invalidVersion, clientToken);
  }
  if (state === undefined) return fail(400, MESSAGES.missingState, clientToken);
  if (!isObject(state)) return fail(400, MESSAGES.stateNotObject, clientToken);
  const request: UpdateRequest = { state: {} };
  for (const [key, value] of Object.entries(state)) {
    if (key !== 'desired' && key !== 'reported') return fail(400, MESSAGES.invalidNode, clientToken);
    if (value !== null && !isObject(value)) {
      return fail(
        400,
        key === 'desired' ? MESSAGES.desiredNotObject : MESSAGES.reportedNotObject,
        clientToken,
      );
    }
    if (value !== null && depth(value) > MAX_DEPTH) return fail(400, MESSAGES.tooDeep, clientToken);
    if (value !== null && hasNullInArray(value, false)) return fail(400, MESSAGES.invalidNode, clientToken);
    request.state[key] = value;
  }
  if (typeof version === 'number') request.version = version;
  if (clientToken !== undefined) request.clientToken = clientToken;
  return ok(request);
}

const leafMetadata = (timestamp: number): JsonObject => ({ timestamp });

/** A value newly written under a key: nulls inside it delete nothing, so they are dropped. */
function withoutNulls(patch: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) continue;
    out[key] = isObject(value) ? withoutNulls(value) : value;
  }
  return out;
}

/**
 * The metadata of one value. The Guide's example gives an array one `{ timestamp }`, but the
 * service answers one per element (objects inside mirrored key by key), so a reader that takes the
 * latest timestamp must look inside arrays, and an empty array carries no time of its own.
 */
function valueMetadata(value: Json, timestamp: number): Json {
  if (Array.isArray(value)) return value.map((item) => valueMetadata(item, timestamp));
  return isObject(value) ? metadataOf(value, timestamp) : leafMetadata(timestamp);
}

function metadataOf(value: JsonObject, timestamp: number): JsonObject {
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) out[key] = valueMetadata(item, timestamp);
  return out;
}

/**
 * Merges a patch into a section: `null` deletes a key, objects merge key by key, anything else
 * (arrays included) replaces the stored value. Metadata follows the same shape.
 */
function mergeSection(
  state: JsonObject,
  metadata: JsonObject,
  patch: JsonObject,
  timestamp: number,
): { state: JsonObject; metadata: JsonObject } {
  const nextState: JsonObject = { ...state };
  const nextMetadata: JsonObject = { ...metadata };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete nextState[key];
      delete nextMetadata[key];
    } else if (isObject(value)) {
      const current = nextState[key];
      const currentMetadata = nextMetadata[key];
      const merged = isObject(current)
        ? mergeSection(current, isObject(currentMetadata) ? currentMetadata : {}, value, timestamp)
        : { state: withoutNulls(value), metadata: metadataOf(withoutNulls(value), timestamp) };
      nextState[key] = merged.state;
      nextMetadata[key] = merged.metadata;
    } else {
      nextState[key] = value;
      nextMetadata[key] = valueMetadata(value, timestamp);
    }
  }
  return { state: nextState, metadata: nextMetadata };
}

/** Size the 8 KB quota applies to: the `desired` and `reported` sections as JSON. */
export const stateBytes = (state: ShadowState): number => Buffer.byteLength(JSON.stringify(state), 'utf8');

/**
 * Applies an (already validated) update to the current document, or creates the document when
 * there is none. `baseVersion` is the version the new document follows (the current one, or that of
 * a recently deleted shadow). Version checks are the caller's: they depend on stored history.
 */
export function applyUpdate(
  current: ShadowDocument | undefined,
  request: UpdateRequest,
  baseVersion: number,
  timestamp: number,
): ShadowDocument {
  const state: ShadowState = { ...current?.state };
  const metadata: ShadowMetadata = { ...current?.metadata };
  for (const section of SECTIONS) {
    const patch = request.state[section];
    if (patch === undefined) continue;
    if (patch === null) {
      delete state[section];
      delete metadata[section];
      continue;
    }
    const merged = mergeSection(state[section] ?? {}, metadata[section] ?? {}, patch, timestamp);
    state[section] = merged.state;
    metadata[section] = merged.metadata;
  }
  return { state, metadata, version: baseVersion + 1, timestamp };
}

function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i] as Json));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => k in b && jsonEqual(a[k] as Json, b[k] as Json))
    );
  }
  return false;
}

function deltaOf(desired: JsonObject, reported: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, want] of Object.entries(desired)) {
    const have = reported[key];
    if (have === undefined) {
      out[key] = want;
    } else if (isObject(want) && isObject(have)) {
      const nested = deltaOf(want, have);
      if (Object.keys(nested).length > 0) out[key] = nested;
    } else if (!jsonEqual(want, have)) {
      out[key] = want;
    }
  }
  return out;
}

/**
 * Desired keys (recursively) whose value differs from, or is missing in, `reported`; keys only in
 * `reported` never appear. Undefined when the device is in sync.
 */
export function delta(state: ShadowState): JsonObject | undefined {
  if (state.desired === undefined) return undefined;
  const result = deltaOf(state.desired, state.reported ?? {});
  return Object.keys(result).length > 0 ? result : undefined;
}

/** The metadata entries of the desired keys that appear in a delta. */
function metadataFor(value: JsonObject, metadata: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const entry = metadata[key];
    if (entry === undefined) continue;
    out[key] = isObject(item) && isObject(entry) ? metadataFor(item, entry) : entry;
  }
  return out;
}

const withToken = <T extends JsonObject>(document: T, clientToken: string | undefined): T =>
  clientToken === undefined ? document : { ...document, clientToken };

const sectionsOf = (value: ShadowState | ShadowMetadata): JsonObject => {
  const out: JsonObject = {};
  for (const section of SECTIONS) {
    const content = value[section];
    if (content !== undefined) out[section] = content;
  }
  return out;
};

/** The `/get/accepted` document (and the GetThingShadow body): state with its delta, metadata. */
export function getResponse(document: ShadowDocument, timestamp: number, clientToken?: string): JsonObject {
  const state = sectionsOf(document.state);
  const difference = delta(document.state);
  if (difference !== undefined) state.delta = difference;
  return withToken(
    { state, metadata: sectionsOf(document.metadata), version: document.version, timestamp },
    clientToken,
  );
}

/** The `/update/accepted` document: the request's state as applied, metadata of what it touched. */
export function updateAcceptedResponse(request: UpdateRequest, document: ShadowDocument): JsonObject {
  const metadata: JsonObject = {};
  for (const section of SECTIONS) {
    const patch = request.state[section];
    if (patch === undefined) continue;
    metadata[section] =
      patch === null ? leafMetadata(document.timestamp) : metadataOf(patch, document.timestamp);
  }
  const state: JsonObject = { ...request.state } as JsonObject;
  return withToken(
    { state, metadata, version: document.version, timestamp: document.timestamp },
    request.clientToken,
  );
}

/** The `/update/delta` document, or undefined when desired and reported agree. */
export function deltaMessage(document: ShadowDocument, clientToken?: string): JsonObject | undefined {
  const difference = delta(document.state);
  if (difference === undefined) return undefined;
  return withToken(
    {
      version: document.version,
      timestamp: document.timestamp,
      state: difference,
      metadata: metadataFor(difference, document.metadata.desired ?? {}),
    },
    clientToken,
  );
}

const snapshotOf = (document: ShadowDocument): JsonObject => ({
  state: sectionsOf(document.state),
  metadata: sectionsOf(document.metadata),
  version: document.version,
});

/** The `/update/documents` document: the whole shadow before (null if new) and after the update. */
export function documentsMessage(
  previous: ShadowDocument | undefined,
  current: ShadowDocument,
  clientToken?: string,
): JsonObject {
  return withToken(
    {
      previous: previous === undefined ? null : snapshotOf(previous),
      current: snapshotOf(current),
      timestamp: current.timestamp,
    },
    clientToken,
  );
}
