import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { makeNightClose } from '#functions/reports/night-close.ts';
import { loadSavingsReport } from '#functions/reports/savings-report.ts';
import { documentClientFor } from '#functions/shared/clients.ts';
import { makeStores, type Stores } from '#functions/store/index.ts';
import { makeHandler } from '#functions/telemetry/ledger.handler.ts';
import type { RejectReason } from '#functions/telemetry/reject-reasons.ts';
import { startIotLocal } from '#local-cloud/index.ts';
import { compileRule } from '#local-runtime/iot-rules.ts';
import { startLocalRecordStream } from '#local-runtime/record-stream.ts';
import {
  LOCAL_TELEMETRY_RULE,
  TELEMETRY_RULE_SQL,
  type TelemetryEvent,
  telemetryIngestTopic,
} from '#protocol/messages/telemetry.ts';
import { type Luminaire, NO_CIRCUITS, planNight } from '#schedules/index.ts';
import { testConfig, testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { localDynamoDb, uniqueName } from '../local-clients.ts';
import { eventually, localSite } from './local-site.ts';

/** 2026-06-21 23:30 Paris. */
const T = Date.parse('2026-06-21T21:30:00Z') / 1000;
const NIGHT = '2026-06-21';
const SHARD = 'shardId-000000000000';

type Handler = (event: unknown) => Promise<KinesisStreamBatchResponse>;

/** Luminaires of a zone of their own that never report: the night close's zone and street of 0 Wh. */
const silentZone = (count: number): Luminaire[] =>
  testLuminaires(count, uniqueName('Q')).map((l) => ({ ...l, zone: 'faubourg', street: 'Rue Barbacane' }));

async function setup(count = 2, now = T, silent: readonly Luminaire[] = []) {
  const luminaires = testLuminaires(count, uniqueName('T')) as [Luminaire, Luminaire, ...Luminaire[]];
  const site = await localSite(testConfig(), [...luminaires, ...silent]);
  const counted: RejectReason[] = [];
  const handlerOver = (stores: Stores): Handler =>
    makeHandler({
      config: () => stores.config.load(),
      luminairesOf: (things) => stores.luminaires.byThings(things),
      meters: stores.telemetry,
      rollups: stores.rollups,
      alarms: stores.alarms,
      rejects: stores.rejects,
      countReject: (reason) => counted.push(reason),
      now: () => now,
    });
  return { site, handler: handlerOver(site.stores), handlerOver, counted, luminaires };
}

/** A report as the telemetry rule delivers it, received two seconds after the controller's `ts`. */
const report = (luminaire: Luminaire, over: Partial<TelemetryEvent>): TelemetryEvent => ({
  thing: luminaire.thingName,
  ts: T,
  seq: 0,
  counterId: 'drv-1',
  energyWh: 5_000,
  burningHours: 300,
  level: 70,
  powerW: 25,
  planHash: null,
  faults: [],
  receivedAt: ((over.ts ?? T) + 2) * 1000,
  ...over,
});

let nextSequence = 1_000n;
/** Records of one shard as the event source mapping sends them; `data` may be any JSON (or text). */
function stream(data: readonly unknown[]): KinesisStreamEvent['Records'] {
  return data.map((d) => {
    nextSequence += 1n;
    return {
      eventID: `${SHARD}:${nextSequence}`,
      eventSource: 'aws:kinesis',
      eventName: 'aws:kinesis:record',
      eventVersion: '1.0',
      eventSourceARN: 'arn:aws:kinesis:local:000000000000:stream/telemetry',
      awsRegion: 'local',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/local',
      kinesis: {
        data: Buffer.from(typeof d === 'string' ? d : JSON.stringify(d)).toString('base64'),
        sequenceNumber: String(nextSequence),
        partitionKey: 'p',
        kinesisSchemaVersion: '1.0',
        approximateArrivalTimestamp: T,
      },
    };
  });
}

/**
 * Delivers records as the event source mapping does: batches of `batchSize` from the checkpoint; a
 * batch that throws comes again from its first record, one that reports a failure resumes there.
 */
async function deliver(handler: Handler, records: KinesisStreamEvent['Records'], batchSize = records.length) {
  let checkpoint = 0;
  let failures = 0;
  while (checkpoint < records.length) {
    const batch = records.slice(checkpoint, checkpoint + batchSize);
    try {
      const { batchItemFailures } = await handler({ Records: batch });
      const failed = batchItemFailures[0]?.itemIdentifier;
      checkpoint =
        failed === undefined
          ? checkpoint + batch.length
          : records.findIndex((r) => r.kinesis.sequenceNumber === failed);
      if (failed !== undefined) failures++;
    } catch {
      failures++;
    }
    if (failures > 50) throw new Error('the batch never went through');
  }
  return failures;
}

/** 13:00 in Paris on 2026-06-23: the nights of the 21st and the 22nd are over, the close may close either. */
const CLOSE_TIME = '2026-06-23T11:00:00Z';

/**
 * Wh of a night: the total of its luminaire-night items (the only items the ledger writes), and by
 * zone and by street both as those items add up and as the night close sums them (ADR 0009), every
 * zone and street of `luminaires` present, a silent one with 0.
 */
async function nightTotals(site: { stores: Stores }, luminaires: readonly Luminaire[], night = NIGHT) {
  const items = await Promise.all(
    luminaires.map(async (l) => {
      const nights = await site.stores.rollups.luminaireNights(l.id, night, night);
      return { luminaire: l, wh: nights.reduce((total, n) => total + n.wh, 0) };
    }),
  );
  const byPlace = (rows: readonly { zone: string; street: string; wh: number }[]) => {
    const zones: Record<string, number> = {};
    const streets: Record<string, number> = {};
    for (const { zone, street, wh } of rows) {
      zones[zone] = (zones[zone] ?? 0) + wh;
      streets[`${zone}/${street}`] = (streets[`${zone}/${street}`] ?? 0) + wh;
    }
    return { zones, streets };
  };
  await makeNightClose({
    config: site.stores.config,
    luminaires: site.stores.luminaires,
    cabinets: site.stores.cabinets,
    closedNights: site.stores.closedNights,
    now: () => Date.parse(CLOSE_TIME) / 1000,
  })({ scheduledTime: CLOSE_TIME, night });
  const closed = await site.stores.closedNights.get(night);
  return {
    nights: items.reduce((total, { wh }) => total + wh, 0),
    ofItems: byPlace(items.map(({ luminaire, wh }) => ({ ...luminaire, wh }))),
    closed: byPlace((closed?.streets ?? []).map((s) => ({ ...s, wh: s.meteredWh + s.partialMeteredWh }))),
  };
}

/** Each night's luminaire-night items add up to its Wh, and the night close sums them by zone and street exactly. */
async function expectExactNights(
  site: { stores: Stores },
  luminaires: readonly Luminaire[],
  whByNight: Readonly<Record<string, number>>,
) {
  for (const [night, wh] of Object.entries(whByNight)) {
    const totals = await nightTotals(site, luminaires, night);
    expect(totals.nights).toBe(wh);
    expect(totals.closed).toEqual(totals.ofItems);
  }
}

/** Two luminaires through duplicates, late arrivals, a driver change and a repeated burst: 48 + 10 Wh. */
function fieldDay(a: Luminaire, b: Luminaire): TelemetryEvent[] {
  return [
    report(a, { seq: 0, energyWh: 5_000 }),
    report(a, { seq: 1, ts: T + 900, energyWh: 5_010, burningHours: 300.25 }),
    report(a, { seq: 3, ts: T + 2_700, energyWh: 5_030, burningHours: 300.75 }),
    report(a, { seq: 2, ts: T + 1_800, energyWh: 5_020, burningHours: 300.5 }),
    report(a, { seq: 1, ts: T + 900, energyWh: 5_010, burningHours: 300.25 }),
    report(b, { seq: 7, energyWh: 100 }),
    report(a, { seq: 0, ts: T + 3_600, counterId: 'drv-2', energyWh: 2, burningHours: 0 }),
    report(a, { seq: 1, ts: T + 4_500, counterId: 'drv-2', energyWh: 9, burningHours: 0.25 }),
    report(b, { seq: 8, ts: T + 900, energyWh: 110 }),
    ...[1, 2, 3].map(() =>
      report(a, { seq: 2, ts: T + 5_400, counterId: 'drv-2', energyWh: 20, burningHours: 0.5 }),
    ),
  ];
}

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('batched telemetry ledger against DynamoDB Local', () => {
  it("adds exactly the counter differences to each luminaire's night item, brackets the night, and adds nothing for a redelivered batch", async () => {
    const { site, handler, luminaires } = await setup();
    const [a, b] = luminaires;
    const records = stream(fieldDay(a, b));
    await deliver(handler, records, 4);
    await deliver(handler, records);

    await expectExactNights(site, luminaires, { [NIGHT]: 58 });
    expect(await site.stores.rollups.luminaireNights(a.id, NIGHT, NIGHT)).toEqual([
      { night: NIGHT, wh: 48, burnH: 1.25, reports: 6, firstTs: T, lastTs: T + 5_400 },
    ]);
    expect(await site.stores.telemetry.meterState(a.id)).toMatchObject({ counterId: 'drv-2', energyWh: 20 });
  });

  it('keeps the first and last accepted reading times of the night on the luminaire-night item', async () => {
    const { site, handler, luminaires } = await setup(1);
    const [a] = luminaires;
    await deliver(
      handler,
      stream([report(a, { seq: 0 }), report(a, { seq: 1, ts: T + 900, energyWh: 5_009 })]),
    );
    await deliver(handler, stream([report(a, { seq: 2, ts: T + 1_800, energyWh: 5_019 })]));
    const { Item } = await documentClientFor(localDynamoDb()).send(
      new GetCommand({
        TableName: site.tables.main,
        Key: { pk: `SITE#test#LUM#${a.id}`, sk: `DAY#${NIGHT}` },
      }),
    );
    expect(Item).toMatchObject({ firstTs: T, lastTs: T + 1_800, wh: 19, reports: 3 });
  });

  it("stays exact when the invocation crashes after any number of writes and the batch comes again, and the night close's zone and street sums are the night items'", async () => {
    const ROUNDS = 8;
    let crashes = 0;
    const silent = silentZone(2);
    const { site, handler, luminaires } = await setup(3 * ROUNDS, T, silent);
    for (let k = 0; k < ROUNDS; k++) {
      const [a, b, c] = luminaires.slice(3 * k) as [Luminaire, Luminaire, Luminaire];
      const records = stream([
        ...fieldDay(a, b),
        report(c, { seq: 0, energyWh: 1 }),
        report(c, { seq: 1, ts: T + 900, energyWh: 8 }),
      ]);
      if (await crashThenDeliver(site, handler, k, records, 5)) crashes++;
    }
    expect(crashes).toBeGreaterThanOrEqual(ROUNDS - 2);
    // Each round: 48 + 10 Wh (the field day) + 7 Wh, half the rounds' 55 Wh in one zone, half in the other.
    const totals = await nightTotals(site, [...luminaires, ...silent]);
    expect(totals.nights).toBe(65 * ROUNDS);
    expect(totals.ofItems.zones).toEqual({
      bastide: 65 * (ROUNDS / 2),
      cite: 65 * (ROUNDS / 2),
      faubourg: 0,
    });
    expect(totals.closed).toEqual(totals.ofItems);
  });

  it('recovers from DynamoDB throttling past the SDK retries: the batch fails, comes again and counts once', async () => {
    const { site, handlerOver, luminaires } = await setup(2);
    const [a, b] = luminaires;
    const real = documentClientFor(localDynamoDb());
    const throttled = DynamoDBDocumentClient.from(localDynamoDb());
    const mock = mockClient(throttled);
    let throttles = 6;
    // Everything else reaches DynamoDB Local unchanged.
    for (const Command of [QueryCommand, GetCommand, PutCommand, BatchGetCommand, BatchWriteCommand]) {
      mock
        .on(Command as never)
        .callsFake((input) => real.send(new (Command as unknown as new (i: unknown) => never)(input)));
    }
    mock.on(UpdateCommand).callsFake((input) => {
      if (throttles-- > 0) {
        const error = new Error('Rate of requests exceeds the allowed throughput');
        error.name = 'ProvisionedThroughputExceededException';
        throw error;
      }
      return real.send(new UpdateCommand(input));
    });
    const stores = makeStores({
      db: throttled,
      tableName: site.tables.main,
      telemetryTableName: site.tables.telemetry,
      site: 'test',
    });
    const failures = await deliver(handlerOver(stores), stream(fieldDay(a, b)), 6);
    expect(failures).toBeGreaterThan(0);
    await expectExactNights(site, luminaires, { [NIGHT]: 58 });
    mock.restore();
  });

  it('reports a night complete only when its ingested readings bracket its planned window, and every zone', async () => {
    const plan = planNight(testConfig(), testLuminaires(1), NIGHT, NO_CIRCUITS).luminaires[0];
    const [on, off] = [plan?.on ?? 0, plan?.off ?? 0];
    // The handler's clock is the morning after: no reading of the night is in its future.
    const { site, handler, luminaires } = await setup(4, off + 3600);
    const [full, , late] = luminaires;
    const readings = (luminaire: Luminaire, times: readonly number[]) =>
      times.map((ts, seq) => report(luminaire, { seq, ts, energyWh: 5_000 + 50 * seq }));
    await deliver(
      handler,
      stream([
        ...readings(full, [on - 60, on + 4 * 3600, off + 60]),
        ...readings(late as Luminaire, [on + 2 * 3600, off - 4 * 3600, off + 60]),
      ]),
    );

    const [fullNight] = await site.stores.rollups.luminaireNights(full.id, NIGHT, NIGHT);
    expect(fullNight).toMatchObject({ firstTs: on - 60, lastTs: off + 60 });
    const savings = await loadSavingsReport(site.stores, { from: NIGHT, to: NIGHT, groupBy: 'zone' });
    const counts = savings.groups.map((g) => [
      g.key,
      g.completeLuminaireNights,
      g.partialLuminaireNights,
      g.silentLuminaireNights,
    ]);
    expect(counts).toEqual([
      ['bastide', 1, 1, 0],
      ['cite', 0, 0, 2],
    ]);
    expect(savings.total.meteredKwh).toBeCloseTo(0.1, 9);
    expect(savings.total.partialMeteredKwh).toBeCloseTo(0.1, 9);
    expect(savings.groups[1]?.savingsShare).toBe(0);
  });

  it('keeps bad reports out of the ledger, in the rejects store with a metric, and goes on with the batch', async () => {
    const { site, handler, counted, luminaires } = await setup(1);
    const [a] = luminaires;
    const future = Date.parse('2100-01-01T00:00:00Z') / 1000;
    await deliver(
      handler,
      stream([
        report(a, { seq: 0, energyWh: 5_000 }),
        { ...report(a, { seq: 1 }), energyWh: 'lots' },
        'not json',
        report({ ...a, thingName: 'nobody' }, { seq: 1, ts: T + 300 }),
        report(a, { seq: 2, ts: future, receivedAt: (T + 300) * 1000, energyWh: 5_004 }),
        report(a, { seq: 3, ts: T + 600, energyWh: 3 }),
        report(a, { seq: 4, ts: T + 900, energyWh: 5_009 }),
      ]),
    );
    expect(counted.sort()).toEqual([
      'counter-decrease',
      'future-timestamp',
      'invalid',
      'invalid',
      'unknown-luminaire',
    ]);
    expect((await site.stores.rejects.list(a.thingName, 0, Date.now())).map((r) => r.reason).sort()).toEqual([
      'counter-decrease',
      'future-timestamp',
      'invalid',
    ]);
    expect(await site.stores.rejects.list('nobody', 0, Date.now())).toEqual([
      expect.objectContaining({ reason: 'unknown-luminaire' }),
    ]);
    expect(await site.stores.rollups.luminaireNights(a.id, NIGHT, NIGHT)).toEqual([
      { night: NIGHT, wh: 9, burnH: 0, reports: 2, firstTs: T, lastTs: T + 900 },
    ]);
  });

  it('opens an alarm for a fault the last accepted reading reports and clears it when it is gone', async () => {
    const { site, handler, luminaires } = await setup(1);
    const [a] = luminaires;
    await deliver(handler, stream([report(a, { seq: 0, faults: ['lampFailure'] })]));
    expect(await site.stores.alarms.listOpen(a.zone)).toEqual([
      expect.objectContaining({ luminaireId: a.id, kind: 'lampFailure', state: 'open' }),
    ]);
    await deliver(handler, stream([report(a, { seq: 1, ts: T + 900, faults: [] })]));
    expect(await site.stores.alarms.listOpen()).toEqual([]);
  });

  it('ingests reports published by Basic Ingest exactly, through a restart of the broker, booked to the thing of the topic', async () => {
    const { site, handler, luminaires } = await setup(2);
    const [own, other] = luminaires;
    const rule = compileRule(TELEMETRY_RULE_SQL);
    const records = startLocalRecordStream(handler, { name: 'telemetry', shards: 2, batchSize: 3 });
    closers.push(async () => records.stop());
    const startBroker = async (port?: number) => {
      const iot = await startIotLocal(port === undefined ? {} : { mqttPort: port });
      iot.routeRule(LOCAL_TELEMETRY_RULE, (topic, payload) => {
        const event = rule.toEvent(topic, payload, (T + 1_000) * 1000);
        if (event !== undefined && rule.matches(topic))
          records.put(String(event.thing), JSON.stringify(event));
      });
      return iot;
    };
    let iot = await startBroker();
    const port = Number(new URL(iot.mqttUrl).port);
    closers.push(() => iot.stop());
    const device = await mqtt.connectAsync(iot.mqttUrl, { protocolVersion: 4, reconnectPeriod: 50 });
    closers.push(() => device.endAsync());
    const publish = (seq: number, energyWh: number) => {
      // The payload claims another luminaire: the rule takes the thing from the topic.
      const { receivedAt: _r, ...payload } = report(other, { seq, ts: T + 60 * seq, energyWh });
      return device.publishAsync(
        telemetryIngestTopic(LOCAL_TELEMETRY_RULE, own.thingName),
        JSON.stringify(payload),
        {
          qos: 1,
        },
      );
    };
    for (let seq = 0; seq < 5; seq++) await publish(seq, 700 + seq);
    await iot.stop();
    iot = await startBroker(port);
    await eventually(() => device.connected, 'device reconnected after the broker restart');
    // After a restart a device sends its last reports again (QoS 1 redelivery) and goes on.
    for (let seq = 3; seq < 8; seq++) await publish(seq, 700 + seq);
    await records.drained();
    expect(await site.stores.telemetry.meterState(own.id)).toMatchObject({ energyWh: 707, seq: 7 });
    expect(await site.stores.telemetry.meterState(other.id)).toBeUndefined();
    await expectExactNights(site, luminaires, { [NIGHT]: 7 });
  });
});

/** Local noon of 2026-06-22 in Paris: the night of the 21st ends and the night of the 22nd begins. */
const NOON = Date.parse('2026-06-22T10:00:00Z') / 1000;
const NEXT = '2026-06-22';

/** Reports every 15 minutes from an hour before noon, 5 Wh apart: 15 Wh in the night of the 21st, 20 in the next. */
const aroundNoon = (a: Luminaire, seqs = [0, 1, 2, 3, 4, 5, 6, 7]) =>
  seqs.map((seq) =>
    report(a, { seq, ts: NOON - 3_600 + 900 * seq, energyWh: 1_000 + 5 * seq, burningHours: 300 + seq / 4 }),
  );

const nightsWh = async (site: { stores: Stores }, a: Luminaire) =>
  (await site.stores.rollups.luminaireNights(a.id, NIGHT, NEXT)).map(({ night, wh, reports }) => ({
    night,
    wh,
    reports,
  }));

describe('the meter state on the luminaire-night item, across the night boundary', () => {
  it("books a report straddling two nights to the later one and counts on from the earlier night's state, through duplicates and a redelivered first report of the night", async () => {
    const { site, handler, luminaires } = await setup(1);
    const [a] = luminaires;
    const [r0, r1, r2, r3, r4, r5, r6, r7] = aroundNoon(a) as [TelemetryEvent, ...TelemetryEvent[]];
    await deliver(handler, stream([r0, r1, r2, r3]), 2);
    await deliver(handler, stream([r4]));
    await deliver(handler, stream([r4, r3, r5]));
    await deliver(handler, stream([r6, r4, r7, r7]), 1);
    expect(await nightsWh(site, a)).toEqual([
      { night: NIGHT, wh: 15, reports: 4 },
      { night: NEXT, wh: 20, reports: 4 },
    ]);
    await expectExactNights(site, luminaires, { [NIGHT]: 15, [NEXT]: 20 });
    expect(await site.stores.telemetry.meterState(a.id)).toMatchObject({
      seq: 7,
      energyWh: 1_035,
      night: NEXT,
    });
  });

  it("counts nothing for a late report of the night the meter state left, though that night's item is read first", async () => {
    const { site, handler, luminaires } = await setup(1);
    const [a] = luminaires;
    await deliver(handler, stream(aroundNoon(a, [0, 1, 2, 4, 5])));
    const late = report(a, { seq: 3, ts: NOON - 900, energyWh: 1_015, burningHours: 300.75 });
    await deliver(handler, stream([late]));
    expect(await nightsWh(site, a)).toEqual([
      { night: NIGHT, wh: 10, reports: 3 },
      { night: NEXT, wh: 15, reports: 2 },
    ]);
    const reports = await site.stores.telemetry.lastReports([a.id], NIGHT);
    expect(reports.get(a.id)?.ts).toBe(NOON + 900);
  });

  it('takes a new counter as the first report of a night as its baseline, and tells a reset without a new id from a glitch there', async () => {
    const { site, handler, luminaires } = await setup(2);
    const [a, b] = luminaires;
    await deliver(handler, stream([...aroundNoon(a, [0, 1, 2, 3]), ...aroundNoon(b, [0, 1, 2, 3])]));
    const replaced = (seq: number, energyWh: number) =>
      report(a, { seq, ts: NOON - 3_600 + 900 * seq, counterId: 'drv-9', energyWh, burningHours: seq });
    const reset = (seq: number, energyWh: number) =>
      report(b, { seq, ts: NOON - 3_600 + 900 * seq, energyWh, burningHours: 300 + seq / 4 });
    await deliver(handler, stream([replaced(4, 3), reset(4, 2)]));
    await deliver(handler, stream([replaced(5, 8), reset(5, 9)]));
    expect(await nightsWh(site, a)).toEqual([
      { night: NIGHT, wh: 15, reports: 4 },
      { night: NEXT, wh: 5, reports: 2 },
    ]);
    // b's reset reading was held, then the next one continued it: 7 Wh from the held reading.
    expect(await nightsWh(site, b)).toEqual([
      { night: NIGHT, wh: 15, reports: 4 },
      { night: NEXT, wh: 7, reports: 1 },
    ]);
  });

  it('stays exact when the invocation crashes between any two writes of a move to the next night and the records come again one by one', async () => {
    const ROUNDS = 6;
    let crashes = 0;
    const { site, handler, luminaires } = await setup(ROUNDS);
    for (const [k, a] of luminaires.entries()) {
      await deliver(handler, stream(aroundNoon(a, [0, 1, 2])));
      const records = stream(aroundNoon(a, [3, 4, 5, 6, 7]));
      // One at a time, the old night's record comes back alone: a contribution the crashed attempt
      // added to that night's item under the shard's mark is then the meter state's own night's.
      if (await crashThenDeliver(site, handler, k, records, 1)) crashes++;
      expect(await nightsWh(site, a)).toEqual([
        { night: NIGHT, wh: 15, reports: 4 },
        { night: NEXT, wh: 20, reports: 4 },
      ]);
    }
    expect(crashes).toBeGreaterThanOrEqual(ROUNDS - 2);
    await expectExactNights(site, luminaires, { [NIGHT]: 15 * ROUNDS, [NEXT]: 20 * ROUNDS });
  });

  it('counts on from a meter state stored as its own item before the night items kept it', async () => {
    const { site, handler, luminaires } = await setup(1);
    const [a] = luminaires;
    const [r0, r1] = aroundNoon(a, [0, 1]) as [TelemetryEvent, TelemetryEvent];
    await site.db.send(
      new PutCommand({
        TableName: site.tables.main,
        Item: {
          pk: `SITE#test#LUM#${a.id}`,
          sk: 'METER',
          counterId: r0.counterId,
          ts: r0.ts,
          seq: r0.seq,
          energyWh: r0.energyWh,
          burningHours: r0.burningHours,
          night: NIGHT,
          faults: [],
        },
      }),
    );
    await deliver(handler, stream([r1]));
    expect(await nightsWh(site, a)).toEqual([{ night: NIGHT, wh: 5, reports: 1 }]);
    expect(await site.stores.telemetry.meterState(a.id)).toMatchObject({ seq: 1, energyWh: 1_005 });
  });
});

/** A first attempt that crashes after `k` writes, then the mapping's deliveries in batches of `batchSize`: whether it crashed. */
async function crashThenDeliver(
  site: { tables: { main: string; telemetry: string } },
  handler: Handler,
  k: number,
  records: KinesisStreamEvent['Records'],
  batchSize: number,
): Promise<boolean> {
  const crashed = await crashAfter(
    site,
    k,
  )({ Records: records }).then(
    () => false,
    () => true,
  );
  await deliver(handler, records, batchSize);
  return crashed;
}

/** DynamoDB requests that write. */
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);

