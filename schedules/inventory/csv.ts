import { CsvError, parse } from 'csv-parse/sync';
import type { Parsed, Problem } from '../problem.ts';
import { CABINET_KIND, luminaireKind } from './kinds.ts';
import { type LocatedRecord, type RecordKind, validateRecords } from './records.ts';
import {
  CABINET_FIELDS,
  type Cabinet,
  type CabinetField,
  LUMINAIRE_FIELDS,
  type Luminaire,
  type LuminaireField,
} from './schema.ts';

interface CsvRow {
  record: string[];
  /** `records` counts the records read so far, this one included: its row number, header = 1. */
  info: { records: number };
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses a CSV inventory: a header row naming the columns (`id,lat,lon,street,zone,ledWatts,
 * baselineWatts`, optional `minLevel`, `thingName`, `cabinet` and `controller`, in any order), RFC
 * 4180 quoting, comma separated (or semicolon separated, as French spreadsheet exports are, when the
 * header has no comma). Problems name the row, counting the header as row 1, and the column.
 * `cabinets`: the ids of the cabinets a luminaire may name (none by default).
 */
export function parseCsvInventory(
  text: string,
  source: string,
  cabinets: ReadonlySet<string> = new Set(),
): Parsed<Luminaire[]> {
  return parseCsvRecords(text, source, luminaireKind(cabinets));
}

/**
 * Parses a CSV list of cabinets (`id,lat,lon,zone,deliveryPointId,subscribedKva,tariffOption,
 * controller`, optional `commune`, `thingName`, `lineLossPercent`), read as parseCsvInventory reads
 * luminaires.
 */
export function parseCsvCabinets(text: string, source: string): Parsed<Cabinet[]> {
  return parseCsvRecords(text, source, CABINET_KIND);
}

function parseCsvRecords<F extends string, T extends { readonly id: string }>(
  text: string,
  source: string,
  kind: RecordKind<F, T>,
): Parsed<T[]> {
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
        { source, path: 'row 1', message: `no header row (expected columns ${kind.fields.join(',')})` },
      ],
    };
  }
  const columns = readHeader(header.record, source, kind);
  if (!columns.ok) return columns;
  const records = data.map(({ record, info }): LocatedRecord<F> => {
    const at = `row ${info.records}`;
    const fieldPath = (field: F) => `${at}, column ${field}`;
    if (record.length !== columns.value.length) {
      const message = `expected ${columns.value.length} fields as in the header, found ${record.length}`;
      return { at, fieldPath, fields: null, problems: [{ source, path: at, message }] };
    }
    const fields: Partial<Record<F, unknown>> = {};
    columns.value.forEach((column, i) => {
      const cell = record[i] ?? '';
      if (cell !== '') fields[column] = kind.columns[column].type === 'number' ? toNumber(cell) : cell;
    });
    return { at, fieldPath, fields, problems: [] };
  });
  return validateRecords(records, source, kind);
}

function readHeader<F extends string>(
  names: readonly string[],
  source: string,
  kind: Pick<RecordKind<F, { id: string }>, 'fields' | 'columns'>,
): Parsed<F[]> {
  const problems: Problem[] = [];
  const known = new Set<string>(kind.fields);
  const seen = new Set<string>();
  for (const raw of names) {
    const name = raw.trim();
    const path = `row 1, column ${JSON.stringify(name)}`;
    if (!known.has(name)) {
      problems.push({ source, path, message: `unknown column (known: ${kind.fields.join(', ')})` });
    } else if (seen.has(name)) problems.push({ source, path, message: 'column appears twice' });
    seen.add(name);
  }
  for (const field of kind.fields) {
    if (!seen.has(field) && !kind.columns[field].optional) {
      problems.push({ source, path: 'row 1', message: `missing column ${field}` });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: names.map((name) => name.trim() as F) };
}

/** A decimal number, or the cell text unchanged so that validation reports it as not a number. */
function toNumber(cell: string): number | string {
  const trimmed = cell.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed) : cell;
}

/**
 * RFC 4180 CSV (CRLF-free: LF line ends), the columns the CSV import reads, in its order; an
 * optional field left out is an empty cell.
 */
export function toCsv(luminaires: readonly Luminaire[]): string {
  return recordsCsv<LuminaireField>(LUMINAIRE_FIELDS, luminaires);
}

/** Cabinets as RFC 4180 CSV that parseCsvCabinets reads back. */
export function cabinetsCsv(cabinets: readonly Cabinet[]): string {
  return recordsCsv<CabinetField>(CABINET_FIELDS, cabinets);
}

function recordsCsv<F extends string>(
  fields: readonly F[],
  records: readonly Partial<Record<F, unknown>>[],
): string {
  const lines = [fields.join(',')];
  for (const record of records) {
    lines.push(
      fields.map((field) => csvField(record[field] === undefined ? '' : String(record[field]))).join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

function csvField(text: string): string {
  return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
