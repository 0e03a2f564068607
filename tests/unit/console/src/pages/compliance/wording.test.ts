import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '#console/src/i18n/index.ts';
import { findingWords, ruleName } from '#console/src/pages/compliance/wording.ts';
import { COMPLIANCE_RULES } from '#schedules/compliance/rules.ts';

afterEach(() => setLanguage('fr'));

describe('the compliance wording', () => {
  it('names every rule of the check in French and in English', async () => {
    for (const language of ['fr', 'en'] as const) {
      await setLanguage(language);
      for (const rule of COMPLIANCE_RULES)
        expect(ruleName(rule.id), `${language} ${rule.id}`).not.toBe(rule.id);
    }
  });

  it('words a broken time rule from its figures, what to change included', async () => {
    const finding = {
      rule: 'heritage-off-by',
      article: 'art. 2',
      status: 'broken' as const,
      zone: 'cite',
      luminaire: 'L-0018',
      detail: 'lit from 01:00 to 06:10, to be off by 01:00 at the latest',
      values: { from: '01:00', off: '06:10', deadline: '01:00' },
    };
    expect(findingWords(finding)).toEqual({
      finding: 'Allumé de 01:00 à 06:10, à éteindre à 01:00 au plus tard',
      change: 'Éteindre à 01:00 et ne pas rallumer avant le lever du soleil',
    });
    await setLanguage('en');
    expect(findingWords(finding).change).toBe('Switch off at 01:00 and stay off until sunrise');
  });

  it('names the missing data of a rule it could not check', () => {
    const finding = {
      rule: 'colour-temperature',
      article: 'art. 3 II 3°',
      status: 'not-checkable' as const,
      zone: 'bastide',
      luminaire: 'L-1',
      detail: 'needs colourTemperatureK',
      missing: ['colourTemperatureK', 'installedOn'],
    };
    expect(findingWords(finding)).toEqual({
      finding: 'Manque : colourTemperatureK, installedOn',
      change: '',
    });
  });

  it("keeps the API's words for a rule this console does not know", () => {
    const finding = {
      rule: 'new-rule',
      article: 'art. 4',
      status: 'broken' as const,
      zone: 'z',
      detail: 'd',
      change: 'c',
    };
    expect(findingWords(finding)).toEqual({ finding: 'd', change: 'c' });
    expect(ruleName('new-rule')).toBe('new-rule');
  });
});
