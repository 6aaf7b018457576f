/**
 * CSV bytes or text → rows for the reader. csv-parse does the quoting rules; we add the checks real exports need:
 * the encoding (encoding.ts: UTF-8, UTF-16 with a byte-order mark or plainly without, else Windows-1252; binary files
 * refused), empty files, a UTF-8 byte-order mark (Excel writes one: removed with a note), and text decoded wrongly
 * before it reached us.
 */
import { CsvError, parse } from 'csv-parse/sync';
import {
  ENCODING_LABELS,
  WINDOWS_1252_WARNING,
  binaryMessage,
  chooseEncoding,
  decodeText,
  isUtf8,
  utf16GuessedWarning,
  type FileEncoding,
} from './encoding.js';
import { cellName, excelError } from './excel-errors.js';
import type { Ssda903Reader } from './read.js';
import { KNOWN_COLUMNS, normaliseColumn } from './tables.js';

/** Text handed over as a string that was decoded wrongly before it reached us (UTF-16 read as UTF-8). */
export const NOT_UTF8_MESSAGE = 'not UTF-8 text: save the file as "CSV UTF-8" and upload it again';

/**
 * The encoding of a CSV file's bytes, reported: a UTF-16 file with a byte-order mark gets a note, one without it or a
 * file read as Windows-1252 a warning, a binary file an error (null returned: nothing to read). `validUtf8` is asked
 * only when the first bytes do not decide.
 */
export function chooseCsvEncoding(
  reader: Ssda903Reader,
  name: string,
  head: Uint8Array,
  validUtf8: () => boolean,
): FileEncoding | null {
  const choice = chooseEncoding(head, validUtf8);
  if ('binary' in choice) {
    reader.error(name, null, null, 'encoding', binaryMessage(choice.binary), 'none');
    return null;
  }
  if ((choice.encoding === 'utf-16le' || choice.encoding === 'utf-16be') && choice.bom > 0)
    reader.raw.notes.push(`${name}: read as ${ENCODING_LABELS[choice.encoding]} (from its byte-order mark)`);
  else if (choice.encoding === 'utf-16le' || choice.encoding === 'utf-16be')
    reader.warning(name, null, null, 'encoding-guessed', utf16GuessedWarning(choice.encoding));
  if (choice.encoding === 'windows-1252') reader.warning(name, null, null, 'encoding-guessed', WINDOWS_1252_WARNING);
  return choice;
}

/** Feed one CSV file held as bytes (an upload, a file in a zip) to the reader, in the encoding it is in. */
export function readCsvBytes(reader: Ssda903Reader, name: string, bytes: Uint8Array): void {
  const enc = chooseCsvEncoding(reader, name, bytes.subarray(0, 4096), () => isUtf8(bytes));
  if (enc) readCsvText(reader, name, decodeText(bytes, enc.encoding));
}

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

/**
 * The columns (by position) holding replacement characters: text decoded wrongly before it reached us (a Windows-1252
 * file read as UTF-8 by the sender). Bytes we decode ourselves never give one.
 */
export function badTextColumns(values: readonly string[]): number[] {
  const out: number[] = [];
  values.forEach((v, i) => {
    if (v.includes('\uFFFD')) out.push(i);
  });
  return out;
}

export function csvErrorMessage(e: unknown): { line: number | null; message: string } {
  if (e instanceof CsvError) {
    const line = (e as unknown as { lines?: number }).lines ?? null;
    return { line, message: `not valid CSV (${e.code})${line !== null ? ` near line ${line}` : ''}` };
  }
  return { line: null, message: 'not valid CSV' };
}

/**
 * Feed one CSV file held as a string to the reader. Each record goes to the reader as it is parsed and is not kept
 * (`on_record` returns null): parsed whole, a 34 MB upload held some 600,000 arrays of strings at once, near a GB, more
 * than the upload function's memory. A file that turns out malformed part way is refused whole (`malformed-csv` blocks
 * the upload), as the CLI's streamed files are.
 */
export function readCsvText(reader: Ssda903Reader, name: string, text: string): void {
  const ok = checkStart(reader, name, text.slice(0, 4096));
  if (!ok) return;
  const body = ok.bom ? text.slice(1) : text;
  const rows = csvRows(reader, name);
  let reading = true;
  try {
    parse(body, {
      ...CSV_OPTIONS,
      delimiter: ok.delimiter,
      on_record: (rec: string[]) => {
        if (reading) reading = rows.push(rec);
        return null;
      },
    });
  } catch (e) {
    const { line, message } = csvErrorMessage(e);
    reader.error(name, line, null, 'malformed-csv', message, 'none');
    return;
  }
  if (reading) rows.end();
}

/**
 * Rows above the header line that are looked through for it: a title, the council's name, the date of the export or
 * a blank line that Excel users put above a table. Past this many, the first row is the header line (and its errors
 * say so).
 */
