import { useEffect, useState } from 'preact/hooks';

let selected: ReadonlySet<string> = new Set();
const listeners = new Set<() => void>();

/**
 * The luminaires selected on the map, shared by the pages of one session (the map sets it, the
 * overrides form targets it). It lives in memory: a reload starts with none.
 */
export function setMapSelection(ids: Iterable<string>): void {
  selected = new Set(ids);
  for (const listener of listeners) listener();
}

export function useMapSelection(): ReadonlySet<string> {
  const [current, setCurrent] = useState(selected);
  useEffect(() => {
    const changed = () => setCurrent(selected);
    listeners.add(changed);
    changed();
    return () => {
      listeners.delete(changed);
    };
  }, []);
  return current;
}
