import { CsvError, parse } from 'csv-parse/sync';
import type { Parsed, Problem } from '../problem.ts';
import { type LocatedRecord, validateRecords } from './records.ts';
import {
  LUMINAIRE_FIELDS,
  type Luminaire,
  type LuminaireField,
  OPTIONAL_LUMINAIRE_FIELDS,
} from './schema.ts';

const NUMBER_COLUMNS: ReadonlySet<LuminaireField> = new Set([
  'lat',
  'lon',
  'ledWatts',
  'baselineWatts',
  'minLevel',
  'colourTemperatureK',
  'fluxLm',
  'upwardLightRatioPercent',
]);
interface CsvRow {
  record: string[];
  /** `records` counts the records read so far, this one included: its row number, header = 1. */
  info: { records: number };
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses a CSV inventory: a header row naming the columns (`id,lat,lon,street,zone,ledWatts,
 * baselineWatts`, the optional ones, e.g. `minLevel`, `thingName` or `usage`, in any order), RFC 4180 quoting, comma
 * separated (or semicolon separated, as French spreadsheet exports are, when the header has no comma).
 * Problems name the row, counting the header as row 1, and the column.
 */
export function parseCsvInventory(text: string, source: string): Parsed<Luminaire[]> {
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let rows: CsvRow[];
  try {
    // With `info: true` each record comes with its position; the typings only know plain records.
    rows = parse(text, {
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as CsvRow[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const row = Number(error.records) + 1;
    return { ok: false, problems: [{ source, path: `row ${row}`, message: error.message }] };
  }
  const [header, ...data] = rows;
  if (header === undefined) {
    return {
      ok: false,
      problems: [
        { source, path: 'row 1', message: `no header row (expected columns ${LUMINAIRE_FIELDS.join(',')})` },
      ],
    };
  }
  const columns = readHeader(header.record, source);
  if (!columns.ok) return columns;
  const records = data.map(({ record, info }): LocatedRecord => {
    const at = `row ${info.records}`;
    const fieldPath = (field: LuminaireField) => `${at}, column ${field}`;
    if (record.length !== columns.value.length) {
      const message = `expected ${columns.value.length} fields as in the header, found ${record.length}`;
      return { at, fieldPath, fields: null, problems: [{ source, path: at, message }] };
    }
    const fields: Partial<Record<LuminaireField, unknown>> = {};
    columns.value.forEach((column, i) => {
      const cell = record[i] ?? '';
      if (cell !== '') fields[column] = NUMBER_COLUMNS.has(column) ? toNumber(cell) : cell;
    });
    return { at, fieldPath, fields, problems: [] };
  });
  return validateRecords(records, source);
}

function readHeader(names: readonly string[], source: string): Parsed<LuminaireField[]> {
  const problems: Problem[] = [];
  const known = new Set<string>(LUMINAIRE_FIELDS);
  const seen = new Set<string>();
  for (const raw of names) {
    const name = raw.trim();
    const path = `row 1, column ${JSON.stringify(name)}`;
    if (!known.has(name)) {
      problems.push({ source, path, message: `unknown column (known: ${LUMINAIRE_FIELDS.join(', ')})` });
    } else if (seen.has(name)) problems.push({ source, path, message: 'column appears twice' });
    seen.add(name);
  }
  for (const field of LUMINAIRE_FIELDS) {
    if (!seen.has(field) && !OPTIONAL_LUMINAIRE_FIELDS.has(field)) {
      problems.push({ source, path: 'row 1', message: `missing column ${field}` });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: names.map((name) => name.trim() as LuminaireField) };
}

/** A decimal number, or the cell text unchanged so that validation reports it as not a number. */
function toNumber(cell: string): number | string {
  const trimmed = cell.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed) : cell;
}

/**
 * RFC 4180 CSV (CRLF-free: LF line ends), the columns the CSV import reads, in its order; an absent
 * optional field is an empty cell, as the import reads it.
 */
export function toCsv(luminaires: readonly Luminaire[]): string {
  const lines = [LUMINAIRE_FIELDS.join(',')];
  for (const luminaire of luminaires) {
    lines.push(LUMINAIRE_FIELDS.map((field) => csvField(String(luminaire[field] ?? ''))).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function csvField(text: string): string {
  return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
