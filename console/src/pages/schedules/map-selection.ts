import { useEffect, useState } from 'preact/hooks';
import { onSelectionChange, selectedLuminaires } from '../map/selection.ts';

/** The luminaires selected on the map (the map page's store), followed as the selection changes. */
export function useMapSelection(): ReadonlySet<string> {
  const [current, setCurrent] = useState(selectedLuminaires);
  useEffect(() => {
    setCurrent(selectedLuminaires());
    return onSelectionChange(() => setCurrent(selectedLuminaires()));
  }, []);
  return current;
}
