/**
 * The console in headless Chromium (Debian's, as the browser tests) and prints
 * `console: <N> KB gzip JS first load, map of 200,000 luminaires interactive in <T> ms (live state <S> KB a snapshot), night preview in <P> ms`.
 * - N: the gzip size (level 9) of every script the browser fetched from opening the console to the
 *   map page being interactive (sign-in and map chunks, the map library included);
 * - T: from the sign-in answered (the admin's landing page is the map: the app goes there then) to
 *   the map interactive, the median of RUNS fresh pages: a cold map every run (the sign-in page
 *   fetched no live state and started neither the feed's worker nor MapLibre). The local
 *   site (`npm start`'s code, the Carcassonne example) answers everything but the bulk live state,
 *   which a proxy in front of it answers with 200,000 synthetic luminaires in the API's pages, in
 *   the format the console asks for (its KB a snapshot printed with the time).
 *   "Interactive" as in TTI: the end of the last main-thread long task (> 50 ms) after the last
 *   state page arrived and the legend counted every luminaire (the table is built, wherever it is
 *   built), once QUIET_MS followed with none;
 * - P: the median time of the profile editor's preview (`previewNight`, the planning core) of a
 *   Carcassonne profile in the page, after warm-up runs.
 * Flags: `--map-only` measures the map alone (no first-load size, no preview), `--runs=<n>` (default
 * 3) how many fresh pages open the map: what a before/after comparison of the map needs; `--trace`
 * prints each run's main-thread long tasks (a Chromium trace): when each began, how long it took and
 * what filled it (scripts by file, garbage collection, messages from workers), then the page's
 * functions by self time (a CPU profile of the run).
 */

import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { round5 } from '#functions/store/live-state-store.ts';
import { ensureConsoleBuilt } from '#local-runtime/console-build.ts';
import { startExampleSite } from '#local-runtime/example-site.ts';
import { LOCAL_SIGN_IN_PATH } from '#local-runtime/local-sign-in.ts';
import { encodePageCursors, LIVE_STATE_PAGES_HEADER, LIVE_STATES } from '#protocol/live-state.ts';
import { encodeLiveStatePage, LIVE_STATE_BINARY_TYPE } from '#protocol/live-state-binary.ts';
import type { LiveStatePage } from '#protocol/live-state-page.ts';
import type { Config } from '#schedules/config/schema.ts';
import { city } from './synthetic-city.ts';

const COUNT = 200_000;
const PAGE_SIZE = 50_000;
const { values: flags } = parseArgs({
  options: {
    'map-only': { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    trace: { type: 'boolean', default: false },
  },
});
const RUNS = Math.max(1, Number(flags.runs) || 3);
const PREVIEW_RUNS = 51;
const QUIET_MS = 1_000;
const MAP_TIMEOUT_MS = 60_000;
const NIGHT = '2026-12-21';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** As tests/browser/harness.ts: WebGL on SwiftShader in a headless Chromium with no GPU. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];
const STATE_PATH = '/api/luminaires/state';
/** The snapshot's version: the map polls with If-None-Match and gets a 304 while it holds. */
const ETAG = '"bench-snapshot"';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const cursorOf = (page: number) => `PART#bench#${String(page).padStart(4, '0')}`;

/** A page in both of the API's formats. */
interface StatePage {
  readonly json: string;
  readonly binary: Uint8Array;
}

/** The bulk live state of the synthetic city, as the API pages it (`next` = the following page). */
function liveStatePages(): StatePage[] {
  const luminaires = city(COUNT);
  const zones = [...new Set(luminaires.map((l) => l.zone))];
  const streets = [...new Set(luminaires.map((l) => l.street))];
  const zoneIndex = new Map(zones.map((z, i) => [z, i]));
  const streetIndex = new Map(streets.map((s, i) => [s, i]));
  const pages: StatePage[] = [];
  for (let from = 0; from < COUNT; from += PAGE_SIZE) {
    const slice = luminaires.slice(from, from + PAGE_SIZE);
    const page: LiveStatePage = {
      at: new Date().toISOString(),
      reportIntervalSeconds: 900,
      zones,
      streets,
      ids: slice.map((l) => l.id),
      // Rounded as the snapshot stores them.
      lon: slice.map((l) => round5(l.lon)),
      lat: slice.map((l) => round5(l.lat)),
      zone: slice.map((l) => zoneIndex.get(l.zone) as number),
      street: slice.map((l) => streetIndex.get(l.street) as number),
      // Every state, most luminaires lit, as a night looks.
      state: slice.map((_, i) => (i % 50 === 0 ? (i / 50) % LIVE_STATES.length : LIVE_STATES.indexOf('lit'))),
      level: slice.map((_, i) => [100, 70, 50, 30][i % 4] as number),
      age: slice.map((_, i) => (i * 7) % 900),
      ...(from + PAGE_SIZE < COUNT ? { next: cursorOf(pages.length + 1) } : {}),
    };
    pages.push({ json: JSON.stringify(page), binary: encodeLiveStatePage(page) });
  }
  return pages;
}

