export { cabinetsCsv, parseCsvCabinets, parseCsvInventory, toCsv } from './csv.ts';
export { parseGeoJsonCabinets, parseGeoJsonInventory, toGeoJson } from './geojson.ts';
export { type ThingNameClash, thingNameClashes } from './identity.ts';
export {
  CABINET_FIELDS,
  Cabinet,
  type CabinetField,
  type CabinetInput,
  hasOwnController,
  LUMINAIRE_FIELDS,
  Luminaire,
  type LuminaireField,
  type LuminaireInput,
  PresenceSensor,
} from './schema.ts';
