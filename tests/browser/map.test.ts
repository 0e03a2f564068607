import { beforeAll, describe, expect, it, vi } from 'vitest';
import { colourOf } from '#console/src/pages/map/state-style.ts';
import { STREET_COLOUR } from '#console/src/pages/map/streets-layer.ts';
import { plannedLevelAt } from '#functions/alarms/sweep.ts';
import { isDayBurning } from '#functions/telemetry/day-burning.ts';
import { LOCAL_TELEMETRY_RULE, telemetryIngestTopic } from '#protocol/messages/telemetry.ts';
import { type Luminaire, NO_CIRCUITS, nightOf, planNight } from '#schedules/index.ts';
import {
  type ConsoleSession,
  consoleTestEnvironment,
  expectNoPageErrors,
  expectNoSeriousA11yViolations,
  saveScreenshot,
  untilStill,
} from './harness.ts';

const env = consoleTestEnvironment();

/**
 * Reports of the cité's luminaires: most lit at the level their plan gives now (at least 1 %: one
 * planned off then shows as boosted), ten off, two with a failed lamp.
 */
const OFF_COUNT = 10;
const FAULTY_COUNT = 2;
let cite: Luminaire[] = [];
/** Of the lit ones, those planned off at the time of the test (shown as boosted by presence). */
let plannedOff = 0;
/**
 * Of those, the ones lit by day (the test runs at any hour): the ledger opens a day-burning alarm
 * for them, so the map shows them in alarm.
 */
let dayBurning = 0;

beforeAll(async () => {
  const { local } = env.site;
  cite = (await local.platform.stores.luminaires.listZone('cite')).sort((a, b) => (a.id < b.id ? -1 : 1));
  const now = Math.floor(Date.now() / 1000);
  const config = await local.platform.stores.config.load();
  const night = nightOf(config.site.timezone, now);
  const plans = new Map(
    planNight(config, cite, night, NO_CIRCUITS).luminaires.map((plan) => [plan.id, plan]),
  );
  const litLevel = (luminaire: Luminaire) => Math.max(1, plannedLevelAt(plans.get(luminaire.id), now));
  const lit = cite.filter((_, i) => i >= OFF_COUNT + FAULTY_COUNT);
  plannedOff = lit.filter((l) => plannedLevelAt(plans.get(l.id), now) === 0).length;
  dayBurning = lit.filter((l) => isDayBurning(config, l, night, now, litLevel(l))).length;
  await Promise.all(
    cite.map((luminaire, i) => {
      const off = i < OFF_COUNT;
      const faulty = i >= OFF_COUNT && i < OFF_COUNT + FAULTY_COUNT;
      const message = {
        thing: luminaire.thingName,
        ts: now,
        seq: 1,
        counterId: 'drv-1',
        energyWh: 1_000,
        burningHours: 100,
        level: off ? 0 : litLevel(luminaire),
        powerW: off ? 0 : 20,
        planHash: null,
        faults: faulty ? ['lampFailure'] : [],
      };
      return local.cloud.iot.publish(
        telemetryIngestTopic(LOCAL_TELEMETRY_RULE, luminaire.thingName),
        JSON.stringify(message),
      );
    }),
  );
  // Ingested through the deployed IoT rule and handler, then the sweep writes the map's snapshot.
  await vi.waitFor(
    () => expect(local.stats().streams.telemetry?.put ?? 0).toBeGreaterThanOrEqual(cite.length),
    { timeout: 150_000, interval: 200 },
  );
  await local.settled();
  await local.sweepAlarms();
}, 180_000);

const count = async (session: ConsoleSession, state: string) =>
  Number(
    (
      (await session.page.locator(`.map-legend li[data-state="${state}"] .count`).textContent()) ?? ''
    ).replace(/\D/g, ''),
  );

/**
 * How many pixels of the map's canvas, as the page shows it, are each of these colours (within a
 * few units a channel: the map blends the edges): what a person sees drawn, which the legend's
 * counts alone do not tell.
 */
