import { readFile } from 'node:fs/promises';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { siteKeys } from '#functions/store/keys.ts';
import {
  consoleTestEnvironment,
  expectNoPageErrors,
  expectNoSeriousA11yViolations,
  saveScreenshot,
} from './harness.ts';

const env = consoleTestEnvironment();

const FROM = '2026-10-19';
const TO = '2026-10-25';

/** The zones of the example site (read when seeding): the report lists each, silent or not. */
let SITE_ZONES: string[] = [];

/** Zones whose luminaires report in the seeded week; the other zones of the site are silent. */
const REPORTING_ZONES = new Set(['cite', 'trivalle']);

/**
 * Luminaire-night items as the telemetry ledger writes them, for every luminaire of the reporting
 * zones and every night of the period, their first and last readings bracketing the whole night.
 */
async function seedNights(): Promise<void> {
  const { db, tableName, site } = env.site.local.platform.table;
  const keys = siteKeys(site);
  const inventory = await env.site.local.platform.stores.luminaires.listAll();
  SITE_ZONES = [...new Set(inventory.map((l) => l.zone))].sort();
  const luminaires = inventory.filter((l) => REPORTING_ZONES.has(l.zone));
  const items = luminaires.flatMap((luminaire, index) =>
    Array.from({ length: 7 }, (_, d) => {
      const night = `2026-10-${String(19 + d).padStart(2, '0')}`;
      const noon = Date.parse(`${night}T10:00:00Z`) / 1000;
      return {
        pk: keys.luminairePk(luminaire.id),
        sk: keys.luminaireDaySk(night),
        night,
        // Some 0.28 kWh a luminaire-night, varying with the luminaire and the night.
        wh: 250 + ((index + d) % 7) * 10,
        burnH: 12.5,
        reports: 96,
        firstTs: noon,
        lastTs: noon + 86_340,
      };
    }),
  );
  for (let start = 0; start < items.length; start += 25 * 8) {
    const requests = [];
    for (let at = start; at < Math.min(items.length, start + 25 * 8); at += 25) {
      const chunk = items.slice(at, at + 25).map((Item) => ({ PutRequest: { Item } }));
      requests.push(db.send(new BatchWriteCommand({ RequestItems: { [tableName]: chunk } })));
    }
    await Promise.all(requests);
  }
}

interface JsonTotals {
  total: Record<string, number>;
  /** The option the total rests on, beside the total in the JSON, a column of its row in the CSV. */
  ipmvpOption: string;
  groups: { key: string }[];
}

async function apiReport(format: 'json' | 'csv'): Promise<string> {
  const token = await env.site.token('finance');
  const query = new URLSearchParams({ from: FROM, to: TO, groupBy: 'zone', format });
  const response = await fetch(`${env.site.apiUrl}/reports/savings?${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return response.text();
}

/** The JSON field of each CSV column (functions/reports/columns.ts names them in snake case). */
const camel = (column: string): string => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const plain = (text: string | null): string => (text ?? '').replace(/[\u202f\u00a0]/g, ' ');

describe('the console for finance', () => {
  beforeAll(seedNights);

  it('shows finance the reports only', async () => {
    const session = await env.signIn({ role: 'finance' });
    const { page } = session;
    await expect.poll(() => page.url()).toMatch(/#\/reports$/);
    expect(await page.locator('.shell-nav a').allTextContents()).toEqual(['Rapports']);
    await page.goto(`${env.site.url}/#/alarms`);
    await expect.poll(() => page.locator('main').textContent()).toContain('Votre rôle ne donne pas accès');
    await page.goto(`${env.site.url}/#/audit`);
    await expect.poll(() => page.locator('main').textContent()).toContain('Votre rôle ne donne pas accès');
    expectNoPageErrors(session);
  });

  it('opens the report of a period, in French, and downloads a CSV whose totals are the API’s', async () => {
    const session = await env.signIn({ role: 'finance' });
    const { page } = session;
    // The page opens on last month's report: the form is ours once it is shown.
    await page.locator('.report-meta').waitFor();
    await page.locator('#report-from').fill(FROM);
    await page.locator('#report-to').fill(TO);
    await page.locator('#report-group-by').selectOption('zone');
    await page.locator('.report-form button[type="submit"]').click();
    await expect
      .poll(() => page.locator('.report-meta').textContent())
      .toContain('Nuits du 19/10/2026 au 25/10/2026 (7 nuits)');

    const json = JSON.parse(await apiReport('json')) as JsonTotals;
    expect(json.groups.map((g) => g.key)).toEqual(SITE_ZONES);
    const fr = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const shown = (label: string) => page.locator(`[data-total="${label}"]`).textContent();
    expect(plain(await shown('reports.total.savingsKwh'))).toBe(
      `${plain(fr.format(json.total.savingsKwh ?? Number.NaN))} kWh`,
    );
    expect(plain(await shown('reports.total.savingsCost'))).toMatch(/^\d{1,3}( \d{3})*,\d\d €$/);
    expect(await page.locator('.savings-chart').count()).toBe(1);
    expect(await page.locator('.savings-chart rect').count()).toBe(3 * SITE_ZONES.length);
    expect(await page.locator('.report-table tbody tr').count()).toBe(SITE_ZONES.length + 1);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger le CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`economies-eclairage_${FROM}_au_${TO}_par-zone.csv`);
    // The French style: a byte-order mark, `;` between fields and decimal commas.
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1)).toBe((await apiReport('csv')).replace(/^\uFEFF/, ''));
    const rows = parse(csv, { columns: true, delimiter: ';', bom: true }) as Record<string, string>[];
    const total = rows.find((row) => row.group_by === 'total');
    expect(total).toBeDefined();
    const figures = Object.keys(total ?? {}).filter(
      (column) => !['group_by', 'group', 'from', 'to', 'currency'].includes(column),
    );
    expect(figures.length).toBeGreaterThan(10);
    expect(total?.ipmvp_option).toBe(json.ipmvpOption);
    for (const column of figures.filter((name) => name !== 'ipmvp_option'))
      expect([column, Number(total?.[column]?.replace(',', '.'))]).toEqual([
        column,
        json.total[camel(column)],
      ]);

    const [printable] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger la version imprimable' }).click(),
    ]);
    expect(printable.suggestedFilename()).toBe(`economies-eclairage_${FROM}_au_${TO}_par-zone.html`);
    expect(await readFile(await printable.path(), 'utf8')).toContain('<svg');

    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, 'report');
    expectNoPageErrors(session);
  });

  it('words a bad period next to its field and asks nothing of the API', async () => {
    const session = await env.signIn({ role: 'finance', locale: 'en-GB' });
    const { page } = session;
    await page.locator('.report-meta').waitFor();
    await page.locator('#report-from').fill('2026-10-25');
    await page.locator('#report-to').fill('2026-10-05');
    await page.locator('.report-form button[type="submit"]').click();
    await expect
      .poll(() => page.locator('#report-from-error').textContent())
      .toBe('The start must come before the end.');
    expect(await page.locator('#report-from').getAttribute('aria-invalid')).toBe('true');
    await expectNoSeriousA11yViolations(page);
    expectNoPageErrors(session);
  });
});
