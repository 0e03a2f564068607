import type { z } from 'zod';
import type { Parsed, Problem } from '../problem.ts';

/**
 * One record read from a file, before validation: its fields (only known ones; a format reports
 * unknown fields itself), how to name its place and its fields' places in that file, and the
 * problems the format already found in it.
 */
export interface LocatedRecord<F extends string> {
  /** The record's place, e.g. `row 12` or `features[3]`. */
  readonly at: string;
  readonly fieldPath: (field: F) => string;
  /** null when the record is too broken to read any field from. */
  readonly fields: Partial<Record<F, unknown>> | null;
  readonly problems: readonly Problem[];
  /** Fields whose place in the file already has a problem, so that they are not reported twice. */
  readonly reported?: ReadonlySet<F>;
}

/** A field no two records may share: a device, a meter. */
interface UniqueField<F extends string> {
  readonly field: F;
  /** What the value is to its record, e.g. `device`. */
  readonly role: string;
  /** The value as a problem names it; `explicit`: given in the file, not derived. */
  readonly name: (value: string, id: string, explicit: boolean) => string;
}

/** What an inventory record is: its fields, its schema, what must be unique, what it must refer to. */
export interface RecordKind<F extends string, T extends { readonly id: string }> {
  /** `luminaire`, `cabinet`: how problems name a record. */
  readonly noun: string;
  readonly fields: readonly F[];
  readonly schema: z.ZodType<T>;
  /** Field type per field as the schema declares it (`number`, `string`, `enum`...), optional ones marked. */
  readonly columns: Readonly<Record<F, { readonly type: string; readonly optional: boolean }>>;
  readonly unique: readonly UniqueField<F>[];
  /** Problems of a valid record against the rest of the inventory (e.g. the cabinet it names). */
  readonly check?: (record: T) => readonly { readonly field: F; readonly message: string }[];
}

const thingNameOf = (thingName: string, id: string, explicit: boolean): string =>
  explicit
    ? `thing name ${JSON.stringify(thingName)}`
    : `thing name ${JSON.stringify(thingName)} (derived from id ${JSON.stringify(id)})`;

/** A thing name is a device: two records on one device would steer each other's light. */
export const UNIQUE_THING_NAME = { field: 'thingName', role: 'device', name: thingNameOf } as const;

/** The type and optionality of each field of a strict object schema (what CSV and GeoJSON import read). */
export function columnsOf<F extends string>(
  shape: Readonly<Record<F, z.core.$ZodType>>,
): Record<F, { type: string; optional: boolean }> {
  const base = (schema: z.core.$ZodType): string => {
    const def = schema._zod.def as { type: string; innerType?: z.core.$ZodType };
    return def.innerType === undefined ? def.type : base(def.innerType);
  };
  return Object.fromEntries(
    Object.entries<z.core.$ZodType>(shape).map(([field, schema]) => [
      field,
      {
        type: base(schema),
        optional: schema._zod.def.type === 'optional' || schema._zod.def.type === 'default',
      },
    ]),
  ) as Record<F, { type: string; optional: boolean }>;
}

/**
 * Validates located records against their kind's schema, checks that ids and the unique fields are
 * unique and runs the kind's check, collecting every problem, in file order, with its place in the
 * file.
 */
export function validateRecords<F extends string, T extends { readonly id: string }>(
  records: readonly LocatedRecord<F>[],
  source: string,
  kind: RecordKind<F, T>,
): Parsed<T[]> {
  const problems: Problem[] = [];
  const valid: T[] = [];
  const firstPlaceOfId = new Map<string, string>();
  const firstHolders = kind.unique.map(() => new Map<string, { id: string; at: string }>());
  for (const record of records) {
    problems.push(...record.problems);
    if (record.fields === null) continue;
    const result = kind.schema.safeParse(record.fields);
    if (result.success) {
      const checked = kind.check?.(result.data) ?? [];
      for (const { field, message } of checked)
        problems.push({ source, path: record.fieldPath(field), message });
      if (record.problems.length === 0 && checked.length === 0) valid.push(result.data);
      kind.unique.forEach((unique, i) => {
        const { id } = result.data;
        const value = String((result.data as Record<string, unknown>)[unique.field]);
        const first = firstHolders[i]?.get(value);
        if (first === undefined) firstHolders[i]?.set(value, { id, at: record.at });
        else if (first.id !== id) {
          const explicit = record.fields?.[unique.field] !== undefined;
          problems.push({
            source,
            path: record.fieldPath(explicit ? unique.field : ('id' as F)),
            message: `${unique.name(value, id, explicit)} is already the ${unique.role} of ${kind.noun} ${JSON.stringify(first.id)} (at ${first.at})`,
          });
        }
      });
    } else {
      for (const issue of result.error.issues) {
        const field = issue.path[0] as F | undefined;
        if (field !== undefined && record.reported?.has(field)) continue;
        problems.push({
          source,
          path: field === undefined ? record.at : record.fieldPath(field),
          message: describeIssue(issue, field === undefined ? undefined : record.fields[field]),
        });
      }
    }
    const id = (record.fields as Partial<Record<string, unknown>>).id;
    if (typeof id !== 'string' || id === '') continue;
    const first = firstPlaceOfId.get(id);
    if (first === undefined) firstPlaceOfId.set(id, record.at);
    else
      problems.push({
        source,
        path: record.fieldPath('id' as F),
        message: `duplicate id ${JSON.stringify(id)} (also at ${first})`,
      });
  }
  return problems.length === 0 ? { ok: true, value: valid } : { ok: false, problems };
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code !== 'invalid_type') return issue.message;
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
