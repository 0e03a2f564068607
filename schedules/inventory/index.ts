export { parseCsvInventory, toCsv } from './csv.ts';
export { parseGeoJsonInventory, toGeoJson } from './geojson.ts';
export { type ThingNameClash, thingNameClashes } from './identity.ts';
export {
  LUMINAIRE_FIELDS,
  Luminaire,
  type LuminaireField,
  type LuminaireInput,
  PresenceSensor,
} from './schema.ts';
