/**
 * One thing wrong with an input file, located precisely enough for a technician to fix it:
 * the file (`source`), where in it (`path`: a JSON path such as `features[3].properties.ledWatts`
 * or a CSV location such as `row 12, column lat`) and what is wrong.
 */
export interface Problem {
  readonly source: string;
  readonly path: string;
  readonly message: string;
}

/** The result of parsing an outside input: the value, or every problem found (not just the first). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** `source: path: message`, one line (newlines inside a message would break "one line per problem"). */
export function formatProblem(problem: Problem): string {
  const where = problem.path === '' ? problem.source : `${problem.source}: ${problem.path}`;
  return `${where}: ${problem.message.replace(/\s*[\r\n]+\s*/g, ' ')}`;
}

/**
 * A zod issue path as a JSON path: `features[3].properties.ledWatts`; a key that is not an
 * identifier is quoted: `profiles["car park"].on`.
 */
export function jsonPath(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (!/^[A-Za-z_$][\w$]*$/.test(String(segment))) path += `[${JSON.stringify(String(segment))}]`;
    else path += path === '' ? String(segment) : `.${String(segment)}`;
  }
  return path;
}

/**
 * A zod issue path as an RFC 6901 JSON pointer, `/steps/0/level` (`~` and `/` inside a segment are
 * escaped as `~0` and `~1`): how the API names a bad field and the console finds it again.
 */
export const jsonPointer = (path: readonly PropertyKey[]): string =>
  path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
