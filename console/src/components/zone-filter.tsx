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
