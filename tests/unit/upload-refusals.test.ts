/**
 * What an upload must not read quietly (docs/hardening.md, "7–8 December 2026, night"): a zip entry whose path leaves
 * the zip refuses the upload naming the entry; an Excel error cell (#N/A, #REF!, #VALUE!, #DIV/0!) in a column the
 * forecast reads is an error naming the sheet's cell and the column, not a missing value.
 */
import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { IngestOptions } from '#models/ingest/pipeline';
import { cellName, columnLetters, excelError } from '#models/ingest/ssda903/excel-errors';
import { escapesZip, ingestUpload } from '#models/ingest/upload';

const STRICT: IngestOptions = { salt: 's', referenceYear: 2026 };
const LENIENT: IngestOptions = { ...STRICT, mode: 'lenient' };
const text = (t: string) => readFileSync(`data/demo/${t}.csv`, 'utf8');
const rows = (t: string) =>
  text(t)
    .trim()
    .split(/\r?\n/)
    .map((l) => l.split(','));

describe('zip entries whose path leaves the zip', () => {
  it('knows them: "..", absolute paths and drive letters, with either separator', () => {
    for (const bad of [
      '../episodes.csv',
      '/episodes.csv',
      'a/../../x.csv',
      'sub\\..\\..\\x.csv',
      'C:/x.csv',
      'C:x.csv',
      '\\\\srv\\x.csv',
      '..',
    ])
      expect(escapesZip(bad), bad).toBe(true);
    for (const good of ['episodes.csv', '2017-18/episodes.csv', '2017-18\\episodes.csv', 'a..b/x.csv', '...csv'])
      expect(escapesZip(good), good).toBe(false);
  });

  for (const bad of ['../episodes.csv', '/episodes.csv', 'returns\\..\\..\\episodes.csv', 'C:/returns/episodes.csv'])
    for (const options of [STRICT, LENIENT])
      it(`refuses the upload naming ${bad} (${options.mode ?? 'strict'}), though the zip's other files are good`, async () => {
        const zip = zipSync({
          'header.csv': strToU8(text('header')),
          'episodes.csv': strToU8(text('episodes')),
          'uasc.csv': strToU8(text('uasc')),
          [bad]: strToU8(text('episodes')),
        });
        const out = await ingestUpload([{ name: 'returns.zip', data: Buffer.from(zip).toString('base64') }], options);
        expect(out.ok).toBe(false);
        if (out.ok) return;
        const unsafe = out.report.problems.filter((p) => p.code === 'unsafe-zip-entry');
        expect(unsafe).toEqual([
          expect.objectContaining({ file: `returns.zip/${bad}`, row: null, severity: 'error', action: 'none' }),
        ]);
        expect(unsafe[0]?.message).toContain('leaves the zip');
        // no child's data in the report: the entry's name and the rule only
        expect(JSON.stringify(out.report)).not.toMatch(/100101|02\/09\/1995/);
      });

  it('still reads a zip made on Windows with backslashes (2017-18\\episodes.csv names a year folder)', async () => {
    const zip = zipSync({
      'returns\\header.csv': strToU8(text('header')),
      'returns\\episodes.csv': strToU8(text('episodes')),
      'returns\\uasc.csv': strToU8(text('uasc')),
    });
    const out = await ingestUpload([{ name: 'r.zip', data: zip }], LENIENT);
    expect(out.ok).toBe(true);
  });
});

/** The demo tables as a workbook (Header, Episodes, UASC sheets), with `edit` given each sheet to break cells. */
async function workbook(edit: (sheets: Record<string, import('exceljs').Worksheet>) => void): Promise<string> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const sheets: Record<string, import('exceljs').Worksheet> = {};
  for (const [t, name] of [
    ['header', 'Header'],
    ['episodes', 'Episodes'],
    ['uasc', 'UASC'],
  ] as const) {
    const sheet = wb.addWorksheet(name);
    for (const r of rows(t)) sheet.addRow(r);
    sheets[name] = sheet;
  }
  edit(sheets);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

