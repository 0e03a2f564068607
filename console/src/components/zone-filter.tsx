import { useState } from 'preact/hooks';

/**
 * A list filtered by zone: the zones its items are in, the chosen one ('' for all, the start) and the
 * items shown; `filter` is what ZoneFilter takes besides its id and labels.
 */
export function useZoneFilter<T extends { readonly zone: string }>(items: readonly T[]) {
  const [zone, setZone] = useState('');
  return {
    shown: items.filter((item) => zone === '' || item.zone === zone),
    filter: { zones: [...new Set(items.map((item) => item.zone))].sort(), value: zone, onChange: setZone },
  };
}

/**
 * The zone filter of a list (the alarms, the compliance findings): its zones, and an empty value
 * for all of them, inside the list's filter bar.
 */
export function ZoneFilter(props: {
  readonly id: string;
  readonly label: string;
  /** The empty choice's text: "all zones". */
  readonly allLabel: string;
  readonly zones: readonly string[];
  /** The chosen zone, '' for all. */
  readonly value: string;
  readonly onChange: (zone: string) => void;
}) {
  return (
    <div class="filters">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        <option value="">{props.allLabel}</option>
        {props.zones.map((z) => (
          <option key={z} value={z}>
            {z}
          </option>
        ))}
      </select>
    </div>
  );
}
