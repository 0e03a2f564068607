import type { Alarm } from '../store/index.ts';
import { NOT_REPORTING, PLAN_DRIFT } from './kinds.ts';

/**
 * The message a person receives about the alarms opened since the last digest: one message for the
 * lot, French first then English, counts by kind with their streets, then one line per alarm.
 */
export interface Digest {
  /** ASCII, under 100 characters (SNS e-mail subject). */
  readonly subject: string;
  readonly text: string;
}

type Label = readonly [singular: string, plural: string];

const LABELS: Record<string, { readonly fr: Label; readonly en: Label }> = {
  lampFailure: { fr: ['lampe en panne', 'lampes en panne'], en: ['lamp failure', 'lamp failures'] },
  driverFailure: { fr: ['driver en panne', 'drivers en panne'], en: ['driver failure', 'driver failures'] },
  supplyLoss: {
    fr: ["coupure d'alimentation", "coupures d'alimentation"],
    en: ['supply loss', 'supply losses'],
  },
  dayBurning: {
    fr: ['luminaire allumé de jour', 'luminaires allumés de jour'],
    en: ['luminaire burning by day', 'luminaires burning by day'],
  },
  powerHigh: { fr: ['surconsommation', 'surconsommations'], en: ['power too high', 'power too high'] },
  powerLow: { fr: ['sous-consommation', 'sous-consommations'], en: ['power too low', 'power too low'] },
  [PLAN_DRIFT]: {
    fr: ['programme non appliqué', 'programmes non appliqués'],
    en: ['plan not applied', 'plans not applied'],
  },
  [NOT_REPORTING]: {
    fr: ['luminaire muet', 'luminaires muets'],
    en: ['luminaire not reporting', 'luminaires not reporting'],
  },
};

/** Beyond these, a digest names how many more there are instead of listing them. */
const STREETS_PER_KIND = 5;
const ALARM_LINES = 50;

const labelOf = (kind: string, lang: 'fr' | 'en', count: number): string => {
  const label = LABELS[kind]?.[lang] ?? [kind, kind];
  return count === 1 ? label[0] : label[1];
};

function streetsOf(alarms: readonly Alarm[], more: (n: number) => string): string {
  const streets = [...new Set(alarms.map((alarm) => alarm.street))].sort((a, b) => a.localeCompare(b));
  const shown = streets.slice(0, STREETS_PER_KIND);
  const rest = streets.length - shown.length;
  return [...shown, ...(rest > 0 ? [more(rest)] : [])].join(', ');
}

function byKind(alarms: readonly Alarm[]): [string, Alarm[]][] {
  const groups = new Map<string, Alarm[]>();
  for (const alarm of alarms) groups.set(alarm.kind, [...(groups.get(alarm.kind) ?? []), alarm]);
  return [...groups].sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b));
}

function summary(alarms: readonly Alarm[], lang: 'fr' | 'en'): string {
  const n = alarms.length;
  const head =
    lang === 'fr'
      ? `${n} ${n === 1 ? 'nouvelle alarme' : 'nouvelles alarmes'} :`
      : `${n} new ${n === 1 ? 'alarm' : 'alarms'}:`;
  const more = (rest: number) => (lang === 'fr' ? `et ${rest} autres` : `and ${rest} more`);
  const parts = byKind(alarms).map(
    ([kind, group]) => `${group.length} ${labelOf(kind, lang, group.length)} (${streetsOf(group, more)})`,
  );
  return `${head} ${parts.join(', ')}.`;
}

function lines(alarms: readonly Alarm[], lang: 'fr' | 'en'): string[] {
  const sorted = [...alarms].sort(
    (a, b) => a.openedAt.localeCompare(b.openedAt) || a.luminaireId.localeCompare(b.luminaireId),
  );
  const shown = sorted.slice(0, ALARM_LINES).map((alarm) => {
    const what = labelOf(alarm.kind, lang, 1);
    const since = lang === 'fr' ? 'depuis' : 'since';
    const colon = lang === 'fr' ? ' :' : ':';
    return `- ${alarm.luminaireId}, ${alarm.street} (${alarm.zone})${colon} ${what}, ${since} ${alarm.openedAt}`;
  });
  const rest = sorted.length - shown.length;
  if (rest > 0) shown.push(lang === 'fr' ? `… et ${rest} autres` : `… and ${rest} more`);
  return shown;
}

/** The digest of `alarms` (at least one) for a site. */
export function buildDigest(site: string, alarms: readonly Alarm[]): Digest {
  const n = alarms.length;
  return {
    subject:
      `${site}: ${n} ${n === 1 ? 'nouvelle alarme' : 'nouvelles alarmes'} / ${n} new ${n === 1 ? 'alarm' : 'alarms'}`
        .replace(/[^\x20-\x7e]/g, '?')
        .slice(0, 99),
    text: [
      summary(alarms, 'fr'),
      '',
      ...lines(alarms, 'fr'),
      '',
      '---',
      '',
      summary(alarms, 'en'),
      '',
      ...lines(alarms, 'en'),
    ].join('\n'),
  };
}