/**
 * In front of the local site: the synthetic live state (binary when asked for, as the API), everything
 * else passed through; `served` counts the bytes of state pages answered.
 */
async function startProxy(
  target: string,
  pages: StatePage[],
): Promise<{ url: string; close(): void; served: { bytes: number; pages: number } }> {
  const served = { bytes: 0, pages: 0 };
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://bench');
    if (url.pathname === STATE_PATH) {
      const after = url.searchParams.get('after');
      if (after === null && req.headers['if-none-match'] === ETAG) {
        res.writeHead(304, { etag: ETAG }).end();
        return;
      }
      const index = after === null ? 0 : Number(after.slice(-4));
      // The first page names the following ones, as the API does.
      const following = index === 0 ? pages.slice(1).map((_, i) => cursorOf(i + 1)) : [];
      const binary = (req.headers.accept ?? '').includes(LIVE_STATE_BINARY_TYPE);
      const body = (pages[index] ?? (pages[0] as StatePage))[binary ? 'binary' : 'json'];
      served.bytes += Buffer.byteLength(body);
      served.pages += 1;
      res.writeHead(200, {
        'content-type': binary ? LIVE_STATE_BINARY_TYPE : 'application/json',
        etag: ETAG,
        ...(following.length > 0 ? { [LIVE_STATE_PAGES_HEADER]: encodePageCursors(following) } : {}),
      });
      res.end(body);
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
    served,
  };
}

/** Opens the sign-in page with the admin role chosen, as the browser tests do (not submitted yet). */
async function openSignIn(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/#/sign-in`);
  await page.locator('input[name="role"][value="admin"]').check();
}

/** A map timed: from the sign-in answered until interactive, and when that answer came after the submit. */
interface MapTime {
  readonly ms: number;
  readonly signInMs: number;
}

/**
 * Signs in (the admin lands on the map) and answers how long the map took to be interactive, or
 * undefined without a map. The clock starts when the sign-in is answered: the app then goes to
 * the map, and before it nothing of the map had started (no live state fetched, no feed worker,
 * no MapLibre), so every run is a cold map. The sign-in's own wait (the local site's, in this
 * process, 0.1 to 3 s) is not the map's.
 */
async function timeMap(page: Page): Promise<MapTime | undefined> {
  const start = await page.evaluate(() => {
    const w = window as unknown as { longTasksEnd: number };
    w.longTasksEnd = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        w.longTasksEnd = Math.max(w.longTasksEnd, entry.startTime + entry.duration);
    }).observe({ type: 'longtask' });
    const now = performance.now();
    performance.mark('bench:map');
    (document.querySelector('form.sign-in') as HTMLFormElement).requestSubmit();
    return now;
  });
  const canvas = await page
    .locator('canvas')
    .first()
    .waitFor({ timeout: MAP_TIMEOUT_MS })
    .then(() => true)
    .catch(() => false);
  if (!canvas) return undefined;
  const deadline = Date.now() + MAP_TIMEOUT_MS;
  // When the legend first counted every luminaire: the page's table is built (in its worker).
  let shown: number | undefined;
  while (Date.now() < deadline) {
    const { now, lastTask, statePages, lastState, counted, signedIn, failed } = await page.evaluate(
      ({ path, signIn, submitted }) => {
        const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const states = resources.filter((e) => e.name.includes(path));
        return {
          signedIn:
            resources.find((e) => e.name.endsWith(signIn) && e.startTime >= submitted)?.responseEnd ?? 0,
          now: performance.now(),
          lastTask: (window as unknown as { longTasksEnd: number }).longTasksEnd,
          statePages: states.length,
          lastState: Math.max(0, ...states.map((e) => e.responseEnd)),
          counted: Number((document.querySelector('.map-count')?.textContent ?? '').replace(/\D/g, '')),
          failed: document.querySelector('.map-page .error')?.textContent,
        };
      },
      { path: STATE_PATH, signIn: LOCAL_SIGN_IN_PATH, submitted: start },
    );
    // A map that failed (its WebGL program, say) is quick and wrong: no figure for it.
    if (failed != null) throw new Error(`the map page shows an error: ${failed}`);
    if (shown === undefined && counted === COUNT) shown = now;
    const ready = Math.max(lastTask, lastState, shown ?? now);
    if (statePages >= Math.ceil(COUNT / PAGE_SIZE) && shown !== undefined && now - ready >= QUIET_MS)
      return { ms: ready - signedIn, signInMs: signedIn - start };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return undefined;
}

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: { name?: string; data?: { url?: string; requestId?: string; type?: string } };
}

