/**
 * Encodings real exports come in: Excel's plain "CSV (Comma delimited)" (Windows-1252), "Unicode Text" (UTF-16 with a
 * byte-order mark) and UTF-16 without one give the UTF-8 file's counts exactly, read the same on disk (streamed) and as
 * an upload; a PDF or a zip named .csv is still refused, and a row whose text could not be read names its column.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '#models/dataset';
import { ingestSsda903, type IngestOutcome } from '#models/ingest/pipeline';
import { loadDataDirectory } from '../../bin/data-dir.js';
import { DEMO_TABLES as TABLES, LENIENT as opts, accepted as ok, uploadFiles as upload } from '../fixtures/demo-903.js';

/** The demo tables with a free-text column an officer added: pounds, accents and curly quotes, as Excel users type. */
const demo: Record<string, string> = Object.fromEntries(
  TABLES.map((t) => {
    const lines = readFileSync(`data/demo/${t}.csv`, 'utf8').trimEnd().split('\n');
    const text = lines
      .map((l, i) => (i === 0 ? `${l},COMMENTS` : `${l},${i % 7 === 0 ? '"£250 a week, café’s rate – agreed"' : ''}`))
      .join('\r\n');
    return [t, `${text}\r\n`];
  }),
);

const CP1252_HIGH: Record<string, number> = { '€': 0x80, '’': 0x92, '‘': 0x91, '“': 0x93, '”': 0x94, '–': 0x96 };
function windows1252(text: string): Uint8Array {
  return Uint8Array.from(
    [...text].map((ch) => CP1252_HIGH[ch] ?? (ch.charCodeAt(0) < 0x100 ? ch.charCodeAt(0) : 0x3f)),
  );
}
const utf16le = (text: string): Uint8Array => new Uint8Array(Buffer.from(`\uFEFF${text}`, 'utf16le'));
function utf16be(text: string): Uint8Array {
  const le = utf16le(text);
  const be = new Uint8Array(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) [be[i], be[i + 1]] = [le[i + 1] as number, le[i] as number];
  return be;
}

function problems(out: IngestOutcome) {
  return out.ok ? out.dataset.quality.problems : out.report.problems;
}

function writeDir(files: Record<string, Uint8Array | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'enc-'));
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  return dir;
}
const asFiles = <T extends Uint8Array | string>(encode: (t: string) => T): Record<string, T> =>
  Object.fromEntries(TABLES.map((t) => [`${t}.csv`, encode(demo[t] as string)]));

const utf8 = ok(await loadDataDirectory(writeDir(asFiles((t) => t)), opts));

/** Everything the forecast uses equals the UTF-8 file's; only the encoding notes and warnings may differ. */
function sameAsUtf8(d: Dataset): void {
  expect(d.counts).toEqual(utf8.counts);
  expect(d.period).toEqual(utf8.period);
  expect(d.stock).toEqual(utf8.stock);
  expect(d.children).toEqual(utf8.children);
  expect(d.estimate.parameters).toEqual(utf8.estimate.parameters);
  const { 'encoding-guessed': _, ...counts } = d.quality.counts;
  expect(counts).toEqual(utf8.quality.counts);
}

describe('Excel "CSV (Comma delimited)": Windows-1252', () => {
  it('is read as Windows-1252 with a warning naming the file, on disk and uploaded, with the UTF-8 counts', async () => {
    const files = asFiles(windows1252);
    // the demo file really is invalid UTF-8 once a pound sign is in it
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(files['episodes.csv'] as Uint8Array)).toThrow();
    const fromDisk = ok(await loadDataDirectory(writeDir(files), opts));
    sameAsUtf8(fromDisk);
    for (const t of TABLES)
      expect(fromDisk.quality.problems).toContainEqual({
        file: `${t}.csv`,
        row: null,
        column: null,
        code: 'encoding-guessed',
        message:
          'not UTF-8 text: read as Windows-1252, the encoding of Excel\'s "CSV (Comma delimited)"; save it as "CSV UTF-8" to be sure of any accented text',
        action: 'none',
        severity: 'warning',
      });
    expect(fromDisk.quality.counts['encoding-guessed']).toBe(3);
    // the streaming reader and the upload reader agree, in a zip too
    expect(ok(await upload(files))).toEqual(fromDisk);
    const zipped = ok(await upload({ 'returns.zip': Buffer.from(zipSync(files)).toString('base64') }));
    sameAsUtf8(zipped);
    expect(zipped.quality.problems).toContainEqual(
      expect.objectContaining({ file: 'returns.zip/episodes.csv', code: 'encoding-guessed' }),
    );
  });

  it('a CSV sent to the API as a data URL (its bytes, base64) is read the same way', async () => {
    const files = Object.fromEntries(
      Object.entries(asFiles(windows1252)).map(([n, b]) => [
        n,
        `data:text/csv;base64,${Buffer.from(b as Uint8Array).toString('base64')}`,
      ]),
    );
    sameAsUtf8(ok(await upload(files)));
  });

  it('valid UTF-8 is read as before: no encoding warning', () => {
    expect(utf8.quality.counts['encoding-guessed']).toBeUndefined();
    expect(utf8.quality.notes.filter((n) => /UTF|Windows|byte-order/.test(n))).toEqual([]);
  });
});

