import type { z } from 'zod';
import type { Parsed, Problem } from '../problem.ts';
import { Luminaire, type LuminaireField } from './schema.ts';

/**
 * One luminaire record read from a file, before validation: its fields (only known ones; a format
 * reports unknown fields itself), how to name its place and its fields' places in that file, and the
 * problems the format already found in it.
 */
export interface LocatedRecord {
  /** The record's place, e.g. `row 12` or `features[3]`. */
  readonly at: string;
  readonly fieldPath: (field: LuminaireField) => string;
  /** null when the record is too broken to read any field from. */
  readonly fields: Partial<Record<LuminaireField, unknown>> | null;
  readonly problems: readonly Problem[];
  /** Fields whose place in the file already has a problem, so that they are not reported twice. */
  readonly reported?: ReadonlySet<LuminaireField>;
}

/**
 * Validates located records against the Luminaire schema and checks that ids and thing names are
 * unique (a thing name is a device: two luminaires on one device would steer each other's light),
 * collecting every problem, in file order, with its place in the file.
 */
export function validateRecords(records: readonly LocatedRecord[], source: string): Parsed<Luminaire[]> {
  const problems: Problem[] = [];
  const luminaires: Luminaire[] = [];
  const firstPlaceOfId = new Map<string, string>();
  const firstOfThing = new Map<string, { id: string; at: string }>();
  for (const record of records) {
    problems.push(...record.problems);
    if (record.fields === null) continue;
    const result = Luminaire.safeParse(record.fields);
    if (result.success) {
      if (record.problems.length === 0) luminaires.push(result.data);
      const { id, thingName } = result.data;
      const first = firstOfThing.get(thingName);
      if (first === undefined) firstOfThing.set(thingName, { id, at: record.at });
      else if (first.id !== id) {
        const explicit = record.fields.thingName !== undefined;
        problems.push({
          source,
          path: record.fieldPath(explicit ? 'thingName' : 'id'),
          message: `${thingNameOf(id, thingName, explicit)} is already the device of luminaire ${JSON.stringify(first.id)} (at ${first.at})`,
        });
      }
    } else {
      for (const issue of result.error.issues) {
        const field = issue.path[0] as LuminaireField | undefined;
        if (field !== undefined && record.reported?.has(field)) continue;
        problems.push({
          source,
          path: field === undefined ? record.at : record.fieldPath(field),
          message: describeIssue(issue, field === undefined ? undefined : record.fields[field]),
        });
      }
    }
    const id = record.fields.id;
    if (typeof id !== 'string' || id === '') continue;
    const first = firstPlaceOfId.get(id);
    if (first === undefined) firstPlaceOfId.set(id, record.at);
    else
      problems.push({
        source,
        path: record.fieldPath('id'),
        message: `duplicate id ${JSON.stringify(id)} (also at ${first})`,
      });
  }
  return problems.length === 0 ? { ok: true, value: luminaires } : { ok: false, problems };
}

/** How a problem names a luminaire's thing name: given in the file, or derived from its id. */
function thingNameOf(id: string, thingName: string, explicit: boolean): string {
  return explicit
    ? `thing name ${JSON.stringify(thingName)}`
    : `thing name ${JSON.stringify(thingName)} (derived from id ${JSON.stringify(id)})`;
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  // zod reports a fraction where a whole number is wanted as a type issue: its message says it better.
  if (issue.code !== 'invalid_type' || (issue.expected === 'int' && typeof value === 'number')) {
    return issue.message;
  }
  if (value === undefined) return 'required value is missing';
  if (issue.expected === 'number' && typeof value === 'string') {
    const hint = /^[+-]?\d+,\d+$/.test(value.trim()) ? ' (use a dot as the decimal separator)' : '';
    return `expected a number, got ${JSON.stringify(value)}${hint}`;
  }
  return `expected a ${issue.expected}, got ${describeValue(value)}`;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}