describe('Excel error cells', () => {
  it('names columns and cells as Excel does', () => {
    expect([1, 3, 26, 27, 52, 53, 702, 703].map(columnLetters)).toEqual(['A', 'C', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
    expect(cellName('Episodes', 3, 14)).toBe('Episodes!C14');
    expect(cellName('Episodes 2018', 9, 2)).toBe("'Episodes 2018'!I2");
    expect(cellName(undefined, 9, 2)).toBe('I2');
    expect(['#N/A', ' #n/a ', '#DIV/0!', '#REF!', '#VALUE!'].map(excelError)).toEqual([
      '#N/A',
      '#N/A',
      '#DIV/0!',
      '#REF!',
      '#VALUE!',
    ]);
    expect(['N/A', '#', '#1234', 'E06#N/A', ''].map(excelError)).toEqual([null, null, null, null, null]);
  });

  it('#N/A, #REF!, #VALUE! and #DIV/0! in columns the forecast reads are errors naming sheet, cell and column', async () => {
    const data = await workbook((s) => {
      const ep = s.Episodes as import('exceljs').Worksheet;
      ep.getCell('C14').value = { error: '#N/A' } as never; // DECOM, a literal error
      ep.getCell('I20').value = { formula: 'C20/0', result: { error: '#DIV/0!' } } as never; // DEC, a formula's error
      ep.getCell('B30').value = { formula: 'VLOOKUP(A30,X!A:B,2,0)', result: { error: '#REF!' } } as never; // CHILD
      (s.Header as import('exceljs').Worksheet).getCell('D5').value = { error: '#VALUE!' } as never; // DOB
    });
    for (const options of [STRICT, LENIENT]) {
      const out = await ingestUpload([{ name: 'returns.xlsx', data }], options);
      const problems = out.ok ? out.dataset.quality.problems : out.report.problems;
      const broken = problems.filter((p) => p.code === 'excel-error');
      expect(broken.map((p) => [p.file, p.row, p.column, p.severity, p.action])).toEqual([
        ['returns.xlsx [Header]', 5, 'DOB', 'error', 'dropped'],
        ['returns.xlsx [Episodes]', 14, 'DECOM', 'error', 'dropped'],
        ['returns.xlsx [Episodes]', 20, 'DEC', 'error', 'dropped'],
        ['returns.xlsx [Episodes]', 30, 'CHILD', 'error', 'dropped'],
      ]);
      expect(broken.map((p) => p.message.split(' in the ')[0])).toEqual([
        'Header!D5 holds the Excel error #VALUE!',
        'Episodes!C14 holds the Excel error #N/A',
        'Episodes!I20 holds the Excel error #DIV/0!',
        'Episodes!B30 holds the Excel error #REF!',
      ]);
      expect(broken[2]?.message).toContain('in the DEC column: a formula in the workbook broke');
      // strict stores nothing; lenient drops those rows (4 of thousands) and keeps the rest
      expect(out.ok).toBe(options.mode === 'lenient');
      expect(JSON.stringify(problems)).not.toMatch(/100101|02\/09\/1995/);
    }
  });

  it('an error in a column the forecast does not read (REASON_PLACE_CHANGE, URN) is ignored', async () => {
    const data = await workbook((s) => {
      const ep = s.Episodes as import('exceljs').Worksheet;
      ep.getCell('K14').value = { formula: 'X1', result: { error: '#REF!' } } as never;
      ep.getCell('N15').value = { error: '#N/A' } as never;
    });
    const out = await ingestUpload([{ name: 'returns.xlsx', data }], LENIENT);
    if (!out.ok) throw new Error(JSON.stringify(out.report.problems.slice(0, 3)));
    expect(out.dataset.quality.problems.filter((p) => p.code === 'excel-error')).toEqual([]);
  });

  it('the same words saved as text (a CSV saved from the workbook, or pasted as text) are errors naming the cell', async () => {
    const episodes = rows('episodes');
    const head = episodes[0] as string[];
    const col = (name: string) => head.indexOf(name);
    // row 14 in Excel is episodes[13]: CHILD; row 20: DEC; row 25: HOME_POST (read for sibling groups); row 30: URN
    (episodes[13] as string[])[col('CHILD')] = '#N/A';
    (episodes[19] as string[])[col('DEC')] = '#DIV/0!';
    (episodes[24] as string[])[col('HOME_POST')] = '#REF!';
    (episodes[29] as string[])[col('URN')] = '#REF!';
    const csv = episodes.map((r) => r.join(',')).join('\n');
    const out = await ingestUpload(
      [
        { name: 'header.csv', data: text('header') },
        { name: 'episodes.csv', data: csv },
        { name: 'uasc.csv', data: text('uasc') },
      ],
      LENIENT,
    );
    if (!out.ok) throw new Error(JSON.stringify(out.report.problems.slice(0, 3)));
    const broken = out.dataset.quality.problems.filter((p) => p.code === 'excel-error');
    expect(broken.map((p) => [p.file, p.row, p.column])).toEqual([
      ['episodes.csv', 14, 'CHILD'],
      ['episodes.csv', 20, 'DEC'],
      ['episodes.csv', 25, 'HOME_POST'],
    ]);
    expect(broken[0]?.message).toBe(
      `${String.fromCharCode(65 + col('CHILD'))}14 holds the Excel error #N/A in the CHILD column: the file was saved from a workbook whose formula broke. Correct it there, save the CSV again and upload it`,
    );

    // in a workbook, "#N/A" typed or pasted as text is named the same way as an error cell
    const data = await workbook((s) => {
      (s.Episodes as import('exceljs').Worksheet).getCell('B14').value = '#N/A';
    });
    const book = await ingestUpload([{ name: 'returns.xlsx', data }], LENIENT);
    if (!book.ok) throw new Error(JSON.stringify(book.report.problems.slice(0, 3)));
    expect(
      book.dataset.quality.problems.filter((p) => p.code === 'excel-error').map((p) => p.message.split(' in the ')[0]),
    ).toEqual(['Episodes!B14 holds the Excel error #N/A']);
  });
});

describe('a zip named .xlsx (no workbook inside it)', () => {
  // Before: exceljs "loaded" it into a workbook without properties and reading them threw a TypeError: a 500 from
  // POST /datasets, and `npm run estimate` exited 1 with "Cannot read properties of undefined", naming no file.
  const zipped = zipSync({
    'header.csv': strToU8('CHILD,SEX,DOB\n918273,1,03/07/2009\n'),
    'episodes.csv': strToU8(text('episodes')),
  });
  for (const options of [STRICT, LENIENT])
    it(`is refused naming the file, in ${options.mode ?? 'strict'} mode`, async () => {
      const out = await ingestUpload(
        [
          { name: 'returns-2018.xlsx', data: zipped },
          { name: 'header.csv', data: text('header') },
          { name: 'episodes.csv', data: text('episodes') },
        ],
        options,
      );
      expect(out.ok).toBe(false);
      if (out.ok) return;
      const bad = out.report.problems.filter((p) => p.code === 'bad-workbook');
      expect(bad).toEqual([
        {
          file: 'returns-2018.xlsx',
          row: null,
          column: null,
          code: 'bad-workbook',
          message:
            'a zip archive with no workbook in it, not an .xlsx workbook: if it holds the CSV files, name it .zip and upload again',
          action: 'none',
          severity: 'error',
        },
      ]);
      expect(JSON.stringify(out.report)).not.toMatch(/918273|03\/07\/2009|2009-07-03/);
    });
});
