import type { MessageKey } from './fr.ts';
import { shellEn } from './shell.en.ts';

/** The English catalogue: the same keys as the French one (the type checker holds them equal). */
export const en: Record<MessageKey, string> = {
  ...shellEn,
};
