import { type Cabinet, hasOwnController, type Luminaire } from '../inventory/schema.ts';
import { NO_CIRCUITS, planNight } from '../plan/plan-night.ts';
import type { Transition } from '../plan/types.ts';
import type { Problem } from '../problem.ts';
import { addDays } from '../time/local-date.ts';
import { ZoneClock } from '../time/zone-clock.ts';
import type { Config, LocalDate } from './schema.ts';

/**
 * Luminaires on one circuit switch within this of each other anyway: a cabinet's streets see the
 * sun a few seconds apart.
 */
const SWITCH_TOLERANCE_SECONDS = 120;

/** Luminaires named in a finding before "…". */
const SHOWN_LUMINAIRES = 3;

/** The instants a luminaire goes on or off (dimming between lit levels is not a switch). */
function switchInstants(transitions: readonly Transition[]): number[] {
  const out: number[] = [];
  let lit = false;
  for (const { at, level } of transitions) {
    if (level > 0 !== lit) out.push(at);
    lit = level > 0;
  }
  return out;
}

const sameSwitching = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((at, i) => Math.abs(at - (b[i] as number)) <= SWITCH_TOLERANCE_SECONDS);

/**
 * Cabinets whose luminaires without their own controller ask for different switch times on some
 * night of `nights` from `firstNight`: one contactor cannot do both, so some of them burn longer
 * than their profile asks (planCabinet lights them all whenever one asks). One finding per cabinet,
 * naming the first such night, how many there are, and each group of luminaires with its on/off
 * times (local time).
 */
export function cabinetSwitchingProblems(
  config: Config,
  cabinets: readonly Cabinet[],
  luminaires: readonly Luminaire[],
  firstNight: LocalDate,
  nights: number,
  source: string,
): Problem[] {
  const nodeLess = luminaires.filter((l) => !hasOwnController(l) && l.cabinet !== undefined);
  if (nodeLess.length === 0) return [];
  const clock = ZoneClock.of(config.site.timezone);
  const hhmm = (at: number): string => clock.format(at).slice(11, 16);
  const byCabinet = new Map<string, { night: LocalDate; text: string } & { count: number }>();
  for (let i = 0; i < nights; i++) {
    const night = addDays(firstNight, i);
    // What their profiles ask, before any contactor: the disagreement is what is being looked for.
    const plans = planNight(config, nodeLess, night, NO_CIRCUITS).luminaires;
    const groups = new Map<string, { switches: number[]; ids: string[] }[]>();
    plans.forEach((plan, index) => {
      const cabinet = (nodeLess[index] as Luminaire).cabinet as string;
      const switches = switchInstants(plan.transitions);
      const list = groups.get(cabinet) ?? [];
      const group = list.find((g) => sameSwitching(g.switches, switches));
      if (group === undefined) list.push({ switches, ids: [plan.id] });
      else group.ids.push(plan.id);
      groups.set(cabinet, list);
    });
    for (const [cabinet, list] of groups) {
      if (list.length < 2) continue;
      const found = byCabinet.get(cabinet);
      if (found !== undefined) {
        found.count += 1;
        continue;
      }
      const text = list
        .map(({ switches, ids }) => {
          const shown =
            ids.slice(0, SHOWN_LUMINAIRES).join(', ') + (ids.length > SHOWN_LUMINAIRES ? ', …' : '');
          const spans: string[] = [];
          for (let s = 0; s < switches.length; s += 2) {
            const off = switches[s + 1];
            spans.push(`${hhmm(switches[s] as number)}–${off === undefined ? '?' : hhmm(off)}`);
          }
          return `${shown} (${ids.length}): ${spans.length === 0 ? 'unlit' : spans.join(', ')}`;
        })
        .join('; ');
      byCabinet.set(cabinet, { night, text, count: 1 });
    }
  }
  const known = new Set(cabinets.map((cabinet) => cabinet.id));
  return [...byCabinet]
    .filter(([cabinet]) => known.has(cabinet))
    .map(([cabinet, { night, text, count }]) => ({
      source,
      path: `cabinet ${cabinet}`,
      message:
        `its luminaires without their own controller ask for different switch times on ${count} of ` +
        `${nights} nights (first the night of ${night}: ${text}); the contactor lights them all whenever one asks`,
    }));
}