describe('Excel "Unicode Text": UTF-16 with a byte-order mark', () => {
  for (const [label, encode] of [
    ['UTF-16LE', utf16le],
    ['UTF-16BE', utf16be],
  ] as const)
    it(`${label} is decoded as such, with a note, on disk and uploaded, with the UTF-8 counts`, async () => {
      const files = asFiles(encode);
      const fromDisk = ok(await loadDataDirectory(writeDir(files), opts));
      sameAsUtf8(fromDisk);
      expect(fromDisk.quality.notes).toContain(`episodes.csv: read as ${label} (from its byte-order mark)`);
      expect(ok(await upload(files))).toEqual(fromDisk);
    });

  it('the tab-separated UTF-16 file Excel writes as "Unicode Text" is read too', async () => {
    const files = Object.fromEntries(
      TABLES.map((t) => [`${t}.txt`, utf16le((demo[t] as string).replace(/,/g, '\t').replace(/"/g, ''))]),
    );
    const d = ok(await loadDataDirectory(writeDir(files), opts));
    expect(d.stock).toEqual(utf8.stock);
    expect(d.quality.notes).toContain('episodes.txt: columns separated by tabs');
  });
});

describe('UTF-16 without a byte-order mark', () => {
  const noBom = (encode: (t: string) => Uint8Array) => (t: string) => encode(t).subarray(2);
  for (const [label, encoding, encode] of [
    ['UTF-16LE', 'utf-16le', noBom(utf16le)],
    ['UTF-16BE', 'utf-16be', noBom(utf16be)],
  ] as const)
    it(`${label} is read as such, with a warning naming the encoding, on disk and uploaded, with the UTF-8 counts`, async () => {
      const files = asFiles(encode);
      expect(Array.from((files['header.csv'] as Uint8Array).subarray(0, 4))).toEqual(
        encoding === 'utf-16le' ? [0x59, 0, 0x45, 0] : [0, 0x59, 0, 0x45],
      );
      const fromDisk = ok(await loadDataDirectory(writeDir(files), opts));
      sameAsUtf8(fromDisk);
      for (const t of TABLES)
        expect(fromDisk.quality.problems).toContainEqual({
          file: `${t}.csv`,
          row: null,
          column: null,
          code: 'encoding-guessed',
          message: `not UTF-8 text: read as ${label}, which it is without a byte-order mark (a zero byte beside every letter); save it as "CSV UTF-8" to be sure it is read right`,
          action: 'none',
          severity: 'warning',
        });
      expect(fromDisk.quality.counts['encoding-guessed']).toBe(3);
      expect(fromDisk.quality.notes.filter((n) => n.includes('byte-order mark'))).toEqual([]);
      expect(ok(await upload(files))).toEqual(fromDisk);
    });
});

describe('files that are not text are still refused', () => {
  const header = demo.header as string;
  const cases: Array<[string, Uint8Array, string]> = [
    [
      'a PDF named .csv',
      new Uint8Array(Buffer.from('%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1')),
      'not a CSV text file: it is a PDF document. Save the table as CSV (CSV UTF-8 is best) and upload it again',
    ],
    [
      'a zip (or .xlsx workbook) named .csv',
      zipSync({ 'header.csv': new TextEncoder().encode(header) }),
      'not a CSV text file: it is a zip archive or an .xlsx workbook. Save the table as CSV (CSV UTF-8 is best) and upload it again',
    ],
    [
      'binary data',
      Uint8Array.from({ length: 600 }, (_, i) => (i * 37) % 256),
      'not a CSV text file: it holds binary data. Save the table as CSV (CSV UTF-8 is best) and upload it again',
    ],
    [
      // a zero in every other byte, but the others printable ASCII only 4 times in 10: refused, not read as UTF-16
      '16-bit binary numbers',
      Uint8Array.from({ length: 600 }, (_, i) => (i % 2 === 1 ? 0 : (i * 37 + 1) % 256)),
      'not a CSV text file: it looks like UTF-16 text without a byte-order mark. Save the table as CSV (CSV UTF-8 is best) and upload it again',
    ],
    [
      'an .xlsx workbook renamed .csv',
      zipSync({ '[Content_Types].xml': new TextEncoder().encode('<Types/>'), 'xl/workbook.xml': new Uint8Array(8) }),
      'not a CSV text file: it is a zip archive or an .xlsx workbook. Save the table as CSV (CSV UTF-8 is best) and upload it again',
    ],
  ];
  for (const [name, bytes, message] of cases)
    it(`${name}: an encoding error, on disk and uploaded`, async () => {
      const files = { 'header.csv': bytes, 'episodes.csv': demo.episodes as string };
      const expected = { file: 'header.csv', row: null, column: null, code: 'encoding', message };
      const fromDisk = await loadDataDirectory(writeDir(files), opts);
      expect(fromDisk.ok).toBe(false);
      expect(problems(fromDisk)).toContainEqual(expect.objectContaining(expected));
      expect(problems(await upload(files))).toContainEqual(expect.objectContaining(expected));
    });
});

describe('a row whose text could not be read (text already decoded wrongly before it reached us)', () => {
  const header = 'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,1,15/06/2005,WBRI,,,\n2,1,15/06/2005,WBRI,,,';
  const EPISODE_COLS = 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN';
  const ingest = (episodes: string) =>
    ingestSsda903(
      [
        { name: 'header.csv', text: header },
        { name: 'episodes.csv', text: episodes },
      ],
      { salt: 's', referenceYear: 2026, mode: 'lenient', refuse: { maxDroppedShare: 1, withoutFlows: false } },
    );

  it('in a column we read: the row is dropped with an error naming the column, lenient keeps the others', () => {
    const out = ingest(`${EPISODE_COLS}\n1,01/05/2017,S,C2,N1,U4,PR1,,,,,,\n2,01/06/2017,S,C2,N1,U\uFFFD,PR1,,,,,,`);
    expect(ok(out).counts.episodes).toBe(1);
    expect(problems(out)).toContainEqual({
      file: 'episodes.csv',
      row: 3,
      column: 'PLACE',
      code: 'unreadable-text',
      message:
        'characters in PLACE could not be read (the file was not read as UTF-8 text before upload): save the file as "CSV UTF-8" and upload it again',
      action: 'dropped',
      severity: 'error',
    });
  });

  it('in a column we do not read: one warning per column naming it by its header, the rows kept', () => {
    const out = ingest(
      `${EPISODE_COLS},NOTES\n1,01/05/2017,S,C2,N1,U4,PR1,,,,,,,caf\uFFFD\n2,01/06/2017,S,C2,N1,U4,PR1,,,,,,,\uFFFD250`,
    );
    const d = ok(out);
    expect(d.counts.episodes).toBe(2);
    expect(d.quality.problems).toEqual([
      {
        file: 'episodes.csv',
        row: 2,
        column: 'NOTES',
        code: 'unreadable-text',
        message:
          'characters in NOTES could not be read (the file was not read as UTF-8 text before upload): that column is not used, so the rows are kept',
        action: 'none',
        severity: 'warning',
      },
    ]);
  });

  it('a column whose header cell is blank, or holds no column name (a postcode), is named by its position', () => {
    const out = ingest(
      `${EPISODE_COLS},Social worker,,PE1 1AA\n1,01/05/2017,S,C2,N1,U4,PR1,,,,,,,J\uFFFDrg,\uFFFD,\uFFFD\n2,01/06/2017,S,C2,N1,U4,PR1,,,,,,,,\uFFFD,`,
    );
    const d = ok(out);
    expect(d.counts.episodes).toBe(2);
    expect(d.quality.problems.map((p) => [p.row, p.column, p.message.split(' could')[0]])).toEqual([
      [2, 'Social worker', 'characters in Social worker'],
      [2, 'column 15', 'characters in column 15'],
      [2, 'column 16', 'characters in column 16'],
    ]);
    expect(JSON.stringify(d.quality)).not.toContain('PE1');
  });
});
