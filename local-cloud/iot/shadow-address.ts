import { shadowTopic } from '#protocol/topics.ts';
import { fail, ok, type ShadowResult } from './shadow-errors.ts';

/**
 * Which shadow a request addresses: thing and shadow names (checked against the AWS IoT patterns)
 * and the reserved MQTT topics `$aws/things/{thing}/shadow[/name/{shadow}]/{operation}[/{reply}]`.
 */
export interface ShadowAddress {
  readonly thingName: string;
  /** Undefined for the classic (unnamed) shadow. */
  readonly shadowName?: string;
}

export type ShadowOperation = 'update' | 'get' | 'delete';
export type ShadowReply = 'accepted' | 'rejected' | 'delta' | 'documents';

const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;
const SHADOW_NAME = /^[$a-zA-Z0-9:_-]{1,64}$/;

/** Validates a thing name and an optional shadow name; names starting with `$` are reserved by AWS. */
export function shadowAddress(
  thingName: string,
  shadowName: string | undefined,
): ShadowResult<ShadowAddress> {
  if (!THING_NAME.test(thingName)) return fail(400, `Invalid thing name: '${thingName}'`);
  if (shadowName === undefined) return ok({ thingName });
  if (!SHADOW_NAME.test(shadowName)) return fail(400, `Invalid shadow name: '${shadowName}'`);
  if (shadowName.startsWith('$')) return fail(400, `Shadow name is reserved: '${shadowName}'`);
  return ok({ thingName, shadowName });
}

/** How AWS names a shadow in error texts: the classic shadow goes by its thing's name. */
export const displayName = (address: ShadowAddress): string => address.shadowName ?? address.thingName;

const TOPIC =
  /^\$aws\/things\/([^/]+)\/shadow(?:\/name\/([^/]+))?\/(?:(get|delete)(?:\/(accepted|rejected))?|update(?:\/(accepted|rejected|delta|documents))?)$/;

export interface ShadowTopic {
  readonly thingName: string;
  readonly shadowName?: string;
  readonly operation: ShadowOperation;
  readonly reply?: ShadowReply;
}

/** Parses a shadow topic; undefined for any other topic (names are validated separately). */
export function parseShadowTopic(topic: string): ShadowTopic | undefined {
  const match = TOPIC.exec(topic);
  if (match === null) return undefined;
  const [, thingName, shadowName, getOrDelete, getOrDeleteReply, updateReply] = match;
  if (thingName === undefined) return undefined;
  const operation: ShadowOperation =
    getOrDelete === 'get' || getOrDelete === 'delete' ? getOrDelete : 'update';
  const reply = (getOrDeleteReply ?? updateReply) as ShadowReply | undefined;
  return {
    thingName,
    ...(shadowName === undefined ? {} : { shadowName }),
    operation,
    ...(reply === undefined ? {} : { reply }),
  };
}

/** `$aws/things/{thing}/shadow[/name/{shadow}]/{operation}[/{reply}]`. */
export const shadowTopicOf = (
  address: ShadowAddress,
  operation: ShadowOperation,
  reply?: ShadowReply,
): string =>
  shadowTopic(
    address.thingName,
    address.shadowName,
    reply === undefined ? operation : `${operation}/${reply}`,
  );
