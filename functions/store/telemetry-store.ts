import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet, type Item, type Key, type TableRef, writeIf } from './dynamo.ts';
import { siteKeys } from './keys.ts';
import { contributionUpdate, type RollupContribution } from './rollup-store.ts';

/** One counter reading as the meter state keeps it. */
export interface HeldReading {
  readonly ts: number;
  readonly seq: number;
  readonly energyWh: number;
  readonly burningHours: number;
  /** Night of the report (YYYY-MM-DD). */
  readonly night: string;
  readonly faults: readonly string[];
}

/**
 * A luminaire's last accepted counter reading, the baseline the next report is measured against,
 * and the suspect reading held until the next one tells a glitch from a counter reset.
 */
export interface MeterState extends HeldReading {
  readonly counterId: string;
  readonly pending?: HeldReading;
  /** The plan hash of the last accepted report (absent in states written before it was kept). */
  readonly planHash?: string | null;
  /** The level of the last accepted report (absent in states written before it was kept). */
  readonly level?: number;
}

/** When a luminaire last reported, the plan it said it follows and its level (the alarm sweep's input). */
export interface LastReport {
  readonly ts: number;
  readonly planHash: string | null | undefined;
  readonly level: number | undefined;
}

/** A luminaire whose meter state is wanted, and the night it most likely sits on (its latest report's). */
export interface MeterLookup {
  readonly luminaireId: string;
  readonly night?: string;
}

/** A meter state as read, and whether it still sits on the meter item (as before ADR 0008's 2026-11-30 change). */
export interface StoredMeterState {
  readonly state: MeterState;
  readonly onMeterItem: boolean;
  /** The later night it was being moved to when a crash stopped the move (that item never took it). */
  readonly movingTo?: string;
}

/**
 * Meter states (AP14), kept on the luminaire-night item of the night of their accepted reading
 * (ADR 0008, 2026-11-30): a report inside that night is one conditional update of the item, its
 * energy and its meter state together. The meter item only points at that night. Raw reports are
 * not kept here: the telemetry stream's Firehose delivery stream archives them in S3 (ADR 0013).
 */
export interface TelemetryStore {
  meterState(luminaireId: string): Promise<MeterState | undefined>;
  /** The meter states of luminaires that have one (strongly consistent BatchGetItem rounds). */
  meterStates(lookups: readonly MeterLookup[]): Promise<Map<string, StoredMeterState>>;
  /** The last accepted report of each luminaire that has one (eventually consistent), looked for on `night` first. */
  lastReports(luminaireIds: readonly string[], night: string): Promise<Map<string, LastReport>>;
  /**
   * Replaces the meter state if unchanged since `previous` was read (absent: if there is none),
   * adding `contributions` (the batch's accepted readings of `next.night`) to that night's item in
   * the same write, under the mark of the stream `shard` (as the rollup writer adds). Moving to a
   * later night first marks the old night item and points the meter item at the new night, so a
   * crash between the writes leaves a state the next read still finds.
   */
  advance(
    luminaireId: string,
    previous: StoredMeterState | undefined,
    next: MeterState,
    contributions: readonly RollupContribution[],
    shard: string,
  ): Promise<'committed' | 'stale'>;
}

/** Where a meter-state lookup goes next: an item to read, or the answer. */
type Step =
  | { readonly read: Key; readonly onRead: (item: Item | undefined) => Step }
  | { readonly found: StoredMeterState | undefined };

/** Past this many reads a chain of moved night items is not a crash's leftover but a fault. */
const MAX_LOOKUP_ROUNDS = 8;

