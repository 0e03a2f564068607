import { columnsOf, type RecordKind, UNIQUE_THING_NAME } from './records.ts';
import {
  CABINET_FIELDS,
  Cabinet,
  type CabinetField,
  CabinetShape,
  LUMINAIRE_FIELDS,
  Luminaire,
  type LuminaireField,
  LuminaireShape,
} from './schema.ts';

const LUMINAIRE_COLUMNS = columnsOf(LuminaireShape);

/**
 * Luminaire records; `cabinets` are the ids of the cabinets they may name (those of the same
 * import and those stored): naming another one is a problem of the record.
 */
export function luminaireKind(cabinets: ReadonlySet<string>): RecordKind<LuminaireField, Luminaire> {
  return {
    noun: 'luminaire',
    fields: LUMINAIRE_FIELDS,
    schema: Luminaire,
    columns: LUMINAIRE_COLUMNS,
    unique: [UNIQUE_THING_NAME],
    check: (luminaire) =>
      luminaire.cabinet === undefined || cabinets.has(luminaire.cabinet)
        ? []
        : [{ field: 'cabinet', message: `unknown cabinet ${JSON.stringify(luminaire.cabinet)}` }],
  };
}

/** Cabinet records: one device and one utility meter each. */
export const CABINET_KIND: RecordKind<CabinetField, Cabinet> = {
  noun: 'cabinet',
  fields: CABINET_FIELDS,
  schema: Cabinet,
  columns: columnsOf(CabinetShape),
  unique: [
    UNIQUE_THING_NAME,
    { field: 'deliveryPointId', role: 'meter', name: (value) => `delivery point ${value}` },
  ],
};
