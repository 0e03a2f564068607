import { describe, expect, it } from 'vitest';
import { figureFormat } from '../../../../console/src/pages/finance/figures.ts';
import { reportFileName } from '../../../../console/src/pages/finance/report-files.ts';

/** Intl separates French thousands with a narrow no-break space and puts a no-break space before units. */
const plain = (text: string): string => text.replace(/[\u202f\u00a0]/g, ' ');

describe('report figures', () => {
  it('read the French way in French', () => {
    const fr = figureFormat('fr-FR', 'EUR');
    expect(plain(fr.kwh(1223.6))).toBe('1 223,6 kWh');
    expect(plain(fr.money(580.71))).toBe('580,71 €');
    expect(plain(fr.co2Kg(76.05))).toBe('76,1 kg');
    expect(plain(fr.percent(0.4213))).toBe('42,1 %');
    expect(plain(fr.count(12345))).toBe('12 345');
    expect(fr.date('2026-11-29')).toBe('29/11/2026');
    expect(fr.month('2026-11')).toBe('nov. 2026');
  });

  it('read the English way in English', () => {
    const en = figureFormat('en-GB', 'EUR');
    expect(en.kwh(1223.6)).toBe('1,223.6 kWh');
    expect(en.money(580.71)).toBe('€580.71');
    expect(en.percent(0.4213)).toBe('42.1%');
    expect(en.date('2026-11-29')).toBe('29/11/2026');
    expect(en.month('2026-11')).toBe('Nov 2026');
  });

  it('show a night as its calendar date whatever the browser zone', () => {
    const fr = figureFormat('fr-FR', 'EUR');
    expect(fr.date('2026-01-01')).toBe('01/01/2026');
    expect(fr.date('2026-12-31')).toBe('31/12/2026');
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