export function makeTelemetryStore({ db, tableName, site }: TableRef & { site: string }): TelemetryStore {
  const keys = siteKeys(site);
  const pointerKey = (id: string): Key => ({ pk: keys.luminairePk(id), sk: keys.meterSk });
  const nightKey = (id: string, night: string): Key => ({
    pk: keys.luminairePk(id),
    sk: keys.luminaireDaySk(night),
  });

  /**
   * A night item's state, unless it moved on: then the later night's, or this one when the move
   * crashed before the later item took it. An item without a state sends the lookup on to `otherwise`.
   */
  const fromNight = (id: string, night: string, otherwise: () => Step): Step => ({
    read: nightKey(id, night),
    onRead: (item) => {
      const meter = item?.meter as Item | undefined;
      if (meter === undefined) return otherwise();
      const state = meterStateOf(meter);
      const movedTo = item?.movedTo as string | undefined;
      if (movedTo === undefined) return { found: { state, onMeterItem: false } };
      return fromNight(id, movedTo, () => ({ found: { state, onMeterItem: false, movingTo: movedTo } }));
    },
  });
  /**
   * The meter item: the night it points at (or, while a move is half done, the night it came
   * from), or a state written before the night items kept it.
   */
  const fromPointer = (id: string): Step => ({
    read: pointerKey(id),
    onRead: (item) => {
      const legacy = (): Step => ({
        found: item?.counterId === undefined ? undefined : { state: meterStateOf(item), onMeterItem: true },
      });
      const home = item?.home as string | undefined;
      if (home === undefined) return legacy();
      const from = item?.from as string | undefined;
      return fromNight(id, home, () => (from === undefined ? legacy() : fromNight(id, from, legacy)));
    },
  });

  const lookUp = async (lookups: readonly MeterLookup[], consistent: boolean) => {
    const found = new Map<string, StoredMeterState>();
    let steps = lookups.map(({ luminaireId, night }) => ({
      id: luminaireId,
      step:
        night === undefined
          ? fromPointer(luminaireId)
          : fromNight(luminaireId, night, () => fromPointer(luminaireId)),
    }));
    for (let round = 0; steps.length > 0; round++) {
      if (round === MAX_LOOKUP_ROUNDS)
        throw new Error(`the meter state of ${steps[0]?.id} was not found in ${round} reads of moved nights`);
      const reads = steps.flatMap(({ step }) => ('read' in step ? [step.read] : []));
      const items = new Map(
        (await batchGet({ db, tableName }, reads, consistent)).map((item) => [`${item.pk}|${item.sk}`, item]),
      );
      const next: typeof steps = [];
      for (const { id, step } of steps) {
        const after = 'read' in step ? step.onRead(items.get(`${step.read.pk}|${step.read.sk}`)) : step;
        if ('read' in after) next.push({ id, step: after });
        else if (after.found !== undefined) found.set(id, after.found);
      }
      steps = next;
    }
    return found;
  };

  /** One conditional UpdateItem; false when its condition failed. */
  const updateIf = (key: Key, parts: UpdateParts, condition: Condition) =>
    writeIf(
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: [
            parts.adds.length === 0 ? '' : `ADD ${parts.adds.join(', ')}`,
            `SET ${parts.sets.join(', ')}`,
            parts.removes.length === 0 ? '' : `REMOVE ${parts.removes.join(', ')}`,
          ]
            .filter((clause) => clause !== '')
            .join(' '),
          ConditionExpression: condition.ConditionExpression,
          ExpressionAttributeNames: { ...parts.names, ...condition.ExpressionAttributeNames },
          ExpressionAttributeValues: { ...parts.values, ...condition.ExpressionAttributeValues },
        }),
      ),
    );

  return {
    async meterState(luminaireId) {
      return (await lookUp([{ luminaireId }], true)).get(luminaireId)?.state;
    },

    meterStates: (lookups) => lookUp(lookups, true),

    async lastReports(luminaireIds, night) {
      const states = await lookUp(
        luminaireIds.map((luminaireId) => ({ luminaireId, night })),
        false,
      );
      return new Map(
        [...states].map(([id, { state }]) => [
          id,
          { ts: state.ts, planHash: state.planHash, level: state.level },
        ]),
      );
    },

    async advance(luminaireId, previous, next, contributions, shard) {
      const night = next.night;
      const key = nightKey(luminaireId, night);
      const onNight = previous !== undefined && !previous.onMeterItem ? previous : undefined;
      /**
       * The night item takes the state and the contributions it has not taken yet: an attempt that
       * crashed can have added some under this shard's mark while they were not the state's night's.
       */
      const writeNight = async (expected: Expected): Promise<'committed' | 'stale'> => {
        let pending = contributions;
        for (let round = 0; round < MAX_NIGHT_WRITE_ROUNDS; round++) {
          const parts = nightParts(luminaireId, next, pending, shard);
          const condition = expected.condition;
          const first = pending[0];
          const written = await updateIf(
            key,
            { ...parts, removes: expected.removes },
            first === undefined
              ? condition
              : {
                  ConditionExpression: `(${condition.ConditionExpression}) AND (attribute_not_exists(#hw) OR #hw < :first)`,
                  ExpressionAttributeNames: condition.ExpressionAttributeNames,
                  ExpressionAttributeValues: {
                    ...condition.ExpressionAttributeValues,
                    ':first': first.position,
                  },
                },
          );
          if (written) return 'committed';
          const { Item } = await db.send(
            new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
          );
          if (!expected.holds(Item)) return 'stale';
          const seen = Item?.[`hw:${shard}`] as string | undefined;
          pending = contributions.filter((c) => seen === undefined || c.position > seen);
        }
        return 'stale';
      };

      if (onNight !== undefined && onNight.state.night === night) {
        // A move to a later night that crashed before the later item took the state is undone.
        const unchanged = unchangedSince(onNight.state, 'meter');
        const { movingTo } = onNight;
        return writeNight({
          condition: {
            ConditionExpression: `(${unchanged.ConditionExpression}) AND (attribute_not_exists(#movedTo)${movingTo === undefined ? '' : ' OR #movedTo = :movingTo'})`,
            ExpressionAttributeNames: { ...unchanged.ExpressionAttributeNames, '#movedTo': 'movedTo' },
            ExpressionAttributeValues: {
              ...unchanged.ExpressionAttributeValues,
              ...(movingTo === undefined ? {} : { ':movingTo': movingTo }),
            },
          },
          removes: ['#movedTo'],
          holds: (item) =>
            sameState(meterOf(item), onNight.state) &&
            (item?.movedTo === undefined || item.movedTo === movingTo),
        });
      }
      if (onNight !== undefined) {
        // Late reports of the old night read its item first: the mark sends them on to the new one.
        const unchanged = unchangedSince(onNight.state, 'meter');
        const marked = await updateIf(
          nightKey(luminaireId, onNight.state.night),
          {
            names: { '#movedTo': 'movedTo' },
            values: { ':to': night },
            adds: [],
            sets: ['#movedTo = :to'],
            removes: [],
          },
          {
            ...unchanged,
            ConditionExpression: `(${unchanged.ConditionExpression}) AND (attribute_not_exists(#movedTo) OR #movedTo = :to)`,
          },
        );
        if (!marked) return 'stale';
      }
      // Only the ledger writes the pointer, and the night items' conditions decide: it is set, not checked.
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: pointerKey(luminaireId),
          UpdateExpression:
            onNight === undefined ? 'SET #home = :home REMOVE #from' : 'SET #home = :home, #from = :from',
          ExpressionAttributeNames: { '#home': 'home', '#from': 'from' },
          ExpressionAttributeValues: {
            ':home': night,
            ...(onNight === undefined ? {} : { ':from': onNight.state.night }),
          },
        }),
      );
      return writeNight({
        condition: { ConditionExpression: 'attribute_not_exists(#meter)' },
        removes: [],
        holds: (item) => item?.meter === undefined,
      });
    },
  };
}