/**
 * A handler whose DynamoDB writes throw after `k` of them: the invocation dies mid-batch, also
 * between the writes of one store call (a meter state moving to a new night takes three).
 */
function crashAfter(site: { tables: { main: string; telemetry: string } }, k: number): Handler {
  let left = k;
  const client = localDynamoDb();
  client.middlewareStack.add(
    (next, context) => (args) => {
      if (WRITES.has(context.commandName ?? '') && left-- <= 0) throw new Error('crash');
      return next(args);
    },
    { step: 'initialize', name: 'crashAfter' },
  );
  const stores = makeStores({
    db: documentClientFor(client),
    tableName: site.tables.main,
    telemetryTableName: site.tables.telemetry,
    site: 'test',
  });
  return makeHandler({
    config: () => stores.config.load(),
    luminairesOf: (things) => stores.luminaires.byThings(things),
    meters: stores.telemetry,
    rollups: stores.rollups,
    alarms: stores.alarms,
    rejects: stores.rejects,
    countReject: () => {},
    now: () => T,
  });
}

/**
 * An item's size as DynamoDB bills it (developer guide, "Item sizes"): each attribute's name and
 * value; a string its UTF-8 bytes, a number about a byte per two significant digits plus one, a
 * map or list 3 bytes plus a byte per element and its elements (a map's with their names).
 */
