import { afterEach, describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatEuro,
  formatKwh,
  formatLocalDate,
  formatNumber,
  formatTime,
} from '#console/src/format.ts';
import { setLanguage } from '#console/src/i18n/index.ts';

// French groups thousands with a narrow no-break space and puts a no-break space before units.
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

afterEach(() => setLanguage('fr'));

describe('French formatting', () => {
  it('writes numbers, energy and money as French finance reads them', () => {
    expect(plain(formatKwh(1223.64))).toBe('1 223,6 kWh');
    expect(plain(formatEuro(580.71))).toBe('580,71 €');
    expect(plain(formatEuro(1200))).toBe('1 200,00 €');
    expect(plain(formatNumber(2823))).toBe('2 823');
  });

  it('writes dates day first and times on a 24-hour clock, in the site zone whatever the instant', () => {
    // 2026-11-29T23:30Z is already 30 November, 00:30, in Paris.
    const instant = Date.UTC(2026, 10, 29, 23, 30) / 1000;
    expect(formatDate(instant, 'Europe/Paris')).toBe('30/11/2026');
    expect(formatTime(instant, 'Europe/Paris')).toBe('00:30');
    expect(formatDateTime(instant, 'America/New_York')).toBe('29/11/2026 18:30');
    expect(formatLocalDate('2026-11-29')).toBe('29/11/2026');
  });

  it('switches the conventions with the language', async () => {
    await setLanguage('en');
    expect(formatKwh(1223.64)).toBe('1,223.6\u00a0kWh');
    expect(formatEuro(580.71)).toBe('€580.71');
  });
});
