import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ClosedNight,
  type MeteredNight,
  type StreetSums,
  sortedStreets,
} from '#schedules/report/closed-night.ts';
import type { PriceLine } from '#schedules/tariff/prices.ts';
import { mapBounded } from '../shared/backoff.ts';
import { batchGet, batchWrite, type Item, queryAll, type TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/**
 * Closed nights (AP30, docs/adr/0009-complete-nights.md): one night's savings sums by street, in
 * items of one zone's streets (split in parts so that an item stays far under 400 KB), in one
 * partition per night, so a report reads a night with one Query. Re-closing a night replaces it.
 */

/** Streets per item: a street's sums are ~0.5 KB of JSON, so a part stays under ~250 KB. */
export const STREETS_PER_PART = 500;

/** Night items are read 1,000 keys (10 BatchGetItem calls, one after the other) a chunk, 8 chunks at once. */
const KEYS_PER_CHUNK = 1_000;
const CHUNKS_IN_FLIGHT = 8;

/** A closed night as stored, with the configuration version its plans came from. */
export interface StoredClosedNight extends ClosedNight {
  readonly configVersion: number;
  readonly closedAt: string;
}

export interface ClosedNightStore {
  /** The closed night, or undefined when it was never closed (or a re-close is half-written). */
  get(night: string): Promise<StoredClosedNight | undefined>;
  /** Writes the night's items (plain Puts: a retry writes the same), then deletes parts of an older close. */
  put(closed: StoredClosedNight): Promise<{ readonly items: number }>;
}

/** The readings of one night, read by key: luminaire × night, 100 a BatchGetItem (AP6 night items). */
export interface NightReadingsReader {
  nightReadings(luminaireIds: readonly string[], night: string): Promise<Map<string, MeteredNight>>;
}

interface PartDoc {
  readonly lines: readonly PriceLine[];
  readonly streets: readonly StreetSums[];
}

export function makeClosedNightStore({
  db,
  tableName,
  site,
}: TableRef & { site: string }): ClosedNightStore & NightReadingsReader {
  const keys = siteKeys(site);
  const ref = { db, tableName };
  const partsOf = (night: string) =>
    queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.closedNightPk(night) },
      ConsistentRead: true,
    });
  return {
    async get(night) {
      const items = await partsOf(night);
      if (items.length === 0) return undefined;
      // Parts of the latest close only; a night whose latest close is not all there reads as not closed.
      const closedAt = items
        .map((item) => item.closedAt as string)
        .sort()
        .at(-1);
      const parts = items.filter((item) => item.closedAt === closedAt);
      if (parts.length !== (parts[0]?.parts as number)) return undefined;
      const docs = parts.map((item) => JSON.parse(item.doc as string) as PartDoc);
      return {
        night,
        configVersion: parts[0]?.configVersion as number,
        closedAt: closedAt as string,
        lines: docs[0]?.lines ?? [],
        streets: sortedStreets(docs.flatMap((doc) => doc.streets)),
      };
    },

    async put(closed) {
      const byZone = new Map<string, StreetSums[]>();
      for (const street of closed.streets) {
        const ofZone = byZone.get(street.zone) ?? [];
        ofZone.push(street);
        byZone.set(street.zone, ofZone);
      }
      const chunks: { zone: string; part: number; streets: StreetSums[] }[] = [];
      for (const [zone, streets] of byZone)
        for (let i = 0; i < streets.length; i += STREETS_PER_PART)
          chunks.push({ zone, part: i / STREETS_PER_PART, streets: streets.slice(i, i + STREETS_PER_PART) });
      const items: Item[] = chunks.map(({ zone, part, streets }) => ({
        pk: keys.closedNightPk(closed.night),
        sk: keys.closedNightSk(zone, part),
        night: closed.night,
        zone,
        closedAt: closed.closedAt,
        configVersion: closed.configVersion,
        parts: chunks.length,
        doc: JSON.stringify({ lines: closed.lines, streets } satisfies PartDoc),
      }));
      const before = await partsOf(closed.night);
      if (items.length === 1) await db.send(new PutCommand({ TableName: tableName, Item: items[0] as Item }));
      else
        await batchWrite(
          ref,
          items.map((Item) => ({ PutRequest: { Item } })),
        );
      const written = new Set(items.map((item) => item.sk));
      const stale = before.filter((item) => !written.has(item.sk as string));
      await batchWrite(
        ref,
        stale.map((item) => ({ DeleteRequest: { Key: { pk: item.pk as string, sk: item.sk as string } } })),
      );
      return { items: items.length };
    },

    async nightReadings(luminaireIds, night) {
      const keyList = luminaireIds.map((id) => ({
        pk: keys.luminairePk(id),
        sk: keys.luminaireDaySk(night),
      }));
      const chunks: (typeof keyList)[] = [];
      for (let i = 0; i < keyList.length; i += KEYS_PER_CHUNK)
        chunks.push(keyList.slice(i, i + KEYS_PER_CHUNK));
      const items = (
        await mapBounded(chunks, CHUNKS_IN_FLIGHT, (chunk) => batchGet(ref, chunk, false))
      ).flat();
      const readings = new Map<string, MeteredNight>();
      for (const item of items) {
        const id = (item.pk as string).slice(keys.luminairePk('').length);
        readings.set(id, {
          wh: (item.wh as number | undefined) ?? 0,
          burnH: (item.burnH as number | undefined) ?? 0,
          firstTs: (item.firstTs as number | undefined) ?? null,
          lastTs: (item.lastTs as number | undefined) ?? null,
        });
      }
      return readings;
    },
  };
}
