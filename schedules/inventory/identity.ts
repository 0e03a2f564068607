import type { Luminaire } from './schema.ts';

/** An imported luminaire whose thing name is the device of another luminaire. */
export interface ThingNameClash {
  readonly luminaire: Luminaire;
  readonly holder: Luminaire;
}

/**
 * The imported luminaires whose thing name another luminaire of the inventory would still hold
 * after the import: `stored` are luminaires found under the imported thing names. A stored
 * luminaire that the import itself gives another thing name frees its old one. Within the file,
 * thing names are already unique (validateRecords).
 */
export function thingNameClashes(
  imported: readonly Luminaire[],
  stored: readonly Luminaire[],
): ThingNameClash[] {
  const importedById = new Map(imported.map((l) => [l.id, l]));
  const holderOf = new Map<string, Luminaire>();
  for (const holder of stored) {
    const replacement = importedById.get(holder.id);
    if (replacement === undefined || replacement.thingName === holder.thingName) {
      holderOf.set(holder.thingName, holder);
    }
  }
  return imported.flatMap((luminaire) => {
    const holder = holderOf.get(luminaire.thingName);
    return holder === undefined || holder.id === luminaire.id ? [] : [{ luminaire, holder }];
  });
}