/** A lost race settles in a round or two; past these the batch comes again. */
const MAX_NIGHT_WRITE_ROUNDS = 4;

/** What a night item must hold for the meter state's write: as a condition, and as read back after a failed one. */
interface Expected {
  readonly condition: Condition;
  readonly removes: string[];
  readonly holds: (item: Item | undefined) => boolean;
}

/** The update of a night item setting its meter state, adding `contributions` under the shard's mark. */
function nightParts(
  luminaireId: string,
  next: MeterState,
  contributions: readonly RollupContribution[],
  shard: string,
): Omit<UpdateParts, 'removes'> {
  const night = next.night;
  const last = contributions[contributions.length - 1];
  const parts =
    last === undefined
      ? {
          names: { '#night': 'night' },
          values: { ':night': night } as Record<string, unknown>,
          adds: [],
          sets: ['#night = :night'],
        }
      : contributionUpdate({ luminaireId, night }, contributions);
  parts.names['#meter'] = 'meter';
  parts.values[':meter'] = next;
  parts.sets.push('#meter = :meter');
  if (last !== undefined) {
    parts.names['#hw'] = `hw:${shard}`;
    parts.values[':last'] = last.position;
    parts.sets.push('#hw = :last');
  }
  return parts;
}

const meterOf = (item: Item | undefined): MeterState | undefined =>
  item?.meter === undefined ? undefined : meterStateOf(item.meter as Item);

