import type { z } from 'zod';
import { RESERVED_NAME_MESSAGE } from '#schedules/index.ts';
import { formatNumber } from '../../format.ts';
import { t } from '../../i18n/index.ts';

/**
 * A zod issue of the API's schemas in the reader's language, from its code and bounds; a rule
 * whose message only the schema knows (a custom refinement) keeps the schema's words.
 */
export function issueWording(issue: z.core.$ZodIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'number' || issue.expected === 'int') return t('sched.issue.number');
      return issue.input === undefined ? t('sched.issue.required') : undefined;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return t('sched.issue.required');
      if (issue.origin === 'number')
        return t('sched.issue.atLeast', { min: formatNumber(Number(issue.minimum)) });
      if (issue.origin === 'array')
        return t('sched.issue.atLeastItems', { min: formatNumber(Number(issue.minimum)) });
      return undefined;
    case 'too_big':
      if (issue.origin === 'number')
        return t('sched.issue.atMost', { max: formatNumber(Number(issue.maximum)) });
      if (issue.origin === 'string')
        return t('sched.issue.atMostChars', { max: formatNumber(Number(issue.maximum)) });
      if (issue.origin === 'array')
        return t('sched.issue.atMostItems', { max: formatNumber(Number(issue.maximum)) });
      return undefined;
    case 'invalid_format':
      if (issue.format === 'regex') return t('sched.issue.clock');
      if (issue.format === 'datetime') return t('sched.issue.dateTime');
      return undefined;
    case 'invalid_value':
      return t('sched.issue.choice');
    case 'custom':
      if (issue.message === RESERVED_NAME_MESSAGE) return t('sched.issue.reservedName');
      if (issue.path.at(-1) === 'until') return t('sched.issue.untilAfterFrom');
      return undefined;
    default:
      return undefined;
  }
}
