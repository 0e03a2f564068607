import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '#console/src/i18n/index.ts';
import { formatMonth, totalCards } from '#console/src/pages/finance/figures.ts';
import { reportFileName } from '#console/src/pages/finance/report-files.ts';

/** Intl separates French thousands with a narrow no-break space and puts a no-break space before units. */
const plain = (text: string): string => text.replace(/[\u202f\u00a0]/g, ' ');

const total = {
  savingsKwh: 1223.6,
  savingsCost: 580.71,
  co2AvoidedKg: 76.1,
  savingsShare: 0.4213,
  meteredKwh: 1680.2,
  baselineKwh: 2903.8,
};

afterEach(() => setLanguage('fr'));

describe('report totals', () => {
  it('read the French way in French', async () => {
    await setLanguage('fr');
    expect(totalCards(total).map((card) => [card.label, plain(card.value)])).toEqual([
      ['reports.total.savingsKwh', '1 223,6 kWh'],
      ['reports.total.savingsCost', '580,71 €'],
      ['reports.total.co2', '76,1 kg'],
      ['reports.total.share', '42 %'],
      ['reports.total.metered', '1 680,2 kWh'],
      ['reports.total.baseline', '2 903,8 kWh'],
    ]);
    expect(formatMonth('2026-11')).toBe('nov. 2026');
  });

  it('read the English way in English', async () => {
    await setLanguage('en');
    expect(totalCards(total).map((card) => plain(card.value))).toEqual([
      '1,223.6 kWh',
      '€580.71',
      '76.1 kg',
      '42%',
      '1,680.2 kWh',
      '2,903.8 kWh',
    ]);
    expect(formatMonth('2026-11')).toBe('Nov 2026');
  });
});

describe('downloaded report names', () => {
  it('say what, when and how grouped, in French', () => {
    expect(reportFileName({ from: '2026-11-01', to: '2026-11-28', groupBy: 'street' }, 'csv')).toBe(
      'economies-eclairage_2026-11-01_au_2026-11-28_par-rue.csv',
    );
    expect(reportFileName({ from: '2026-01-01', to: '2026-12-31', groupBy: 'month' }, 'html')).toBe(
      'economies-eclairage_2026-01-01_au_2026-12-31_par-mois.html',
    );
  });
});
