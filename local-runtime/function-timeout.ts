/** An invocation still running at its function's timeout: Lambda ends it as failed ("Task timed out"). */
export class FunctionTimedOut extends Error {
  constructor(
    readonly functionName: string,
    readonly timeoutSeconds: number,
  ) {
    super(`${functionName}: task timed out after ${timeoutSeconds} seconds`);
    this.name = 'FunctionTimedOut';
  }
}

/**
 * The invocation, failed with FunctionTimedOut once it has run its function's timeout (real
 * seconds, whatever the site's clock), as Lambda fails it, so its trigger retries it as any failure
 * (the stream from its checkpoint, the rule's invoker twice). Without it, one request that never
 * answers (seen once under heavy load: a stream's batch still running 4 minutes later) held its shard
 * and `npm start` forever. The handler's promise cannot be stopped: its late writes, if any, land as
 * a Lambda's that timed out after writing, which the handlers' idempotence absorbs.
 */
export function withinTimeout<T>(
  invocation: Promise<T>,
  functionName: string,
  timeoutSeconds: number,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FunctionTimedOut(functionName, timeoutSeconds)),
      timeoutSeconds * 1000,
    );
    // A process with nothing else to do ends: only an invocation that runs keeps it up.
    timer.unref();
  });
  return Promise.race([invocation, limit]).finally(() => clearTimeout(timer));
}
