import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LiveStateColumns } from '#protocol/live-state.ts';
import { batchGet, batchWrite, type TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/** One luminaire as the sweep saw it (codes from protocol/live-state.ts). */
export interface LiveStateEntry {
  readonly id: string;
  readonly zone: string;
  readonly street: string;
  readonly lon: number;
  readonly lat: number;
  /** Index into LIVE_STATES. */
  readonly state: number;
  readonly level: number;
  /** Seconds between the last report and the snapshot; -1: never reported. */
  readonly age: number;
}

export interface LiveStatePartRef {
  readonly key: string;
  readonly zone: string;
  readonly count: number;
}

/** The snapshot's head: when it was taken and its parts, in zone then street order. */
export interface LiveStateHead {
  readonly at: string;
  readonly reportIntervalSeconds: number;
  readonly parts: readonly LiveStatePartRef[];
}

/** Up to LIVE_STATE_PART_SIZE luminaires of one zone, in the page's columns (`street` into `streets`). */
export interface LiveStatePart extends LiveStateColumns {
  readonly key: string;
  readonly zone: string;
  readonly streets: readonly string[];
}

/**
 * Luminaires per part: about 40 bytes each in DynamoDB's encoding, so a part stays near 80 KB, far
 * below the 400 KB item limit, and one zone of a large city is a few parts.
 */
export const LIVE_STATE_PART_SIZE = 2_000;

/** About a metre: enough to draw a luminaire, and five digits fewer to store and send. */
export const round5 = (degrees: number): number => Math.round(degrees * 1e5) / 1e5;

/** Entries grouped by zone, ordered by street then id, cut into parts. */
export function toParts(
  site: string,
  entries: readonly LiveStateEntry[],
  size = LIVE_STATE_PART_SIZE,
): LiveStatePart[] {
  const keys = siteKeys(site);
  const byZone = new Map<string, LiveStateEntry[]>();
  for (const entry of entries) {
    const zone = byZone.get(entry.zone);
    if (zone === undefined) byZone.set(entry.zone, [entry]);
    else zone.push(entry);
  }
  const parts: LiveStatePart[] = [];
  for (const zone of [...byZone.keys()].sort()) {
    const sorted = (byZone.get(zone) ?? []).sort((a, b) =>
      a.street === b.street ? (a.id < b.id ? -1 : 1) : a.street < b.street ? -1 : 1,
    );
    for (let start = 0, n = 0; start < sorted.length; start += size, n++) {
      const slice = sorted.slice(start, start + size);
      const streets = [...new Set(slice.map((entry) => entry.street))];
      const streetIndex = new Map(streets.map((street, i) => [street, i]));
      parts.push({
        key: keys.liveStatePartSk(zone, n),
        zone,
        streets,
        ids: slice.map((entry) => entry.id),
        lon: slice.map((entry) => round5(entry.lon)),
        lat: slice.map((entry) => round5(entry.lat)),
        street: slice.map((entry) => streetIndex.get(entry.street) ?? 0),
        state: slice.map((entry) => entry.state),
        level: slice.map((entry) => entry.level),
        age: slice.map((entry) => entry.age),
      });
    }
  }
  return parts;
}

/** The live-state snapshot (AP25): written whole by each sweep, read by `GET /luminaires/state`. */
export interface LiveStateStore {
  /** Replaces the snapshot: the parts, then the head naming them, then the parts no longer named. */
  replace(at: string, reportIntervalSeconds: number, entries: readonly LiveStateEntry[]): Promise<void>;
  head(): Promise<LiveStateHead | undefined>;
  /** The parts of these keys that exist, in the order asked. */
  parts(keys: readonly string[]): Promise<LiveStatePart[]>;
}

export function makeLiveStateStore({ db, tableName, site }: TableRef & { site: string }): LiveStateStore {
  const keys = siteKeys(site);
  const pk = keys.liveStatePk;
  const ref = { db, tableName };
  const head = async (): Promise<LiveStateHead | undefined> => {
    const out = await db.send(
      new GetCommand({ TableName: tableName, Key: { pk, sk: keys.liveStateHeadSk } }),
    );
    if (out.Item === undefined) return undefined;
    const { at, reportIntervalSeconds, parts } = out.Item;
    return { at, reportIntervalSeconds, parts };
  };
  return {
    head,

    async replace(at, reportIntervalSeconds, entries) {
      const previous = await head();
      const parts = toParts(site, entries);
      await batchWrite(
        ref,
        parts.map(({ key, ...part }) => ({ PutRequest: { Item: { pk, sk: key, ...part } } })),
      );
      const refs = parts.map(({ key, zone, ids }) => ({ key, zone, count: ids.length }));
      // The head goes last: a reader never follows it to a part not written yet.
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk, sk: keys.liveStateHeadSk, at, reportIntervalSeconds, parts: refs },
        }),
      );
      const kept = new Set(refs.map((part) => part.key));
      const gone = (previous?.parts ?? []).filter((part) => !kept.has(part.key));
      await batchWrite(
        ref,
        gone.map((part) => ({ DeleteRequest: { Key: { pk, sk: part.key } } })),
      );
    },

    async parts(partKeys) {
      const items = await batchGet(
        ref,
        partKeys.map((sk) => ({ pk, sk })),
        false,
      );
      const byKey = new Map(
        items.map(({ pk: _pk, sk, ...part }) => [sk as string, { key: sk, ...part } as LiveStatePart]),
      );
      return partKeys.flatMap((key) => {
        const part = byKey.get(key);
        return part === undefined ? [] : [part];
      });
    },
  };
}
