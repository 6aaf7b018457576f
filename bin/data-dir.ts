/**
 * Reading a data directory from disk for the CLI and the local server: the SSDA903 files in it and its folders (CSV
 * streamed row by row, so a 50 MB file is never held whole; workbooks and zips read whole) or, when there are none,
 * one JSON records file.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { finishSsda903, type IngestOptions, type IngestOutcome } from '#models/ingest/pipeline';
import { qualityReport } from '#models/ingest/quality';
import { readUploadFile } from '#models/ingest/upload';
import { ingestRecords } from '#models/ingest/records';
import { CSV_OPTIONS, checkStart, chooseCsvEncoding, csvErrorMessage, csvRows } from '#models/ingest/ssda903/csv';
import { byteOrderMark, decodeText, textDecoder, utf8Check } from '#models/ingest/ssda903/encoding';
import { Ssda903Reader } from '#models/ingest/ssda903/read';

/**
 * The year of ingest, for the CLI's readers: two-digit years are placed by it (models/ingest/ssda903/dates.ts). Read
 * from the clock here, by the caller, because models/ is pure.
 */
export const ingestYear = (): number => new Date().getFullYear();
/** The day of ingest (ISO), for the same reason: a return of a year still running ends the data at its last month end. */
export const ingestDate = (): string => new Date().toISOString().slice(0, 10);

/**
 * The salt a command-line run hashes child ids with: random, made for this run and kept nowhere. A CLI stores no
 * dataset, so nothing needs the same key twice; a fixed salt written here would let anyone reverse the keys of a
 * dataset the run writes out. What the commands print and write does not depend on the salt: children are ordered by
 * their keys, but everything computed from them is a sum or a sorted list (tests/unit/salt-independence.test.ts).
 */
export const runSalt = (): string => randomBytes(32).toString('base64url');

/** Whether a whole file is valid UTF-8, read in chunks (never held whole). */
async function fileIsUtf8(path: string): Promise<boolean> {
  const check = utf8Check();
  for await (const chunk of createReadStream(path)) if (!check.push(chunk as Buffer)) return false;
  return check.end();
}

/**
 * Stream one CSV file into the reader, in its encoding (decided as for an upload: a byte-order mark, else UTF-8 when
 * the whole file is valid UTF-8, else Windows-1252; binary files refused).
 */
export async function readCsvFile(reader: Ssda903Reader, path: string, name: string): Promise<void> {
  const handle = await open(path, 'r');
  let headBytes: Uint8Array;
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    headBytes = new Uint8Array(buf.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
  // the whole file is checked only when no byte-order mark decides
  const utf8 = byteOrderMark(headBytes) !== null || (await fileIsUtf8(path));
  const enc = chooseCsvEncoding(reader, name, headBytes, () => utf8);
  if (!enc) return;
  const ok = checkStart(reader, name, decodeText(headBytes, enc.encoding));
  if (!ok) return;
  const decoder = textDecoder(enc.encoding);
  const decode = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, decoder.write(chunk));
    },
    flush(done) {
      done(null, decoder.end());
    },
  });
  // a UTF-8 byte-order mark is skipped here (the decoder keeps it); a UTF-16 one is dropped by the decoder
  const parser = createReadStream(path, { start: ok.bom && enc.encoding === 'utf-8' ? 3 : 0 })
    .pipe(decode)
    .pipe(parse({ ...CSV_OPTIONS, delimiter: ok.delimiter }));
  const rows = csvRows(reader, name);
  try {
    for await (const rec of parser as AsyncIterable<string[]>) {
      if (!rows.push(rec)) {
        parser.destroy();
        return;
      }
    }
  } catch (e) {
    const { line, message } = csvErrorMessage(e);
    reader.error(name, line, null, 'malformed-csv', message, 'none');
    return;
  }
  rows.end();
}

const badInput = (file: string, message: string): IngestOutcome => ({
  ok: false,
  report: qualityReport(
    [{ file, row: null, column: null, code: 'bad-input', message, action: 'none', severity: 'error' }],
    [],
  ),
});

/** Every file under a directory, as paths relative to it (hidden files and folders left out), sorted. */
async function walk(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === '__MACOSX') continue;
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await walk(dir, rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

const SSDA903_FILE = /\.(csv|tsv|txt|xlsx|xlsm|xls|zip)$/i;

/**
 * Ingest a data directory as a council keeps its returns: SSDA903 CSV files, .xlsx workbooks or zips, at the top or in
 * folders per collection year (`2016-17/episodes.csv`); or, when there is none of these, its one JSON records file.
 */
export async function loadDataDirectory(dir: string, options: IngestOptions): Promise<IngestOutcome> {
  let names: string[];
  try {
    names = await walk(dir);
  } catch {
    return badInput(dir, 'not a readable directory');
  }
  const tables = names.filter((n) => SSDA903_FILE.test(n));
  if (tables.length === 0) {
    const json = names.filter((n) => n.toLowerCase().endsWith('.json') && !n.endsWith('known-parameters.json'));
    if (json.length !== 1)
      return badInput(
        dir,
        'expected SSDA903 files (.csv tables, .xlsx workbooks or a .zip of them, at the top or in folders per collection year) or one JSON records file',
      );
    const name = json[0] as string;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(join(dir, name), 'utf8'));
    } catch {
      return badInput(name, 'not valid JSON');
    }
    return ingestRecords(parsed, options);
  }
  const reader = new Ssda903Reader({ referenceYear: options.referenceYear });
  for (const name of names) {
    if (/\.(csv|tsv|txt)$/i.test(name)) await readCsvFile(reader, join(dir, name), name);
    else await readUploadFile(reader, name, new Uint8Array(await readFile(join(dir, name))));
  }
  return finishSsda903(reader.finish(), options);
}