function itemBytes(item: Record<string, unknown>): number {
  const valueBytes = (value: unknown): number => {
    if (typeof value === 'string') return Buffer.byteLength(value);
    if (typeof value === 'number') {
      const digits = String(Math.abs(value))
        .replace(/[.-]|e.*$/g, '')
        .replace(/^0+/, '').length;
      return Math.ceil(Math.max(1, digits) / 2) + 1;
    }
    if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueBytes(v), 0);
    if (value !== null && typeof value === 'object') return 3 + itemBytes(value as Record<string, unknown>);
    return 1;
  };
  return Object.entries(item).reduce(
    (sum, [name, value]) =>
      sum + Buffer.byteLength(name) + valueBytes(value) + (typeof value === 'object' ? 1 : 0),
    0,
  );
}

describe('the luminaire-night item after a whole night', () => {
  it('stays within 1 KB, so each report of the night is one write unit, with AWS-length sequence numbers and two stream shards', async () => {
    const { site, handler, luminaires } = await setup(1);
    const [a] = luminaires;
    // Kinesis sequence numbers are 56 digits; a resharded stream leaves a mark per shard.
    nextSequence = 49_654_321_098_765_432_109_876_543_210_987_654_321_098_765_432_100n;
    const night = Array.from({ length: 48 }, (_, seq) =>
      report(a, {
        seq,
        ts: T - 6 * 3_600 + seq * 900,
        counterId: `driver-${'x'.repeat(40)}`,
        energyWh: 5_000 + seq * 9,
        burningHours: 300 + seq / 4,
        planHash: 'ffffffffffffffff',
        faults: ['lampFailure', 'driverFailure'],
      }),
    );
    for (const [i, r] of night.entries()) {
      const [record] = stream([r]) as [KinesisStreamEvent['Records'][number]];
      const shard = i < 24 ? SHARD : 'shardId-000000000001';
      await deliver(handler, [{ ...record, eventID: `${shard}:${record.kinesis.sequenceNumber}` }]);
    }
    const { Item } = await documentClientFor(localDynamoDb()).send(
      new GetCommand({
        TableName: site.tables.main,
        Key: { pk: `SITE#test#LUM#${a.id}`, sk: `DAY#${NIGHT}` },
      }),
    );
    expect(Item).toMatchObject({ reports: 48, meter: { seq: 47 } });
    expect(Object.keys(Item ?? {}).filter((name) => name.startsWith('hw:'))).toHaveLength(2);
    expect(itemBytes(Item ?? {})).toBeLessThanOrEqual(1024);
  });
});
