/**
 * CSV text → rows for the reader. csv-parse does the quoting rules; we add the checks real exports need:
 * empty files, a UTF-8 byte-order mark (Excel writes one: removed with a note), and text that is not UTF-8 at all.
 */
import { CsvError, parse } from 'csv-parse/sync';
import type { Ssda903Reader } from './read.js';

export const NOT_UTF8_MESSAGE = 'not UTF-8 text: save the file as "CSV UTF-8" and upload it again';

/**
 * Options shared by the string and the streaming parser, so both read a file the same way. Blank rows and rows of only
 * separators are parsed, not skipped, so that they count in the row numbers (skipped by `isBlankRecord`).
 */
export const CSV_OPTIONS = {
  bom: false, // removed by us, so that we can say we did
  relax_column_count: true,
  relax_quotes: false,
  trim: true,
} as const;

/** A blank row, or one of only separators and spaces: skipped, but counted, so later rows keep the numbers Excel shows. */
export const isBlankRecord = (rec: readonly string[]): boolean => rec.every((v) => v === '');

/**
 * File-level checks on the first characters of a decoded file. Returns the text to parse (BOM removed), or null
 * when the file cannot be read (the error is reported).
 */
export function checkStart(
  reader: Ssda903Reader,
  name: string,
  head: string,
): { bom: boolean; delimiter: string } | null {
  // A UTF-16 file decoded as UTF-8 starts with replacement characters and has NULs between letters.
  if (head.startsWith('\uFFFD\uFFFD') || head.includes('\u0000') || head.startsWith('\uFFFE')) {
    reader.error(name, null, null, 'encoding', NOT_UTF8_MESSAGE, 'none');
    return null;
  }
  const bom = head.startsWith('\uFEFF');
  if (bom) reader.raw.notes.push(`${name}: UTF-8 byte-order mark removed`);
  const text = head.replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    reader.emptyFile(name);
    return null;
  }
  const delimiter = detectDelimiter(text);
  if (delimiter !== ',') reader.separators.set(name, delimiter === '\t' ? 'tabs' : `"${delimiter}"`);
  return { bom, delimiter };
}

/**
 * The separator of a CSV file from its header line: the one of `,` `;` and tab that occurs most often outside quotes
 * (Excel in a European locale writes `;`; some exports write tabs). A comma when none occurs.
 */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch] = (counts[ch] as number) + 1;
  }
  let best = ',';
  for (const d of [';', '\t']) if ((counts[d] as number) > (counts[best] as number)) best = d;
  return best;
}

/** A row with replacement characters was not UTF-8 (e.g. a Latin-1 export): report it, do not guess. */
export function hasBadText(values: readonly string[]): boolean {
  return values.some((v) => v.includes('\uFFFD'));
}

export function csvErrorMessage(e: unknown): { line: number | null; message: string } {
  if (e instanceof CsvError) {
    const line = (e as unknown as { lines?: number }).lines ?? null;
    return { line, message: `not valid CSV (${e.code})${line !== null ? ` near line ${line}` : ''}` };
  }
  return { line: null, message: 'not valid CSV' };
}

/** Feed one CSV file held as a string to the reader. */
export function readCsvText(reader: Ssda903Reader, name: string, text: string): void {
  const ok = checkStart(reader, name, text.slice(0, 4096));
  if (!ok) return;
  const body = ok.bom ? text.slice(1) : text;
  let records: string[][];
  try {
    records = parse(body, { ...CSV_OPTIONS, delimiter: ok.delimiter }) as string[][];
  } catch (e) {
    const { line, message } = csvErrorMessage(e);
    reader.error(name, line, null, 'malformed-csv', message, 'none');
    return;
  }
  feedRecords(reader, name, records);
}

export function feedRecords(reader: Ssda903Reader, name: string, records: Iterable<string[]>): void {
  let row = 0;
  let header = false;
  let open = false;
  for (const rec of records) {
    row++;
    if (isBlankRecord(rec)) continue;
    if (!header) {
      header = true;
      open = reader.beginFile(name, rec);
      if (!open) return;
      continue;
    }
    feedRow(reader, name, rec, row);
  }
  if (!header) reader.emptyFile(name);
  else if (open) reader.endFile();
}

export function feedRow(reader: Ssda903Reader, name: string, rec: readonly string[], row: number): void {
  if (hasBadText(rec)) {
    reader.error(name, row, null, 'encoding', NOT_UTF8_MESSAGE);
    reader.raw.rowsRead++;
    reader.raw.rowsDropped++;
    return;
  }
  reader.addRow(rec, row);
}
