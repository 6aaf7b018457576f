/**
 * Files as a data officer hands them over, in any of the layouts councils keep: CSV tables (`,` `;` or tab), folders
 * per collection year (the path names the year), year-named files, `.xlsx` workbooks with one sheet per table, and a
 * zip of any of these. Each file is fed to one reader, so every layout ends in the same cleaning and the same report.
 *
 * Zip archives are read with fflate, workbooks with exceljs (loaded only when a workbook is there).
 */
import { unzipSync, zipSync } from 'fflate';
import { finishSsda903, type IngestOptions, type IngestOutcome } from './pipeline.js';
import { csvRows, readCsvBytes, readCsvText } from './ssda903/csv.js';
import { Ssda903Reader } from './ssda903/read.js';

export interface UploadFile {
  /** the path as the officer has it: `2017-18/episodes.csv`, `returns.xlsx`, `all-years.zip` */
  name: string;
  /** the file's bytes; or its text for CSV handed over as a string */
  data: Uint8Array | string;
}

/**
 * Largest total of bytes the zips and workbooks of one upload may unpack to, together (a zip bomb is refused, not
 * unpacked). What is unpacked is then held as rows, some 15–20 times its size in memory: 64 MB is many times the
 * largest council's ten years of returns, and keeps one upload well inside the process's heap.
 */
export const MAX_UNZIPPED_BYTES = 64 * 1024 * 1024;

class TooLarge extends Error {}
/** Bytes each upload (its reader) has unpacked so far, from every zip and workbook in it. */
const unpacked = new WeakMap<Ssda903Reader, number>();

/**
 * A zip's files (an archive's, or a workbook's parts), counted against the upload's MAX_UNZIPPED_BYTES: TooLarge
 * past it. fflate unpacks each file into its declared size and no further, so a header that lies cannot unpack more.
 */
function unpackWithin(reader: Ssda903Reader, bytes: Uint8Array, keep: (name: string) => boolean) {
  let total = unpacked.get(reader) ?? 0;
  const entries = unzipSync(bytes, {
    filter: (f) => {
      if (!keep(f.name)) return false;
      total += f.originalSize;
      if (total > MAX_UNZIPPED_BYTES) throw new TooLarge();
      return true;
    },
  });
  unpacked.set(reader, total);
  return entries;
}

const tooLarge = (what: string) =>
  `${what} unpacks past ${MAX_UNZIPPED_BYTES / 1024 / 1024} MB (with the upload's other zips and workbooks): upload fewer years (each upload is a whole dataset: the rates use its last two years, five years of returns are plenty), or the tables as CSV files, which are a tenth of a workbook's size unpacked`;

const kind = (name: string): 'csv' | 'xlsx' | 'xls' | 'zip' | 'json' | 'other' => {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (ext === undefined) return 'csv'; // the service's old keys: header, episodes, uasc
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt') return 'csv';
  if (ext === 'xlsx' || ext === 'xlsm') return 'xlsx';
  if (ext === 'xls') return 'xls';
  if (ext === 'zip') return 'zip';
  if (ext === 'json') return 'json';
  return 'other';
};

/** Files nobody means as data: folders' stand-ins, macOS resource forks, Office lock files, hidden files. */
const isClutter = (name: string): boolean =>
  name.endsWith('/') || /(^|\/)(__MACOSX|\.[^/]*)(\/|$)/.test(name) || /(^|\/)~\$/.test(name);

/**
 * A zip entry whose path leaves the archive: a `..` part, an absolute path (`/x.csv`, `\\server\x.csv`) or a drive
 * (`C:\x.csv`), with `/` or `\` as the separator (Windows tools write either). Nothing is ever unpacked to disk, but
 * such an archive was not made by zipping a folder of returns, and skipping the entry (as a hidden file, before)
 * would leave out a table without a word: the upload is refused, naming the entry.
 */
export const escapesZip = (entry: string): boolean =>
  /^[\\/]/.test(entry) || /^[A-Za-z]:/.test(entry) || entry.split(/[\\/]/).some((part) => part === '..');

export const UNSAFE_ENTRY_MESSAGE =
  'a zip entry whose path leaves the zip (a ".." folder, an absolute path or a drive letter): nothing of the upload was stored. Zip the folder of returns again (in Windows: right-click, Send to, Compressed folder) and upload that';

