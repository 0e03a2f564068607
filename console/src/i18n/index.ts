import { fr, type MessageKey } from './fr.ts';

export type { MessageKey };
export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

type Catalogue = Record<MessageKey, string>;

// French is the default and ships with the shell; English is fetched when first chosen, which keeps
// the first load under its budget (ADR 0006).
const catalogues: Partial<Record<Language, Catalogue>> = { fr };
const loadCatalogue = async (language: Language): Promise<Catalogue> =>
  language === 'fr' ? fr : (await import('./en.ts')).en;
const LOCALES: Record<Language, string> = { fr: 'fr-FR', en: 'en-GB' };

let current: Language = 'fr';
const listeners = new Set<() => void>();

/** French unless the browser prefers English before French; any other language gets French. */
export function languageFrom(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'fr' || base === 'en') return base;
  }
  return 'fr';
}

export const language = (): Language => current;

/** The BCP 47 locale numbers and dates are formatted in. */
export const locale = (): string => LOCALES[current];

/** Switches language once its catalogue is loaded, so no message is ever shown without one. */
export async function setLanguage(next: Language): Promise<void> {
  if (next === current) return;
  catalogues[next] ??= await loadCatalogue(next);
  current = next;
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  for (const listener of listeners) listener();
}

export function onLanguageChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The message in the current language, `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
  return (catalogues[current] ?? fr)[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