/** What a trace event's own time is counted as: garbage collection, a script file, or its kind. */
function bucketOf(event: TraceEvent, script: string | undefined): string {
  if (/GC|Scavenge|MarkCompact|Sweep/.test(event.name)) return 'GC';
  if (event.name === 'EventDispatch' && event.args?.data?.type === 'message') return 'worker message';
  return script ?? event.name;
}

/**
 * The page's main-thread tasks over 50 ms in a trace, from `origin` (µs, the sign-in answered): when each
 * began, how long it took, and its time by what filled it; and when each live-state page arrived.
 */
function longTasks(events: readonly TraceEvent[], origin: number): string[] {
  const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const busiest = (main: TraceEvent) =>
    events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.name === 'RunTask').length;
  const main = mains.sort((a, b) => busiest(b) - busiest(a))[0];
  if (main === undefined) return ['  no renderer main thread in the trace'];
  const onMain = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const ms = (us: number) => Math.round(us / 1000);
  const lines: string[] = [];
  const urls = new Map<string, string>();
  for (const e of events) {
    const data = e.args?.data;
    if (e.name === 'ResourceSendRequest' && data?.requestId && data.url) {
      urls.set(data.requestId, data.url);
      if (data.url.includes(STATE_PATH))
        lines.push(`  +${ms(e.ts - origin)} ms: a live-state page asked for`);
    }
    if (e.name === 'ResourceFinish' && data?.requestId && urls.get(data.requestId)?.includes(STATE_PATH))
      lines.push(`  +${ms(e.ts - origin)} ms: a live-state page arrived`);
  }
  for (const task of onMain) {
    if (task.name !== 'RunTask' || (task.dur ?? 0) < 50_000 || task.ts + (task.dur ?? 0) < origin) continue;
    const end = task.ts + (task.dur ?? 0);
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end);
    const time = new Map<string, number>();
    const stack: { event: TraceEvent; script: string | undefined; children: number }[] = [];
    const close = (until: number) => {
      while (stack.length > 0) {
        const top = stack[stack.length - 1] as (typeof stack)[number];
        if (top.event.ts + (top.event.dur ?? 0) > until) return;
        stack.pop();
        const bucket = bucketOf(top.event, top.script);
        time.set(bucket, (time.get(bucket) ?? 0) + (top.event.dur ?? 0) - top.children);
        const parent = stack[stack.length - 1];
        if (parent !== undefined) parent.children += top.event.dur ?? 0;
      }
    };
    for (const event of inside) {
      close(event.ts);
      const url = event.args?.data?.url;
      const script = url ? url.split('/').pop() : stack[stack.length - 1]?.script;
      stack.push({ event, script, children: 0 });
    }
    close(Number.POSITIVE_INFINITY);
    const own =
      (task.dur ?? 0) -
      inside
        .filter(
          (e) => !inside.some((p) => p !== e && p.ts <= e.ts && p.ts + (p.dur ?? 0) >= e.ts + (e.dur ?? 0)),
        )
        .reduce((sum, e) => sum + (e.dur ?? 0), 0);
    if (own > 0) time.set('task', (time.get('task') ?? 0) + own);
    const parts = [...time.entries()]
      .filter(([, us]) => us >= 5_000)
      .sort((a, b) => b[1] - a[1])
      .map(([what, us]) => `${what} ${ms(us)}`);
    lines.push(`  +${ms(task.ts - origin)} ms: a ${ms(task.dur ?? 0)} ms task: ${parts.join(', ')}`);
  }
  return lines.sort((a, b) => Number(a.match(/\+(-?\d+)/)?.[1]) - Number(b.match(/\+(-?\d+)/)?.[1]));
}