async function pixelsOf(
  session: ConsoleSession,
  colours: Record<string, string>,
): Promise<Record<string, number>> {
  const png = (await session.page.locator('.map-canvas canvas').screenshot()).toString('base64');
  return session.page.evaluate(
    async ({ png, colours }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${png}`;
      await image.decode();
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, image.width, image.height);
      const counts: Record<string, number> = {};
      for (const [name, hex] of Object.entries(colours)) {
        const [r, g, b] = [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16));
        let count = 0;
        for (let i = 0; i < data.length; i += 4) {
          const near = (k: number, value: number | undefined) =>
            Math.abs((data[i + k] ?? 0) - (value ?? 0)) <= 6;
          if (near(0, r) && near(1, g) && near(2, b)) count++;
        }
        counts[name] = count;
      }
      return counts;
    },
    { png, colours },
  );
}

/** Waits for the map page, its canvas and (with `reported`) the reported luminaires' states. */
async function openMap(session: ConsoleSession, reported = true): Promise<void> {
  await expect.poll(() => session.page.url(), { timeout: 30_000 }).toMatch(/#\/map$/);
  await session.page.locator('.map-canvas canvas').waitFor({ timeout: 60_000 });
  if (reported)
    await expect
      .poll(
        async () =>
          (await count(session, 'lit')) + (await count(session, 'boosted')) + (await count(session, 'alarm')),
        {
          timeout: 60_000,
        },
      )
      .toBeGreaterThan(0);
}

describe('console map (technician)', () => {
  it('shows every luminaire coloured by the state it reported, with the streets and sensors', async () => {
    const session = await env.signIn({ role: 'technician' });
    await openMap(session);
    const litCount = cite.length - OFF_COUNT - FAULTY_COUNT;
    expect(await count(session, 'lit')).toBe(litCount - plannedOff);
    expect(await count(session, 'boosted')).toBe(plannedOff - dayBurning);
    expect(await count(session, 'off')).toBe(OFF_COUNT);
    expect(await count(session, 'alarm')).toBe(FAULTY_COUNT + dayBurning);
    const all = (await env.site.local.platform.stores.luminaires.listAll()).length;
    expect(await count(session, 'unknown')).toBe(all - cite.length);
    expect(await session.page.locator('.map-count').textContent()).toMatch(/2\s823 luminaires affichés/);
    // The cité, where the reports came from, for the README.
    await session.page.locator('select[name="zone"]').selectOption({ label: 'cite' });
    await expect
      .poll(() => session.page.locator('.map-count').textContent())
      .toMatch(new RegExp(`^${cite.length} luminaires affichés`));
    await untilStill(session.page);
    await saveScreenshot(session.page, 'map');
    // Drawn, not only counted: the cité's streets, and its two luminaires in alarm (after the
    // README's screenshot: the canvas's own scrolls the page to it).
    const drawn = await pixelsOf(session, { street: STREET_COLOUR, alarm: colourOf('alarm', 0) });
    expect(drawn.street).toBeGreaterThan(1_000);
    expect(drawn.alarm).toBeGreaterThan(2 * 40);
    expect(await session.page.locator('.map-page .error').count()).toBe(0);
    await expectNoSeriousA11yViolations(session.page);
    expectNoPageErrors(session);
  });

  it('finds a luminaire by its id and a street by its name', async () => {
    const session = await env.signIn({ role: 'technician' });
    await openMap(session);
    const target = cite[0] as Luminaire;
    const searchBox = session.page.locator('input[name="search"]');
    await searchBox.fill(target.id);
    const hit = session.page.locator('.map-hits button', { hasText: target.id });
    await hit.first().waitFor();
    await hit.first().click();
    await searchBox.fill(target.street.slice(0, 8));
    await session.page.locator('.map-hits button', { hasText: target.street }).first().waitFor();
    expectNoPageErrors(session);
  });

  it('shows a zone-limited technician only their zones', async () => {
    const session = await env.signIn({ role: 'technician', zones: ['trebes'] });
    await openMap(session, false);
    await expect
      .poll(() => session.page.locator('select[name="zone"] option').allTextContents(), { timeout: 60_000 })
      .toEqual(['Toutes', 'trebes']);
    const trebes = (await env.site.local.platform.stores.luminaires.listZone('trebes')).length;
    await expect
      .poll(() => session.page.locator('.map-count').textContent())
      .toMatch(new RegExp(`^${trebes} luminaires affichés`));
    expectNoPageErrors(session);
  });
});
