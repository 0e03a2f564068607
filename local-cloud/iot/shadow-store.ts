import { displayName, type ShadowAddress } from './shadow-address.ts';
import {
  applyUpdate,
  getResponse,
  type JsonObject,
  MAX_STATE_BYTES,
  type ShadowDocument,
  stateBytes,
  type UpdateRequest,
} from './shadow-document.ts';
import { fail, MESSAGES, ok, type ShadowResult } from './shadow-errors.ts';

/**
 * The shadows of all things, with the history the Guide's version rules need: a shadow deleted less
 * than 48 hours ago is remembered by its version, so a new shadow of that name continues from it.
 * Time comes from an injected clock; `onChange` tells persistence that something was written.
 */
export const DELETED_VERSION_MEMORY_SECONDS = 48 * 3600;

/** One shadow slot: a live document, or the version of a recently deleted one. */
export interface ShadowEntry {
  document?: ShadowDocument;
  deletedVersion?: number;
  deletedAt?: number;
}

/** What persistence saves: every slot, keyed by thing then shadow name ('' = classic). */
export type ShadowSnapshot = Record<string, Record<string, ShadowEntry>>;

export interface UpdateOutcome {
  readonly previous?: ShadowDocument;
  readonly current: ShadowDocument;
}

export interface ShadowStoreOptions {
  /** Milliseconds since the epoch; `Date.now` by default. */
  readonly clock?: () => number;
  readonly onChange?: () => void;
  readonly initial?: ShadowSnapshot;
}

const CLASSIC = '';

export class ShadowDocumentStore {
  readonly #things = new Map<string, Map<string, ShadowEntry>>();
  readonly #clock: () => number;
  readonly #onChange: () => void;

  constructor(options: ShadowStoreOptions = {}) {
    this.#clock = options.clock ?? Date.now;
    this.#onChange = options.onChange ?? (() => {});
    for (const [thingName, shadows] of Object.entries(options.initial ?? {})) {
      this.#things.set(thingName, new Map(Object.entries(shadows)));
    }
  }

  /** Epoch seconds, the unit of every shadow timestamp. */
  now(): number {
    return Math.floor(this.#clock() / 1000);
  }

  #entry(address: ShadowAddress): ShadowEntry | undefined {
    return this.#things.get(address.thingName)?.get(address.shadowName ?? CLASSIC);
  }

  #set(address: ShadowAddress, entry: ShadowEntry): void {
    let shadows = this.#things.get(address.thingName);
    if (shadows === undefined) {
      shadows = new Map();
      this.#things.set(address.thingName, shadows);
    }
    shadows.set(address.shadowName ?? CLASSIC, entry);
    this.#onChange();
  }

  #baseVersion(entry: ShadowEntry | undefined, now: number): number {
    if (entry?.document !== undefined) return entry.document.version;
    const deletedAt = entry?.deletedAt ?? Number.NEGATIVE_INFINITY;
    return now - deletedAt < DELETED_VERSION_MEMORY_SECONDS ? (entry?.deletedVersion ?? 0) : 0;
  }

  /** The stored document, or undefined when the shadow does not exist. */
  document(address: ShadowAddress): ShadowDocument | undefined {
    return this.#entry(address)?.document;
  }

  update(address: ShadowAddress, request: UpdateRequest): ShadowResult<UpdateOutcome> {
    const now = this.now();
    const entry = this.#entry(address);
    const base = this.#baseVersion(entry, now);
    if (request.version !== undefined && request.version !== base) {
      return fail(409, MESSAGES.versionConflict, request.clientToken);
    }
    const previous = entry?.document;
    const current = applyUpdate(previous, request, base, now);
    if (stateBytes(current.state) > MAX_STATE_BYTES) return fail(413, MESSAGES.tooLarge, request.clientToken);
    this.#set(address, { document: current });
    return ok(previous === undefined ? { current } : { previous, current });
  }

  get(address: ShadowAddress, clientToken?: string): ShadowResult<JsonObject> {
    const document = this.document(address);
    if (document === undefined) return fail(404, MESSAGES.noShadow(displayName(address)), clientToken);
    return ok(getResponse(document, this.now(), clientToken));
  }

  delete(address: ShadowAddress, clientToken?: string): ShadowResult<JsonObject> {
    const document = this.document(address);
    if (document === undefined) return fail(404, MESSAGES.noShadow(displayName(address)), clientToken);
    const now = this.now();
    this.#set(address, { deletedVersion: document.version, deletedAt: now });
    const response: JsonObject = { version: document.version, timestamp: now };
    return ok(clientToken === undefined ? response : { ...response, clientToken });
  }

  /** Names of the thing's existing named shadows, sorted. */
  namedShadows(thingName: string): string[] {
    const shadows = this.#things.get(thingName);
    if (shadows === undefined) return [];
    return [...shadows]
      .filter(([name, entry]) => name !== CLASSIC && entry.document !== undefined)
      .map(([name]) => name)
      .sort();
  }

  snapshot(): ShadowSnapshot {
    const out: ShadowSnapshot = {};
    for (const [thingName, shadows] of this.#things) out[thingName] = Object.fromEntries(shadows);
    return out;
  }
}
