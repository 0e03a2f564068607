import { useEffect, useRef, useState } from 'preact/hooks';

/** Where drafts wait during a sign-in: the tab's sessionStorage (this tab only, gone with it). */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const KEY = 'lumen-city.drafts';

/**
 * Unsaved form input kept across a sign-in that leaves the page: Cognito's managed login is a
 * redirect, and the page is loaded again after it. While mounted, a form registers how to read
 * its draft; just before the page leaves, `stash` writes every registered draft to storage; once
 * back, each form `take`s its own (read once, then removed), so a draft comes back after that
 * redirect only, never into a later visit of the form. (The local sign-in shows its form over the
 * page, which keeps its state in memory: nothing to stash.)
 */
export class DraftStore {
  readonly #readers = new Map<string, () => unknown>();

  constructor(private readonly storage: DraftStorage | undefined) {}

  /** Until the returned function is called, `stash` keeps what `read` answers as `form`'s draft. */
  register(form: string, read: () => unknown): () => void {
    this.#readers.set(form, read);
    return () => {
      if (this.#readers.get(form) === read) this.#readers.delete(form);
    };
  }

  stash(): void {
    if (this.#readers.size === 0) return;
    const drafts = {
      ...this.#stored(),
      ...Object.fromEntries([...this.#readers].map(([f, read]) => [f, read()])),
    };
    this.storage?.setItem(KEY, JSON.stringify(drafts));
  }

  /** `form`'s stashed draft, once: it is removed as it is read. */
  take(form: string): unknown {
    const drafts = this.#stored();
    if (!(form in drafts)) return undefined;
    const { [form]: draft, ...others } = drafts;
    if (Object.keys(others).length === 0) this.storage?.removeItem(KEY);
    else this.storage?.setItem(KEY, JSON.stringify(others));
    return draft;
  }

  #stored(): Record<string, unknown> {
    try {
      const parsed: unknown = JSON.parse(this.storage?.getItem(KEY) ?? '{}');
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {};
    } catch {
      // Not ours or damaged: as if there were none.
      return {};
    }
  }
}

/** A stashed draft over a fresh one: fields it has replace theirs, fields it lacks keep the fresh. */
export function restoredDraft<T extends object>(fresh: T, stashed: unknown): T {
  return typeof stashed === 'object' && stashed !== null && !Array.isArray(stashed)
    ? { ...fresh, ...(stashed as Partial<T>) }
    : fresh;
}

export const drafts = new DraftStore(typeof sessionStorage === 'undefined' ? undefined : sessionStorage);

/** A form's draft state (like useState) that survives a sign-in redirect. */
export function useDraft<T extends object>(form: string, fresh: () => T) {
  const [draft, setDraft] = useState<T>(() => restoredDraft(fresh(), drafts.take(form)));
  const latest = useRef(draft);
  latest.current = draft;
  useEffect(() => drafts.register(form, () => latest.current), [form]);
  return [draft, setDraft] as const;
}
