import { complianceEn } from './compliance.en.ts';
import { financeEn } from './finance.en.ts';
import type { MessageKey } from './fr.ts';
import { mapEn } from './map.en.ts';
import { operationsEn } from './operations.en.ts';
import { schedulesEn } from './schedules.en.ts';
import { shellEn } from './shell.en.ts';

/** The English catalogue: the same keys as the French one (the type checker holds them equal). */
export const en: Record<MessageKey, string> = {
  ...shellEn,
  ...financeEn,
  ...operationsEn,
  ...schedulesEn,
  ...mapEn,
  ...complianceEn,
};
