import { etagOf } from '#functions/api/etag.ts';
import type { CalendarRule, Config, Override, Profile } from '#schedules/config/schema.ts';
import type { Etags } from './config-file.ts';

/** The configuration items the API serves, as its list routes return them. */
export interface LiveConfig {
  readonly profiles: Readonly<Record<string, Profile>>;
  readonly calendar: readonly CalendarRule[];
  readonly overrides: readonly Override[];
}

export type ItemKind = 'profile' | 'rule' | 'override';

/** One request `apply` sends, and that `diff` and `apply` dry-run first (same method, path, body, headers). */
export interface Change {
  readonly kind: ItemKind;
  readonly id: string;
  readonly op: 'add' | 'change' | 'remove';
  readonly method: 'PUT' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

export interface ChangePlan {
  readonly changes: readonly Change[];
  /** Why the file cannot be applied as it is, one line each (nothing is sent). */
  readonly problems: readonly string[];
  /** Items the server has that the pull did not see: left alone. */
  readonly notes: readonly string[];
}

const COLLECTION = { profile: '/profiles', rule: '/calendar/rules', override: '/overrides' } as const;
const ETAG_KEY = { profile: 'profiles', rule: 'calendar', override: 'overrides' } as const;

/**
 * What applying `file` to the live configuration sends, item by item. Removals are limited to the
 * items the pull saw (an item added on the server since is not the technician's to delete), and
 * every change of an existing item carries the ETag the pull read, so the server refuses it (412)
 * if someone changed the item since. Order: what others may reference first (profiles, then rules),
 * removals in the reverse order, so each step can hold on its own.
 */
export function planChanges(file: Config, live: LiveConfig, etags: Etags, now: number): ChangePlan {
  const problems: string[] = [];
  const notes: string[] = [];
  const collect = <T>(
    kind: ItemKind,
    wanted: ReadonlyMap<string, T>,
    current: ReadonlyMap<string, T>,
  ): { puts: Change[]; removes: Change[] } => {
    const pulled = etags[ETAG_KEY[kind]];
    const puts: Change[] = [];
    const removes: Change[] = [];
    const itemPath = (id: string) => `${COLLECTION[kind]}/${encodeURIComponent(id)}`;
    for (const [id, item] of wanted) {
      const before = current.get(id);
      const tag = pulled[id];
      if (before === undefined) {
        if (tag !== undefined) {
          problems.push(`${kind} ${id}: removed on the server since the pull; pull again`);
        } else if (kind === 'override') {
          puts.push({
            kind,
            id,
            op: 'add',
            method: 'POST',
            path: COLLECTION.override,
            body: item,
            headers: { 'idempotency-key': idempotencyKey(item) },
          });
        } else {
          puts.push({
            kind,
            id,
            op: 'add',
            method: 'PUT',
            path: itemPath(id),
            body: item,
            headers: { 'if-none-match': '*' },
          });
        }
        continue;
      }
      if (etagOf(before) === etagOf(item)) continue;
      if (tag === undefined) {
        problems.push(`${kind} ${id}: added on the server since the pull; pull again`);
      } else if (kind === 'override') {
        problems.push(
          `override ${id}: an override cannot be edited through the API; remove it from the file (it ends now) and add one with a new id`,
        );
      } else {
        puts.push({
          kind,
          id,
          op: 'change',
          method: 'PUT',
          path: itemPath(id),
          body: item,
          headers: { 'if-match': tag },
        });
      }
    }
    for (const [id, item] of current) {
      if (wanted.has(id)) continue;
      const tag = pulled[id];
      if (tag === undefined) {
        notes.push(`${kind} ${id}: added on the server since the pull, left alone (pull to see it)`);
      } else if (kind !== 'override' || Date.parse((item as Override).until) > now) {
        removes.push({
          kind,
          id,
          op: 'remove',
          method: 'DELETE',
          path: itemPath(id),
          headers: { 'if-match': tag },
        });
      }
    }
    return { puts, removes };
  };

  const rulesWithoutId = file.calendar.flatMap((rule, i) => (rule.id === undefined ? [i] : []));
  for (const i of rulesWithoutId)
    problems.push(`calendar[${i}]: a rule needs an id to be applied through the API (pulled rules have one)`);

  const profiles = collect(
    'profile',
    new Map(Object.entries(file.profiles)),
    new Map(Object.entries(live.profiles)),
  );
  const rules = collect(
    'rule',
    new Map(file.calendar.flatMap((rule) => (rule.id === undefined ? [] : [[rule.id, rule] as const]))),
    new Map(live.calendar.flatMap((rule) => (rule.id === undefined ? [] : [[rule.id, rule] as const]))),
  );
  const overrides = collect(
    'override',
    new Map(file.overrides.map((o) => [o.id, o] as const)),
    new Map(live.overrides.map((o) => [o.id, o] as const)),
  );
  return {
    changes: [
      ...profiles.puts,
      ...rules.puts,
      ...overrides.puts,
      ...overrides.removes,
      ...rules.removes,
      ...profiles.removes,
    ],
    problems,
    notes,
  };
}

/**
 * The same override posted again (a retried apply) gets the same key, so the API answers the first
 * creation back instead of creating it twice.
 */
function idempotencyKey(override: unknown): string {
  return `lighting-config-${etagOf(override).slice(1, -1)}`;
}
