import { GetThingShadowCommand, UpdateThingShadowCommand } from '@aws-sdk/client-iot-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '#device-sim/clock.ts';
import { LuminaireAgent } from '#device-sim/luminaire/agent.ts';
import type { Luminaire } from '#schedules/index.ts';
import { twoRuleConfig } from '#tests/support/functions/api/fixtures.ts';
import { testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { localIotData, localMqttUrl, uniqueName } from '../local-clients.ts';
import { localApi } from './api-site.ts';
import { eventually } from './local-site.ts';

/** 2026-06-21 13:00 Paris, on the controller's clock (the shadow service stamps its own). */
const NOW = Date.parse('2026-06-21T11:00:00Z') / 1000;

const luminaires = testLuminaires(2, uniqueName('R'));
const [reporting, silent] = luminaires as [Luminaire, Luminaire];
const iot = localIotData();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

let api: Awaited<ReturnType<typeof localApi>>;
let technician: string;
let agent: LuminaireAgent | undefined;

beforeAll(async () => {
  api = await localApi(twoRuleConfig(), luminaires, NOW);
  await api.pusher.pushLuminaires(
    luminaires.map((l) => l.id),
    'initial',
  );
  technician = await api.token(['technician']);
});
afterAll(async () => {
  await agent?.stop();
  await api.stop();
  iot.destroy();
});

/** The stand-in stamps metadata with the whole second of its own clock (the wall clock). */
const secondOf = (ms: number): number => Math.floor(ms / 1000);

/** Waits until the wall clock is past `second`, so that the next write is stamped later. */
async function pastSecond(second: number): Promise<void> {
  const wait = (second + 1) * 1000 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

async function stateOf(
  luminaire: Luminaire,
): Promise<{ reported: object | null; reportedAt: number | null }> {
  const response = await api.request('GET', `/luminaires/${luminaire.id}/state`, technician);
  expect(response.status).toBe(200);
  return response.json;
}

/** What a cloud writer asks of the controller in its classic shadow: `desired` only. */
async function cloudDesires(luminaire: Luminaire, desired: object): Promise<void> {
  const payload = encoder.encode(JSON.stringify({ state: { desired } }));
  await iot.send(new UpdateThingShadowCommand({ thingName: luminaire.thingName, payload }));
}

/** The API's answer once its `reportedAt` is later than `after`. */
async function reportedAfter(luminaire: Luminaire, after: number, what: string) {
  const state = await eventually(
    async () => {
      const { reported, reportedAt } = await stateOf(luminaire);
      return reportedAt !== null && reportedAt > after ? { reported, reportedAt } : undefined;
    },
    what,
    15_000,
  );
  if (state === undefined) throw new Error(`no ${what}`);
  return state;
}

describe("a luminaire's reportedAt from its classic shadow on the IoT stand-in", () => {
  it('is null for a luminaire whose controller never reported, even once the cloud wrote desired state there', async () => {
    expect(await stateOf(silent)).toMatchObject({ reported: null, reportedAt: null });
    await cloudDesires(silent, { fw: 'lumen-sim-1.1' });
    expect(await stateOf(silent)).toMatchObject({ reported: null, reportedAt: null });
  });

  it("is the second the controller's report reached the shadow, moves with its next report and not with the cloud's desired state", async () => {
    const started = Date.now();
    agent = new LuminaireAgent({
      luminaire: reporting,
      mqttUrl: localMqttUrl(),
      clock: new ManualClock(NOW),
      log: () => {},
      getRetryMs: 500,
      reportSpreadSeconds: 0,
    });
    await agent.start();
    // The controller reports once its two named shadows answered after connecting (ADR 0020).
    const first = await reportedAfter(reporting, 0, 'the report after connecting');
    expect(first.reported).toMatchObject({ fw: 'lumen-sim-1.0' });
    expect(first.reportedAt).toBeGreaterThanOrEqual(secondOf(started));
    expect(first.reportedAt).toBeLessThanOrEqual(secondOf(Date.now()));

    await pastSecond(first.reportedAt);
    await agent.goOffline();
    const reconnected = Date.now();
    agent.goOnline();
    const next = await reportedAfter(reporting, first.reportedAt, 'the report after reconnecting');
    expect(next.reportedAt).toBeGreaterThanOrEqual(secondOf(reconnected));
    expect(next.reportedAt).toBeLessThanOrEqual(secondOf(Date.now()));

    await pastSecond(next.reportedAt);
    await cloudDesires(reporting, { fw: 'lumen-sim-1.1' });
    const read = await iot.send(new GetThingShadowCommand({ thingName: reporting.thingName }));
    const document = JSON.parse(decoder.decode(read.payload));
    // The document holds a later time than the report's: the desired write's.
    expect(document.metadata.desired.fw.timestamp).toBeGreaterThan(next.reportedAt);
    expect((await stateOf(reporting)).reportedAt).toBe(next.reportedAt);
  });
});
