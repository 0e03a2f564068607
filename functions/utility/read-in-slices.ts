/** Queries sent at once: enough to hide latency, few enough not to throttle. */
const READ_CONCURRENCY = 32;

/** `read` of every item, READ_CONCURRENCY at a time, the results in the items' order. */
export async function readInSlices<T, R>(items: readonly T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += READ_CONCURRENCY) {
    results.push(...(await Promise.all(items.slice(i, i + READ_CONCURRENCY).map(read))));
  }
  return results;
}