/** A CSV value that is a data URL (`FileReader.readAsDataURL`): the file's bytes, base64, read in their encoding. */
const DATA_URL = /^data:[^,]*;base64,/;

/** Read every file of an upload (any layout) and finish the ingest. */
export async function ingestUpload(files: readonly UploadFile[], options: IngestOptions): Promise<IngestOutcome> {
  const reader = new Ssda903Reader({ referenceYear: options.referenceYear });
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const f of sorted) await readUploadFile(reader, f.name, f.data);
  return finishSsda903(reader.finish(), options);
}

/** One file of an upload into the reader, whatever its kind; a zip is opened and its files read in turn. */
export async function readUploadFile(
  reader: Ssda903Reader,
  name: string,
  data: Uint8Array | string,
  inZip = false,
): Promise<void> {
  if (isClutter(name)) return;
  switch (kind(name)) {
    case 'csv': {
      if (typeof data === 'string' && !DATA_URL.test(data)) {
        readCsvText(reader, name, data);
        return;
      }
      const bytes = bytesOf(data);
      if (bytes === null)
        reader.error(name, null, null, 'bad-input', 'not readable base64 after its data: prefix', 'none');
      else readCsvBytes(reader, name, bytes);
      return;
    }
    case 'xlsx':
      await readWorkbook(reader, name, data);
      return;
    case 'zip': {
      if (inZip) {
        reader.warning(name, null, null, 'ignored-file', 'a zip inside a zip is not opened: unpack it and zip once');
        return;
      }
      await readZip(reader, name, data);
      return;
    }
    case 'xls':
      reader.error(
        name,
        null,
        null,
        'unsupported-format',
        'an Excel 97–2003 workbook (.xls): save it as .xlsx or as CSV files and upload again',
        'none',
      );
      return;
    default:
      reader.raw.notes.push(`ignored file ${name} (not a CSV file, an .xlsx workbook or a zip)`);
      reader.warning(name, null, null, 'ignored-file', 'not a CSV file, an .xlsx workbook or a zip: ignored');
  }
}

const bytesOf = (data: Uint8Array | string): Uint8Array | null => {
  if (typeof data !== 'string') return data;
  const b64 = data.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) return null;
  return new Uint8Array(Buffer.from(b64, 'base64'));
};

async function readZip(reader: Ssda903Reader, name: string, data: Uint8Array | string): Promise<void> {
  const bytes = bytesOf(data);
  let entries: Record<string, Uint8Array>;
  const unsafe: string[] = [];
  try {
    if (bytes === null) throw new Error('not base64');
    entries = unpackWithin(reader, bytes, (entry) => {
      if (escapesZip(entry)) {
        unsafe.push(entry);
        return false;
      }
      return !isClutter(entry);
    });
  } catch (e) {
    const big = e instanceof TooLarge;
    reader.error(
      name,
      null,
      null,
      big ? 'too-large' : 'bad-archive',
      big ? tooLarge('the zip') : 'not a readable zip archive (send its bytes base64-encoded)',
      'none',
    );
    return;
  }
  // refused in either mode (a file-level code): the entry named as the zip's file, never read itself
  for (const entry of unsafe.slice(0, 20))
    reader.error(`${name}/${entry.slice(0, 200)}`, null, null, 'unsafe-zip-entry', UNSAFE_ENTRY_MESSAGE, 'none');
  if (unsafe.length > 20)
    reader.error(
      name,
      null,
      null,
      'unsafe-zip-entry',
      `${unsafe.length - 20} more entries whose path leaves the zip: nothing of the upload was stored`,
      'none',
    );
  // the other files are read as usual, so the report says what else they hold (not "no Episodes table")
  const names = Object.keys(entries).sort();
  if (names.length === 0 && unsafe.length === 0) {
    reader.error(name, null, null, 'empty-file', 'the zip holds no files', 'none');
    return;
  }
  reader.raw.notes.push(`${name}: ${names.length} files unpacked`);
  for (const entry of names) await readUploadFile(reader, `${name}/${entry}`, entries[entry] as Uint8Array, true);
}