export const MAX_ROWS_ABOVE_HEADER = 10;

/** A row that is a header line: at least two cells that are 903 column names (`CHILD`, `DECOM`, `place provider`). */
const isHeaderLine = (rec: readonly string[]): boolean =>
  rec.filter((c) => KNOWN_COLUMNS.has(normaliseColumn(c))).length >= 2;

/**
 * One file's (or sheet's) rows into the reader, as they are parsed: blank rows counted (so row numbers are the ones
 * Excel shows) and skipped. The header line is the first row holding 903 column names among the first
 * MAX_ROWS_ABOVE_HEADER rows that are not blank (rows above it, titles, are skipped with a note that never quotes
 * them); when none does, the first row, as before. Shared by the string parser (`readCsvText`), the CLI's streaming
 * one (bin/data-dir.ts) and workbook sheets (upload.ts, which pass the sheet's own row numbers). `push` is false when
 * the file is refused at its header: stop reading it (no `end`).
 */
export function csvRows(
  reader: Ssda903Reader,
  name: string,
  options: { sheet?: string; date1904?: boolean } = {},
): { push(rec: string[], rowNumber?: number): boolean; end(): void } {
  let row = 0;
  let header = false;
  /** the header line, normalised: the same line again further down (files joined with `cat`, or pasted one under another) is skipped */
  let headerKey = '';
  let headerFirst = '';
  let repeatedHeaders = 0;
  /** rows read while looking for the header line */
  const above: Array<{ rec: string[]; row: number }> = [];
  /** a row's cells as column names, trailing blank cells left out (a header line saved with a row of commas after it) */
  const keyOf = (rec: readonly string[]): string => {
    const cells = rec.map(normaliseColumn);
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    return JSON.stringify(cells);
  };
  const begin = (rec: string[], at: number, skipped: number): boolean => {
    header = true;
    headerKey = keyOf(rec);
    headerFirst = normaliseColumn(rec[0] ?? '');
    if (skipped > 0)
      reader.raw.notes.push(
        `${name}: the header line is row ${at} (${skipped} row${skipped === 1 ? '' : 's'} above it skipped)`,
      );
    return reader.beginFile(name, rec, {
      row: at,
      ...(options.sheet !== undefined ? { sheet: options.sheet } : {}),
      ...(options.date1904 === true ? { date1904: true } : {}),
    });
  };
  return {
    push(rec, rowNumber) {
      row = rowNumber ?? row + 1;
      if (isBlankRecord(rec)) return true;
      if (header) {
        // the first cell first: one cell compared per row, the whole line only when it starts as the header does
        if (normaliseColumn(rec[0] ?? '') === headerFirst && keyOf(rec) === headerKey) repeatedHeaders++;
        else feedRow(reader, rec, row, options.sheet);
        return true;
      }
      if (isHeaderLine(rec)) return begin(rec, row, above.length);
      above.push({ rec, row });
      if (above.length < MAX_ROWS_ABOVE_HEADER) return true;
      return flushAbove();
    },
    end() {
      if (!header && above.length > 0 && !flushAbove()) return;
      if (repeatedHeaders > 0)
        reader.raw.notes.push(
          `${name}: the header line repeated ${repeatedHeaders} time${repeatedHeaders === 1 ? '' : 's'} further down (files joined one under another): skipped`,
        );
      if (!header) reader.emptyFile(name);
      else reader.endFile();
    },
  };
  /** No header line among the first rows: the first row is read as the header line, the rest as data. */
  function flushAbove(): boolean {
    const [first, ...rest] = above.splice(0);
    if (first === undefined) return true;
    if (!begin(first.rec, first.row, 0)) return false;
    for (const r of rest) feedRow(reader, r.rec, r.row, options.sheet);
    return true;
  }
}

/**
 * One data row of the file the reader has open (its rows numbered as Excel shows them; `sheet`: the workbook sheet it
 * is on, for naming a cell). A totals row at the foot of the table is skipped with a note (`totalsRow`). Text decoded
 * wrongly and Excel error values (`#N/A` …) are looked at next: in a column the forecast reads, either drops the row
 * with an error naming it.
 */
export function feedRow(reader: Ssda903Reader, rec: readonly string[], row: number, sheet?: string): void {
  if (reader.totalsRow(rec, row)) return;
  const bad = badTextColumns(rec);
  if (bad.length > 0 && !reader.unreadableText(bad, row)) return;
  let errors: Array<{ index: number; cell: string; error: string }> | undefined;
  for (let i = 0; i < rec.length; i++) {
    const v = rec[i] as string;
    if (v.length === 0 || v.length > 16 || !v.includes('#')) continue;
    const error = excelError(v);
    if (error !== null) (errors ??= []).push({ index: i, cell: cellName(sheet, i + 1, row), error });
  }
  if (errors !== undefined && !reader.errorCells(errors, row, sheet !== undefined)) return;
  reader.addRow(rec, row);
}
