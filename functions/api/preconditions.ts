import { etagOf } from './etag.ts';
import { ApiProblem } from './problem.ts';
import type { ApiRequest } from './router.ts';

/** The entity tags of an If-Match or If-None-Match list (`"a", "b"`); a weak one never matches. */
const listedTags = (header: string): string[] => header.split(',').map((tag) => tag.trim());

const matches = (header: string, etag: string): boolean =>
  header.trim() === '*' || listedTags(header).includes(etag);

/**
 * The conditional request rules of a configuration item's PUT or DELETE (RFC 9110 section 13),
 * checked against `current`, the item as it is in the configuration the change is validated and
 * committed against: changing an existing item needs `If-Match` with its ETag (428 without it, 412
 * when it names another version, with the current item and its ETag in the problem, so the client
 * can merge and retry); `If-None-Match: *` refuses (412) to replace an existing item.
 */
export function checkPreconditions(
  request: Pick<ApiRequest, 'headers'>,
  current: unknown,
  what: string,
): void {
  const ifMatch = request.headers['if-match'];
  const ifNoneMatch = request.headers['if-none-match'];
  if (current === undefined) {
    if (ifMatch !== undefined)
      throw new ApiProblem('precondition-failed', `${what} does not exist (If-Match)`);
    return;
  }
  const etag = etagOf(current);
  const failed = (detail: string) =>
    new ApiProblem('precondition-failed', detail, [], { etag }, { current, etag });
  if (ifNoneMatch !== undefined && matches(ifNoneMatch, etag)) {
    throw failed(`${what} exists already (If-None-Match)`);
  }
  if (ifMatch === undefined) {
    throw new ApiProblem(
      'precondition-required',
      `${what} exists: send If-Match with the ETag of the version you changed (GET it for its ETag)`,
      [{ name: 'If-Match', detail: 'required to change or delete an existing item' }],
    );
  }
  if (!matches(ifMatch, etag)) {
    throw failed(
      `${what} changed since you read it: its ETag is now ${etag}; merge with "current" and retry`,
    );
  }
}
