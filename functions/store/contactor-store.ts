import type { ContactorNights, LocalDate, Transition } from '#schedules/index.ts';
import { batchGet, batchWrite, type TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/**
 * The connected cabinets' contactors the nightly push planned from the whole inventory (AP34): the
 * plan-push chunks read the few their shard is behind instead of reading the inventory each.
 */
export interface ContactorStore {
  /** Records each cabinet's contactor by night for the push of `night` (its first night). */
  save(night: LocalDate, contactors: ReadonlyMap<string, ContactorNights>): Promise<void>;
  /** The contactors of these cabinets recorded for the push of `night`; a cabinet not recorded is absent. */
  get(night: LocalDate, cabinetIds: readonly string[]): Promise<Map<string, ContactorNights>>;
}

/** Kept a week past the push's first night, for a chunk SQS delivers late; nothing reads them after. */
const KEEP_SECONDS = 7 * 86_400;

/** A night's steps as [at, level, at, level, ...]: half the attributes of a list of maps. */
const flat = (steps: readonly Transition[] | null): number[] | null =>
  steps === null ? null : steps.flatMap((step) => [step.at, step.level]);

function unflat(values: readonly number[] | null): Transition[] | null {
  if (values === null) return null;
  const steps: Transition[] = [];
  for (let i = 0; i + 1 < values.length; i += 2)
    steps.push({ at: values[i] as number, level: values[i + 1] as number });
  return steps;
}

export function makeContactorStore({ db, tableName, site }: TableRef & { site: string }): ContactorStore {
  const keys = siteKeys(site);
  const ref = { db, tableName };
  const keyOf = (night: LocalDate, cabinetId: string) => ({
    pk: keys.contactorsPk(night),
    sk: keys.cabinetSk(cabinetId),
  });
  return {
    async save(night, contactors) {
      const expiresAt = Date.parse(`${night}T12:00:00Z`) / 1000 + KEEP_SECONDS;
      await batchWrite(
        ref,
        [...contactors].map(([id, nights]) => ({
          PutRequest: {
            Item: {
              ...keyOf(night, id),
              id,
              nights: Object.fromEntries([...nights].map(([date, steps]) => [date, flat(steps)])),
              expiresAt,
            },
          },
        })),
      );
    },

    async get(night, cabinetIds) {
      const items = await batchGet(
        ref,
        [...new Set(cabinetIds)].map((id) => keyOf(night, id)),
      );
      return new Map(
        items.map((item) => [
          item.id as string,
          new Map(
            Object.entries(item.nights as Record<string, number[] | null>).map(([date, values]) => [
              date,
              unflat(values),
            ]),
          ),
        ]),
      );
    },
  };
}
