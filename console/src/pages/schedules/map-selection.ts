/** A luminaire picked on the map: its id, and its zone (a zone-limited technician keeps theirs only). */
export interface SelectedLuminaire {
  readonly id: string;
  readonly zone: string;
}

/** The luminaires selected on the map (the map's selection store, once the map page provides it). */
export function useMapSelection(): readonly SelectedLuminaire[] {
  return [];
}