/**
 * A cell as the text a CSV export of it would hold: dates as ISO days, numbers as written, an error as Excel shows it
 * (`#N/A`).
 */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'object') {
    const v = value as { result?: unknown; richText?: Array<{ text: string }>; text?: unknown; error?: unknown };
    // an error cell (#N/A, #REF! …, or a formula's result that is one) as Excel shows it: the reader names it
    if (typeof v.error === 'string') return v.error;
    if ('result' in v) return cellText(v.result);
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if (typeof v.text === 'string') return v.text;
    // An error cell (#N/A, #REF!, #VALUE!: a lookup that failed) is kept as Excel shows it, so that a date or a code
    // read from it is an error naming its row and column: read as blank, a DEC of #N/A made the episode open.
    if (typeof v.error === 'string') return v.error;
  }
  return '';
}

/** A zip named .xlsx that holds no workbook part (`xl/workbook.xml`). */
class NotAWorkbook extends Error {}

/** An .xlsx workbook: each sheet is one table, named `book.xlsx [Sheet]` in the report. */
async function readWorkbook(reader: Ssda903Reader, name: string, data: Uint8Array | string): Promise<void> {
  const bytes = bytesOf(data);
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    if (bytes === null) throw new Error('not base64');
    // a workbook is a zip: unpacked here within the upload's limit, and handed to exceljs stored (not compressed) so
    // that it cannot unpack more than was counted
    const parts = unpackWithin(reader, bytes, () => true);
    // a zip that is no workbook (CSV files zipped and named .xlsx): exceljs "loads" it into a workbook without
    // properties, and reading those threw a TypeError (a 500, and the CLI's exit 1 naming no file)
    if (!('xl/workbook.xml' in parts)) throw new NotAWorkbook();
    await workbook.xlsx.load(Buffer.from(zipSync(parts, { level: 0 })) as unknown as ArrayBuffer);
  } catch (e) {
    const big = e instanceof TooLarge;
    reader.error(
      name,
      null,
      null,
      big ? 'too-large' : 'bad-workbook',
      big
        ? tooLarge('the workbook')
        : e instanceof NotAWorkbook
          ? 'a zip archive with no workbook in it, not an .xlsx workbook: if it holds the CSV files, name it .zip and upload again'
          : 'not a readable .xlsx workbook (send its bytes base64-encoded; a password-protected workbook cannot be read)',
      'none',
    );
    return;
  }
  // Mac Excel may save a workbook in the 1904 date system: its date cells exceljs reads right, but a date column
  // formatted as numbers holds day numbers 1,462 fewer than the 1900 system's, read four years early before.
  const date1904 = (workbook.properties as { date1904?: boolean } | undefined)?.date1904 === true;
  if (date1904)
    reader.raw.notes.push(
      `${name}: the workbook uses Excel's 1904 date system (saved so in Mac Excel): its date numbers read in that system`,
    );
  const begun = reader.tablesBegun;
  let sheets = 0;
  for (const sheet of workbook.worksheets) {
    // rows keep their sheet row numbers, so that a problem names the row the officer sees in Excel
    const rows: Array<{ row: number; values: string[] }> = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const values = row.values as unknown[]; // 1-based: values[0] is empty
      const out: string[] = [];
      for (let i = 1; i < values.length; i++) out.push(cellText(values[i]).trim());
      if (out.some((v) => v !== '')) rows.push({ row: rowNumber, values: out });
    });
    if (rows.length === 0) continue; // an empty sheet (Sheet2, Sheet3 of a new workbook) is nothing to read
    sheets++;
    // the header line may sit under title rows; an error cell (#N/A, #REF! …) is named by its sheet's cell when it is
    // in a column we read (feedRow)
    const table = csvRows(reader, `${name} [${sheet.name}]`, { sheet: sheet.name, date1904 });
    let read = true;
    for (const r of rows) if (!(read = table.push(r.values, r.row))) break;
    if (read) table.end();
  }
  if (sheets === 0) reader.error(name, null, null, 'empty-file', 'the workbook has no sheet with rows', 'none');
  else {
    // the sheets read as tables, not the ones ignored (Other, Contents) or refused at their header line
    const read = reader.tablesBegun - begun;
    reader.raw.notes.push(`${name}: ${read} sheet${read === 1 ? '' : 's'} read as table${read === 1 ? '' : 's'}`);
  }
}
