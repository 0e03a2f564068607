import { complianceFr } from './compliance.fr.ts';
import { financeFr } from './finance.fr.ts';
import { mapFr } from './map.fr.ts';
import { operationsFr } from './operations.fr.ts';
import { schedulesFr } from './schedules.fr.ts';
import { shellFr } from './shell.fr.ts';

/**
 * The French catalogue, the default: each area of the console keeps its strings in its own
 * `<area>.fr.ts` and adds one spread here, so areas never edit each other's strings.
 */
export const fr = {
  ...shellFr,
  ...financeFr,
  ...operationsFr,
  ...schedulesFr,
  ...mapFr,
  ...complianceFr,
};

export type MessageKey = keyof typeof fr;
