import { drafts } from '../../drafts.ts';

const SELECTION_DRAFT = 'map-selection';

function selectionKept(stashed: unknown): ReadonlySet<string> {
  return new Set(Array.isArray(stashed) ? stashed.filter((id): id is string => typeof id === 'string') : []);
}

/**
 * The luminaires selected on the map (shift-click, shift-drag a box), kept while the person moves
 * between pages: the override form offers "the luminaires selected on the map".
 */
let selected: ReadonlySet<string> = selectionKept(drafts.take(SELECTION_DRAFT));
const listeners = new Set<() => void>();
// Kept across a sign-in redirect like a form's input: the override form offers it.
drafts.register(SELECTION_DRAFT, () => [...selected]);

export const selectedLuminaires = (): ReadonlySet<string> => selected;

export function onSelectionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** `replace` the selection, `add` to it, or `toggle` each id in or out. */
export function select(ids: Iterable<string>, mode: 'replace' | 'add' | 'toggle' = 'replace'): void {
  const next = new Set(mode === 'replace' ? [] : selected);
  for (const id of ids) {
    if (mode === 'toggle' && next.has(id)) next.delete(id);
    else next.add(id);
  }
  selected = next;
  for (const listener of listeners) listener();
}

export const clearSelection = (): void => select([], 'replace');
