/**
 * Reading a data directory from disk for the CLI and the local server: the SSDA903 CSV files in it (streamed row by
 * row, so a 50 MB file is never held whole) or, when there are no CSV files, one JSON records file.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { finishSsda903, type IngestOptions, type IngestOutcome } from '#models/ingest/pipeline';
import { qualityReport } from '#models/ingest/quality';
import { ingestRecords } from '#models/ingest/records';
import { CSV_OPTIONS, checkStart, csvErrorMessage, feedRow } from '#models/ingest/ssda903/csv';
import { Ssda903Reader } from '#models/ingest/ssda903/read';

/** Stream one CSV file into the reader. */
export async function readCsvFile(reader: Ssda903Reader, path: string, name: string): Promise<void> {
  const handle = await open(path, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
  const ok = checkStart(reader, name, head);
  if (!ok) return;
  const parser = createReadStream(path, { encoding: 'utf8', start: ok.bom ? 3 : 0 }).pipe(
    parse({ ...CSV_OPTIONS, delimiter: ok.delimiter }),
  );
  let row = 0;
  let open_ = false;
  try {
    for await (const rec of parser as AsyncIterable<string[]>) {
      row++;
      if (row === 1) {
        open_ = reader.beginFile(name, rec);
        if (!open_) {
          parser.destroy();
          return;
        }
        continue;
      }
      feedRow(reader, name, rec, row);
    }
  } catch (e) {
    const { line, message } = csvErrorMessage(e);
    reader.error(name, line, null, 'malformed-csv', message, 'none');
    return;
  }
  if (row === 0) reader.emptyFile(name);
  else if (open_) reader.endFile();
}

/** Ingest every `.csv` file of a directory as SSDA903 tables, or its single `.json` file as records. */
export async function loadDataDirectory(dir: string, options: IngestOptions): Promise<IngestOutcome> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return {
      ok: false,
      report: qualityReport(
        [
          {
            file: dir,
            row: null,
            column: null,
            code: 'bad-input',
            message: 'not a readable directory',
            action: 'none',
            severity: 'error',
          },
        ],
        [],
      ),
    };
  }
  const csv = names.filter((n) => n.toLowerCase().endsWith('.csv'));
  if (csv.length === 0) {
    const json = names.filter((n) => n.toLowerCase().endsWith('.json') && n !== 'known-parameters.json');
    if (json.length !== 1)
      return {
        ok: false,
        report: qualityReport(
          [
            {
              file: dir,
              row: null,
              column: null,
              code: 'bad-input',
              message: 'expected SSDA903 .csv files or one JSON records file',
              action: 'none',
              severity: 'error',
            },
          ],
          [],
        ),
      };
    const name = json[0] as string;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(join(dir, name), 'utf8'));
    } catch {
      return {
        ok: false,
        report: qualityReport(
          [
            {
              file: name,
              row: null,
              column: null,
              code: 'bad-input',
              message: 'not valid JSON',
              action: 'none',
              severity: 'error',
            },
          ],
          [],
        ),
      };
    }
    return ingestRecords(parsed, options);
  }
  const reader = new Ssda903Reader();
  for (const name of csv) await readCsvFile(reader, join(dir, name), name);
  return finishSsda903(reader.finish(), options);
}
