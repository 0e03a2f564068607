import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type TableRef, writeIf } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/** One counted request of a public client in a fixed window. */
export interface ClientWindowRequest {
  /** The route group the limit applies to (`fault-report`). */
  readonly group: string;
  /** A pseudonym of the client for this window only: the address itself is never stored. */
  readonly pseudonym: string;
  /** Epoch seconds the window starts at. */
  readonly windowStart: number;
  readonly windowSeconds: number;
  /** Requests the window admits. */
  readonly limit: number;
}

/**
 * Requests of public clients per window, shared by every instance of the API function (AP29), so a
 * client's limit holds however many instances answer it. `count` is one conditional write.
 */
export interface ClientWindowCounter {
  /** Counts the request unless the window already admitted `limit`; false when it did. */
  count(request: ClientWindowRequest): Promise<boolean>;
}

/** TTL deletes late (up to days): items outlive their window, the key's window start keeps them apart. */
export function makeClientWindowCounter({
  db,
  tableName,
  site,
}: TableRef & { site: string }): ClientWindowCounter {
  const keys = siteKeys(site);
  return {
    count: (request) =>
      writeIf(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: {
              pk: keys.clientWindowPk(request.group, request.pseudonym),
              sk: keys.clientWindowSk(request.windowStart),
            },
            UpdateExpression: 'ADD hits :one SET expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
            ExpressionAttributeValues: {
              ':one': 1,
              ':limit': request.limit,
              ':expiresAt': request.windowStart + request.windowSeconds,
            },
          }),
        ),
      ),
  };
}
