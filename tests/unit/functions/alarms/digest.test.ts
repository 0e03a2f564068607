import { describe, expect, it } from 'vitest';
import { buildDigest } from '#functions/alarms/digest.ts';
import type { Alarm } from '#functions/store/index.ts';

const alarm = (luminaireId: string, kind: string, street: string): Alarm => ({
  luminaireId,
  kind,
  street,
  zone: 'centre',
  state: 'open',
  openedAt: '2026-06-21T22:00:00.000Z',
});

describe('alarm digest', () => {
  const alarms = [
    alarm('L-1', 'lampFailure', 'rue Victor Hugo'),
    alarm('L-2', 'lampFailure', 'rue de la Paix'),
    alarm('L-3', 'not-reporting', 'place du Marché'),
  ];

  it('opens in French with the count, each kind counted and its streets named', () => {
    const { text } = buildDigest('lyon', alarms);
    expect(text.split('\n')[0]).toBe(
      '3 nouvelles alarmes : 2 lampes en panne (rue de la Paix, rue Victor Hugo), 1 luminaire muet (place du Marché).',
    );
  });

  it('says the same in English below, then lists every alarm', () => {
    const { text } = buildDigest('lyon', alarms);
    expect(text).toContain(
      '3 new alarms: 2 lamp failures (rue de la Paix, rue Victor Hugo), 1 luminaire not reporting (place du Marché).',
    );
    expect(text.indexOf('nouvelles alarmes')).toBeLessThan(text.indexOf('new alarms'));
    expect(text).toContain(
      '- L-3, place du Marché (centre) : luminaire muet, depuis 2026-06-21T22:00:00.000Z',
    );
    expect(text).toContain(
      '- L-3, place du Marché (centre): luminaire not reporting, since 2026-06-21T22:00:00.000Z',
    );
  });

  it('uses the singular for one alarm and an ASCII subject for e-mail', () => {
    const digest = buildDigest('lyon', [alarm('L-9', 'plan-drift', 'quai Saint-Antoine')]);
    expect(digest.text.split('\n')[0]).toBe(
      '1 nouvelle alarme : 1 programme non appliqué (quai Saint-Antoine).',
    );
    expect(digest.subject).toBe('lyon: 1 nouvelle alarme / 1 new alarm');
  });

  it('keeps a large digest short: streets and lines beyond the limits are counted, not listed', () => {
    const many = Array.from({ length: 80 }, (_, i) => alarm(`L-${i}`, 'supplyLoss', `rue ${i}`));
    const { text } = buildDigest('lyon', many);
    expect(text.split('\n')[0]).toMatch(
      /^80 nouvelles alarmes : 80 coupures d'alimentation \(.*, et 75 autres\)\.$/,
    );
    expect(text).toContain('… et 30 autres');
    expect(text).toContain('… and 30 more');
  });
});