/** Records a Chromium trace of the page while `during` runs; answers its events. */
async function traced<T>(page: Page, during: () => Promise<T>): Promise<{ result: T; events: TraceEvent[] }> {
  const session = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  session.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  await session.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8,blink.user_timing',
    transferMode: 'ReportEvents',
  });
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 500 });
  await session.send('Profiler.start');
  const result = await during();
  const { profile } = await session.send('Profiler.stop');
  const self = new Map<string, number>();
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  profile.samples?.forEach((id, i) => {
    const frame = nodes.get(id)?.callFrame;
    const key = `${frame?.functionName || '(anonymous)'} ${frame?.url.split('/').pop()}:${frame?.lineNumber}:${frame?.columnNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0));
  });
  for (const [key, us] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30))
    console.log(`  self ${Math.round(us / 1000)} ms ${key}`);
  const complete = new Promise((resolve) => session.once('Tracing.tracingComplete', resolve));
  await session.send('Tracing.end');
  await complete;
  return { result, events };
}

/** previewNight bundled for the browser, exposed as `window.previewNight`. */
async function previewBundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents: `import { previewNight } from './console/src/pages/schedules/night-preview.ts';
        window.previewNight = previewNight;`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    minify: true,
    write: false,
  });
  return result.outputFiles[0]?.text ?? '';
}

/** The median milliseconds of the profile editor's night preview in a page of the browser. */
async function previewMedian(browser: Browser, config: Config): Promise<number> {
  const page = await browser.newPage();
  await page.addScriptTag({ content: await previewBundle() });
  const profile = Object.values(config.profiles)[0];
  const { latitude: lat, longitude: lon, timezone } = config.site;
  const previews = await page.evaluate(
    ({ profile, night, place, runs }) => {
      const preview = (window as unknown as { previewNight: (...args: unknown[]) => unknown }).previewNight;
      const durations: number[] = [];
      for (let run = 0; run < runs; run++) {
        const start = performance.now();
        preview(profile, night, place);
        durations.push(performance.now() - start);
      }
      // The first runs warm the JIT up; the profile editor recomputes on every keystroke.
      return durations.slice(5);
    },
    { profile, night: NIGHT, place: { timezone, lat, lon }, runs: PREVIEW_RUNS },
  );
  return median(previews);
}

const [pages, consoleDir] = await Promise.all([Promise.resolve(liveStatePages()), ensureConsoleBuilt()]);
const example = await startExampleSite({ siteId: 'bench-console', consoleDir });
const local = example.local;
const proxy = await startProxy(local.url, pages);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const times: number[] = [];
  let scriptBytes = 0;
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    const scripts = new Map<string, Promise<number>>();
    // The first run only: a later run's body still being read when its page closes fails the bench.
    page.on('response', (response) => {
      if (run > 0) return;
      if (response.request().resourceType() === 'script' && !scripts.has(response.url())) {
        scripts.set(
          response.url(),
          response.body().then((body) => gzipSync(body, { level: 9 }).length),
        );
      }
    });
    await openSignIn(page, proxy.url);
    let time: MapTime | undefined;
    if (flags.trace) {
      const { result, events } = await traced(page, () => timeMap(page));
      time = result;
      const submitted = events.find((e) => e.name === 'bench:map')?.ts ?? 0;
      const origin = submitted + (time?.signInMs ?? 0) * 1000;
      console.log(
        `run ${run + 1}: ${time === undefined ? 'no map' : `${Math.round(time.ms)} ms (signed in ${Math.round(time.signInMs)} ms after the submit)`}`,
      );
      for (const line of longTasks(events, origin)) console.log(line);
    } else time = await timeMap(page);
    if (time !== undefined) times.push(time.ms);
    if (run === 0) scriptBytes = (await Promise.all(scripts.values())).reduce((a, b) => a + b, 0);
    await context.close();
  }

  const map = times.length === RUNS ? `${Math.round(median(times))} ms` : 'n/a (no map page answered)';
  const feed = Math.round(
    proxy.served.bytes / Math.max(1, proxy.served.pages / Math.ceil(COUNT / PAGE_SIZE)) / 1024,
  );
  const mapLine = `map of ${COUNT.toLocaleString('en-US')} luminaires interactive in ${map} (live state ${feed} KB a snapshot)`;
  if (flags['map-only']) console.log(`console: ${mapLine} (runs: ${times.map(Math.round).join(', ')} ms)`);
  else
    console.log(
      `console: ${Math.round(scriptBytes / 1024)} KB gzip JS first load, ${mapLine}, night preview in ${(await previewMedian(browser, example.config)).toFixed(1)} ms`,
    );
} finally {
  await browser.close();
  proxy.close();
  await example.stop();
}
