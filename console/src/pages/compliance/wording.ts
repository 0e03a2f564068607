import type { ComplianceFinding } from '../../api/compliance.ts';
import { type MessageKey, t } from '../../i18n/index.ts';

const RULES = new Set([
  'colour-temperature',
  'upward-light-installed',
  'upward-light-half',
  'on-after-sunset',
  'heritage-off-by',
  'car-park-off',
  'flux-density',
]);

/** A rule's name in the reader's language; a rule this console does not know keeps its id. */
export const ruleName = (id: string): string =>
  RULES.has(id) ? t(`compliance.rule.${id}` as MessageKey) : id;

/** The finding and what to change, in the reader's language, from the figures the API gives. */
export function findingWords(finding: ComplianceFinding): { finding: string; change: string } {
  const values = finding.values ?? {};
  if (finding.status === 'not-checkable') {
    return { finding: t('compliance.missing', { missing: (finding.missing ?? []).join(', ') }), change: '' };
  }
  switch (finding.rule) {
    case 'colour-temperature':
      return { finding: t('compliance.found.colour', values), change: t('compliance.change.colour', values) };
    case 'upward-light-installed':
      return {
        finding: t('compliance.found.upward', values),
        change: t('compliance.change.upwardInstalled'),
      };
    case 'upward-light-half':
      return { finding: t('compliance.found.upward', values), change: t('compliance.change.upwardHalf') };
    case 'on-after-sunset':
      return { finding: t('compliance.found.onEarly', values), change: t('compliance.change.onEarly') };
    case 'heritage-off-by':
    case 'car-park-off':
      return {
        finding: t('compliance.found.litLate', values),
        change: t('compliance.change.litLate', values),
      };
    default:
      // A rule newer than this console: the API's own (English) words.
      return { finding: finding.detail, change: finding.change ?? '' };
  }
}
