import { describe, expect, it } from 'vitest';
import { csvField } from '#functions/reports/csv.ts';
import { renderSavingsReport } from '#functions/reports/render.ts';
import { BASELINE_DEFINITION, COMPLETE_NIGHTS_DEFINITION, savingsReport } from '#schedules/report/savings.ts';
import { flatPricing } from '#tests/support/schedules/pricing.ts';

const FLAT = flatPricing(0.2);
const report = savingsReport({
  site: { name: 'Carcassonne', co2KgPerKwh: 0.053, currency: 'EUR' },
  from: '2026-06-01',
  to: '2026-07-01',
  groupBy: 'street',
  luminaires: [
    { id: 'L-1', zone: 'cite', street: 'Rue "du" Plô, Haut', ledWatts: 70, baselineWatts: 125 },
    { id: 'L-2', zone: 'bastide', street: '<script>alert(1)</script>', ledWatts: 40, baselineWatts: 100 },
  ],
  nightHours: new Map([
    ['2026-06-01', 9],
    ['2026-07-01', 9],
  ]),
  plannedOf: () => ({
    start: 100,
    end: 200,
    litHours: 9,
    plannedWh: 300,
    shares: FLAT.shares,
    baselineShares: FLAT.shares,
  }),
  pricing: FLAT.pricing,
  contracts: FLAT.contracts,
  period: { start: 0, end: 1000 },
  alarms: [],
  slackSeconds: 10,
  readings: [
    { luminaireId: 'L-1', night: '2026-06-01', wh: 385.04, burnH: 9, firstTs: 100, lastTs: 200 },
    { luminaireId: 'L-2', night: '2026-07-01', wh: 200, burnH: 9, firstTs: 100, lastTs: 200 },
    { luminaireId: 'L-2', night: '2026-06-01', wh: 50, burnH: 2, firstTs: 150, lastTs: 200 },
  ],
});

describe('CSV rendering (RFC 4180)', () => {
  const csv = renderSavingsReport(report, 'csv', '2026-07-02T08:00:00Z', 'rfc4180');

  it('ends every record with CRLF and has a header, one row per group and a total', () => {
    const lines = csv.body.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(
      /^group_by,group,from,to,ipmvp_option,luminaires,.*,savings_share,.*,co2_avoided_kg,currency$/,
    );
    expect(lines[3]?.startsWith('total,,2026-06-01,2026-07-01,B,2,')).toBe(true);
    expect(csv.contentType).toContain('text/csv');
  });

  it('has a column for complete, partial and silent luminaire-nights and the energy of partial ones', () => {
    const header = csv.body.split('\r\n')[0]?.split(',') ?? [];
    expect(header).toEqual(
      expect.arrayContaining([
        'complete_luminaire_nights',
        'partial_luminaire_nights',
        'silent_luminaire_nights',
        'complete_share',
        'partial_metered_kwh',
      ]),
    );
    const total = csv.body.split('\r\n')[3]?.split(',') ?? [];
    const at = (name: string) => total[header.indexOf(name)];
    expect([
      at('complete_luminaire_nights'),
      at('partial_luminaire_nights'),
      at('silent_luminaire_nights'),
    ]).toEqual(['2', '1', '1']);
    expect(at('partial_metered_kwh')).toBe('0.1');
  });

  it('quotes fields with commas and doubles their quotes', () => {
    expect(csv.body).toContain('street,"cite / Rue ""du"" Plô, Haut",2026-06-01');
  });

  it('rounds figures as the columns say', () => {
    expect(csv.body).toContain(',0.4,'); // 0.38504 kWh metered, one decimal
  });

  it('keeps a spreadsheet from running a cell as a formula', () => {
    expect(csvField('=HYPERLINK("x")', 'rfc4180')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-3.5, 'rfc4180')).toBe('-3.5');
  });
});

describe('CSV rendering for a French spreadsheet', () => {
  const csv = renderSavingsReport(report, 'csv', '2026-07-02T08:00:00Z', 'fr');
  const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');

  it('starts with a byte-order mark and separates fields with semicolons', () => {
    expect(csv.body.startsWith('\uFEFFgroup_by;group;from;to;ipmvp_option;luminaires;')).toBe(true);
    expect(lines).toHaveLength(5);
  });

  it('writes numbers with a decimal comma, and quotes a field only for a semicolon, quote or line break', () => {
    const header = lines[0]?.split(';') ?? [];
    const total = lines[3]?.split(';') ?? [];
    expect(total[header.indexOf('partial_metered_kwh')]).toBe('0,1');
    expect(csv.body).toContain('street;"cite / Rue ""du"" Plô, Haut";2026-06-01');
    expect(csvField('a, b', 'fr')).toBe('a, b');
    expect(csvField('a; b', 'fr')).toBe('"a; b"');
    expect(csvField(-3.5, 'fr')).toBe('-3,5');
    expect(csvField('+33 4 68', 'fr')).toBe("'+33 4 68");
  });

  it('has the same figures as the RFC 4180 rendering', () => {
    const plain = renderSavingsReport(report, 'csv', '2026-07-02T08:00:00Z', 'rfc4180').body;
    const fromFr = lines.map((line) => line.split(';').map((f) => f.replace(/^(-?\d+),(\d+)$/, '$1.$2')));
    expect(fromFr[3]).toEqual(plain.split('\r\n')[3]?.split(','));
  });
});

describe('HTML rendering', () => {
  const html = renderSavingsReport(report, 'html', '2026-07-02T08:00:00Z', 'fr').body;

  it('is self-contained: no script, no external asset', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)=/i);
    expect(html).not.toMatch(/url\(|@import/i);
  });

  it('escapes names that come from the inventory', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('draws the charts as inline SVG and states how the baseline is defined', () => {
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('Energy month by month');
    expect(html).toContain(BASELINE_DEFINITION.slice(0, 60));
    expect(html).toContain(COMPLETE_NIGHTS_DEFINITION.slice(0, 60));
    expect(html).toMatch(/2 complete, 1 partial\s+\(0\.1 kWh metered, not counted\), 1 silent/);
    expect(html).toContain('@media print');
  });

  it('shows the totals with the site currency', () => {
    expect(html).toMatch(/Saved at the tariff<b>€/);
  });
});

describe('JSON rendering', () => {
  it('rounds the figures and keeps the baseline definition', () => {
    const json = JSON.parse(renderSavingsReport(report, 'json', '2026-07-02T08:00:00Z', 'fr').body);
    expect(json.groups[1].meteredKwh).toBe(0.4);
    expect(json.baselineDefinition).toBe(BASELINE_DEFINITION);
    expect(json.completeNightsDefinition).toBe(COMPLETE_NIGHTS_DEFINITION);
    expect(json.generatedAt).toBe('2026-07-02T08:00:00Z');
  });
});