/** The same accepted reading and the same held one: what `unchangedSince` checks, on a state read. */
export function sameState(current: MeterState | undefined, previous: MeterState | undefined): boolean {
  if (previous === undefined || current === undefined) return previous === current;
  const same = (a?: { ts: number; seq: number }, b?: { ts: number; seq: number }) =>
    a === undefined || b === undefined ? a === b : a.ts === b.ts && a.seq === b.seq;
  return (
    same(current, previous) &&
    current.counterId === previous.counterId &&
    same(current.pending, previous.pending)
  );
}

interface UpdateParts {
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
  readonly adds: string[];
  readonly sets: string[];
  readonly removes: string[];
}

interface Condition {
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Record<string, unknown>;
}

export function meterStateOf(item: Item): MeterState {
  const { counterId, ts, seq, energyWh, burningHours, night, faults, pending, planHash, level } = item;
  return {
    counterId,
    ts,
    seq,
    energyWh,
    burningHours,
    night,
    faults,
    ...(pending ? { pending } : {}),
    ...(planHash === undefined ? {} : { planHash }),
    ...(level === undefined ? {} : { level }),
  } as MeterState;
}

/**
 * The item still holds `previous` (the same accepted reading and the same held one), as its own
 * attributes (a cabinet's meter item) or as the map attribute `at` (a luminaire-night item).
 */
export function unchangedSince(previous: MeterState | undefined, at?: string): Condition {
  const path = at === undefined ? '' : '#at.';
  const atName: Record<string, string> = at === undefined ? {} : { '#at': at };
  if (previous === undefined)
    return {
      ConditionExpression: at === undefined ? 'attribute_not_exists(pk)' : 'attribute_not_exists(#at)',
      ...(at === undefined ? {} : { ExpressionAttributeNames: atName }),
    };
  const accepted = `${path}#ts = :ts AND ${path}#seq = :seq AND ${path}#cid = :cid`;
  const names = { ...atName, '#ts': 'ts', '#seq': 'seq', '#cid': 'counterId', '#pending': 'pending' };
  const values = { ':ts': previous.ts, ':seq': previous.seq, ':cid': previous.counterId };
  const { pending } = previous;
  return pending === undefined
    ? {
        ConditionExpression: `${accepted} AND attribute_not_exists(${path}#pending)`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }
    : {
        ConditionExpression: `${accepted} AND ${path}#pending.#ts = :pts AND ${path}#pending.#seq = :pseq`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':pts': pending.ts, ':pseq': pending.seq },
      };
}
