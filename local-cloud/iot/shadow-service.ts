import { shadowOperationKind } from './metering.ts';
import type { RequestLimiter } from './request-limiter.ts';
import { parseShadowTopic, type ShadowAddress, shadowAddress, shadowTopicOf } from './shadow-address.ts';
import {
  deltaMessage,
  documentsMessage,
  isObject,
  type JsonObject,
  parseClientToken,
  parseJsonBody,
  parseUpdateRequest,
  updateAcceptedResponse,
} from './shadow-document.ts';
import { fail, MESSAGES, ok, type ShadowError, type ShadowResult } from './shadow-errors.ts';
import type { ShadowDocumentStore } from './shadow-store.ts';

/**
 * The device shadow service behind both transports. HTTP (data plane) and MQTT (`$aws/...`
 * request topics) call the same operations, so a shadow changes, and `/update/accepted`,
 * `/update/delta`, `/update/documents` and `/delete/accepted` are published, the same way whichever
 * side wrote it. Only MQTT requests get `/rejected` replies: HTTP callers get the error itself.
 */
export type Publish = (topic: string, document: JsonObject) => void;

export interface ListNamedShadowsPage {
  results: string[];
  nextToken?: string;
  timestamp: number;
}

const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;

export class ShadowService {
  constructor(
    private readonly store: ShadowDocumentStore,
    private readonly limiter: RequestLimiter,
    private readonly publish: Publish,
    /**
     * Told each operation served, with the bytes AWS meters it by (the request's or the answer's
     * document) and its kind (`shadowOperationKind`).
     */
    private readonly metered: (bytes: number, kind: string) => void = () => {},
  ) {}

  #admit(thingName: string, shadowName: string | undefined): ShadowResult<ShadowAddress> {
    const address = shadowAddress(thingName, shadowName);
    if (!address.ok) return address;
    if (!this.limiter.tryAcquire(thingName)) return fail(429, MESSAGES.throttled);
    return address;
  }

  update(thingName: string, shadowName: string | undefined, body: Uint8Array): ShadowResult<JsonObject> {
    const address = this.#admit(thingName, shadowName);
    if (!address.ok) return address;
    const request = parseUpdateRequest(body);
    if (!request.ok) return request;
    const outcome = this.store.update(address.value, request.value);
    if (!outcome.ok) return outcome;
    this.metered(body.byteLength, shadowOperationKind(shadowName, 'update'));
    const { previous, current } = outcome.value;
    const accepted = updateAcceptedResponse(request.value, current);
    this.publish(shadowTopicOf(address.value, 'update', 'accepted'), accepted);
    const delta = deltaMessage(current, request.value.clientToken);
    if (delta !== undefined) this.publish(shadowTopicOf(address.value, 'update', 'delta'), delta);
    this.publish(
      shadowTopicOf(address.value, 'update', 'documents'),
      documentsMessage(previous, current, request.value.clientToken),
    );
    return ok(accepted);
  }

  get(thingName: string, shadowName: string | undefined, clientToken?: string): ShadowResult<JsonObject> {
    const address = this.#admit(thingName, shadowName);
    if (!address.ok) return address;
    const found = this.store.get(address.value, clientToken);
    if (found.ok)
      this.metered(Buffer.byteLength(JSON.stringify(found.value)), shadowOperationKind(shadowName, 'get'));
    return found;
  }

  delete(thingName: string, shadowName: string | undefined, clientToken?: string): ShadowResult<JsonObject> {
    const address = this.#admit(thingName, shadowName);
    if (!address.ok) return address;
    const deleted = this.store.delete(address.value, clientToken);
    if (deleted.ok) {
      this.metered(0, shadowOperationKind(shadowName, 'delete'));
      this.publish(shadowTopicOf(address.value, 'delete', 'accepted'), deleted.value);
    }
    return deleted;
  }

  /** ListNamedShadowsForThing: names in order, pages of `pageSize`, `nextToken` = the next offset. */
  listNamedShadows(
    thingName: string,
    pageSize?: number,
    nextToken?: string,
  ): ShadowResult<ListNamedShadowsPage> {
    const address = this.#admit(thingName, undefined);
    if (!address.ok) return address;
    const size = pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) return fail(400, 'Invalid pageSize');
    const offset =
      nextToken === undefined ? 0 : Number.parseInt(Buffer.from(nextToken, 'base64url').toString(), 10);
    if (!Number.isInteger(offset) || offset < 0) return fail(400, 'Invalid nextToken');
    const names = this.store.namedShadows(thingName);
    const results = names.slice(offset, offset + size);
    this.metered(0, 'list');
    const page: ListNamedShadowsPage = { results, timestamp: this.store.now() };
    if (offset + size < names.length)
      page.nextToken = Buffer.from(String(offset + size)).toString('base64url');
    return ok(page);
  }

  /**
   * Handles a message published on a shadow request topic; messages on other topics (and on reply
   * topics) are not requests and are left alone. Errors go to the operation's `/rejected` topic.
   */
  handleMessage(topic: string, payload: Uint8Array): void {
    const parsed = parseShadowTopic(topic);
    if (parsed === undefined || parsed.reply !== undefined) return;
    const { thingName, shadowName, operation } = parsed;
    const result =
      operation === 'update'
        ? this.update(thingName, shadowName, payload)
        : this.#withClientToken(payload, (clientToken) =>
            operation === 'get'
              ? this.get(thingName, shadowName, clientToken)
              : this.delete(thingName, shadowName, clientToken),
          );
    if (result.ok) {
      if (operation === 'get')
        this.publish(shadowTopicOf({ thingName, shadowName }, 'get', 'accepted'), result.value);
      return;
    }
    this.publish(
      shadowTopicOf({ thingName, shadowName }, operation, 'rejected'),
      this.#rejection(result.error),
    );
  }

  /** `/get` and `/delete` messages may be empty or carry a `clientToken` to echo. */
  #withClientToken(
    payload: Uint8Array,
    run: (clientToken: string | undefined) => ShadowResult<JsonObject>,
  ): ShadowResult<JsonObject> {
    if (payload.length === 0) return run(undefined);
    const parsed = parseJsonBody(payload);
    if (!parsed.ok) return parsed;
    if (!isObject(parsed.value)) return fail(400, MESSAGES.invalidJson);
    const token = parseClientToken(parsed.value);
    return token.ok ? run(token.value) : token;
  }

  #rejection(error: ShadowError): JsonObject {
    const document: JsonObject = { code: error.code, message: error.message, timestamp: this.store.now() };
    if (error.clientToken !== undefined) document.clientToken = error.clientToken;
    return document;
  }
}
