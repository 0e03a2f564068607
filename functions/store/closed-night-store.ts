import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ClosedNight,
  type MeteredNight,
  type StreetSums,
  sortedStreets,
} from '#schedules/report/closed-night.ts';
import type { MonthSums } from '#schedules/report/month-sums.ts';
import type { PriceLine } from '#schedules/tariff/prices.ts';
import { mapBounded } from '../shared/backoff.ts';
import { batchGet, batchWrite, type Item, queryAll, type TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';
import { packStreets, unpackStreets } from './street-sums-codec.ts';

/**
 * Closed nights (AP30) and month totals (AP33), docs/adr/0009-complete-nights.md: street sums of one
 * night, or of a month's closed nights, in items of one zone's streets (packed, split in parts so
 * that an item stays far under 400 KB), in one partition per night or month, so a report reads
 * either with one Query. Writing a night or month again replaces it.
 */

/** Streets per item: a street's row is 8 bytes a figure (14, plus one per price line) and its name. */
export const STREETS_PER_PART = 500;

/** Night items are read 1,000 keys (10 BatchGetItem calls, one after the other) a chunk, 8 chunks at once. */
const KEYS_PER_CHUNK = 1_000;
const CHUNKS_IN_FLIGHT = 8;
/** What the close needs of a night item: not its report count, its night or the ledger's marks. */
const READING_ATTRIBUTES = ['pk', 'wh', 'burnH', 'firstTs', 'lastTs'];

/** A closed night as stored, with the configuration version its plans came from. */
export interface StoredClosedNight extends ClosedNight {
  readonly configVersion: number;
  readonly closedAt: string;
}

/** A month's totals as stored, with when they were added up. */
export interface StoredMonthSums extends MonthSums {
  readonly closedAt: string;
}

export interface ClosedNightStore {
  /** The closed night, or undefined when it was never closed (or a re-close is half-written). */
  get(night: string): Promise<StoredClosedNight | undefined>;
  /** Writes the night's items (plain Puts: a retry writes the same), then deletes parts of an older close. */
  put(closed: StoredClosedNight): Promise<{ readonly items: number }>;
  /** The month's totals, or undefined when none were written (or a rewrite is half-written). */
  getMonth(month: string): Promise<StoredMonthSums | undefined>;
  /** Writes the month's totals as `put` writes a night: they replace the month's earlier totals. */
  putMonth(sums: StoredMonthSums): Promise<{ readonly items: number }>;
}

/** The readings of one night, read by key: luminaire × night, 100 a BatchGetItem (AP6 night items). */
export interface NightReadingsReader {
  nightReadings(luminaireIds: readonly string[], night: string): Promise<Map<string, MeteredNight>>;
}

/** What a part holds besides its streets: the night or month, when and how it was closed. */
type PartHead = Record<string, unknown> & { readonly closedAt: string };

/** One close as read back: the head its parts repeat, the price lines and every street. */
interface StoredSums {
  readonly head: Item;
  readonly lines: readonly PriceLine[];
  readonly streets: StreetSums[];
}

/** A part's lines and streets; a part written before the sums were packed holds them as one JSON `doc`. */
function partSums(item: Item): { lines: readonly PriceLine[]; streets: readonly StreetSums[] } {
  if (item.sums === undefined) return JSON.parse(item.doc as string);
  const lines = JSON.parse(item.lines as string) as PriceLine[];
  const packed = { names: item.streets as string, sums: item.sums as Uint8Array };
  return { lines, streets: unpackStreets(item.zone as string, packed, lines) };
}

export function makeClosedNightStore({
  db,
  tableName,
  site,
}: TableRef & { site: string }): ClosedNightStore & NightReadingsReader {
  const keys = siteKeys(site);
  const ref = { db, tableName };
  const partsOf = (pk: string) =>
    queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    });

  async function read(pk: string): Promise<StoredSums | undefined> {
    const items = await partsOf(pk);
    // Parts of the latest close only; a close that is not all there reads as not closed.
    const closedAt = items
      .map((item) => item.closedAt as string)
      .sort()
      .at(-1);
    const parts = items.filter((item) => item.closedAt === closedAt);
    const head = parts[0];
    if (head === undefined || parts.length !== head.parts) return undefined;
    const decoded = parts.map(partSums);
    return {
      head,
      lines: decoded[0]?.lines ?? [],
      streets: sortedStreets(decoded.flatMap((part) => part.streets)),
    };
  }

  async function write(
    pk: string,
    head: PartHead,
    lines: readonly PriceLine[],
    streets: readonly StreetSums[],
  ): Promise<{ items: number }> {
    const byZone = new Map<string, StreetSums[]>();
    for (const street of streets) {
      const ofZone = byZone.get(street.zone) ?? [];
      ofZone.push(street);
      byZone.set(street.zone, ofZone);
    }
    const chunks: { zone: string; part: number; streets: StreetSums[] }[] = [];
    for (const [zone, ofZone] of byZone)
      for (let i = 0; i < ofZone.length; i += STREETS_PER_PART)
        chunks.push({ zone, part: i / STREETS_PER_PART, streets: ofZone.slice(i, i + STREETS_PER_PART) });
    const linesJson = JSON.stringify(lines);
    const items: Item[] = chunks.map(({ zone, part, streets: ofPart }) => {
      const packed = packStreets(ofPart, lines);
      return {
        pk,
        sk: keys.closedNightSk(zone, part),
        ...head,
        zone,
        parts: chunks.length,
        lines: linesJson,
        streets: packed.names,
        sums: packed.sums,
      };
    });
    const before = await partsOf(pk);
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
  }

  return {
    async get(night) {
      const stored = await read(keys.closedNightPk(night));
      if (stored === undefined) return undefined;
      const { head, lines, streets } = stored;
      return {
        night,
        configVersion: head.configVersion as number,
        closedAt: head.closedAt as string,
        lines,
        streets,
      };
    },

    put: ({ night, configVersion, closedAt, lines, streets }) =>
      write(keys.closedNightPk(night), { night, configVersion, closedAt }, lines, streets),

    async getMonth(month) {
      const stored = await read(keys.monthTotalsPk(month));
      if (stored === undefined) return undefined;
      const { head, lines, streets } = stored;
      return { month, nights: head.nights as string[], closedAt: head.closedAt as string, lines, streets };
    },

    putMonth: ({ month, nights, closedAt, lines, streets }) =>
      write(keys.monthTotalsPk(month), { month, nights, closedAt }, lines, streets),

    async nightReadings(luminaireIds, night) {
      const keyList = luminaireIds.map((id) => ({
        pk: keys.luminairePk(id),
        sk: keys.luminaireDaySk(night),
      }));
      const chunks: (typeof keyList)[] = [];
      for (let i = 0; i < keyList.length; i += KEYS_PER_CHUNK)
        chunks.push(keyList.slice(i, i + KEYS_PER_CHUNK));
      const items = (
        await mapBounded(chunks, CHUNKS_IN_FLIGHT, (chunk) => batchGet(ref, chunk, false, READING_ATTRIBUTES))
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
