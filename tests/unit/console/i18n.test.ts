import { afterEach, describe, expect, it } from 'vitest';
import { en } from '#console/src/i18n/en.ts';
import { fr } from '#console/src/i18n/fr.ts';
import { languageFrom, setLanguage, t } from '#console/src/i18n/index.ts';

afterEach(() => setLanguage('fr'));

describe('console messages', () => {
  it('speaks French unless the browser prefers English first', () => {
    expect(languageFrom([])).toBe('fr');
    expect(languageFrom(['de-DE', 'fr-FR'])).toBe('fr');
    expect(languageFrom(['en-US', 'fr'])).toBe('en');
    expect(languageFrom(['es'])).toBe('fr');
  });

  // Unit files share modules: another file may have loaded the English catalogue already, so only
  // the states before and after the switch are certain here.
  it('fills placeholders in the current language, English once switched to it', async () => {
    expect(t('app.error', { message: 'x' })).toBe('Une erreur est survenue : x');
    await setLanguage('en');
    expect(t('app.error', { message: 'x' })).toBe('Something went wrong: x');
  });

  it('has every French message in English too, with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(fr[key]));
    }
  });
});
