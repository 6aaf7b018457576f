/**
 * Files as other councils keep them (docs/ingest.md, "Files from other councils, 7–8 December 2026"): each test is one
 * variation that once mis-read, built in code from one small known history, and checked against the history's own
 * counts (children in care at 31 March, starts and ceases of care) or the exact error.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { IngestOutcome } from '#models/ingest/pipeline';
import type { QualityProblem } from '#models/ingest/quality';
import { ingestUpload, type UploadFile } from '#models/ingest/upload';
import { tooLargeMessage } from '#functions/http/handler';
import { TABLE_COLUMNS } from '#models/ingest/ssda903/tables';

const HEADER_COLS = TABLE_COLUMNS.header;
const EPISODE_COLS = TABLE_COLUMNS.episodes;

/** One child's history: [DECOM, RNE, LS, PLACE, PROVIDER, DEC or null, REC or null] in ISO dates. */
type Ep = [string, string, string, string, string, string | null, string | null];
interface Kid {
  id: string;
  dob: string;
  eps: Ep[];
}

/**
 * A small council over three collection years (2023/24 to 2025/26): starts, moves and exits in every year, and
 * placement codes across the 2024/25 and 2025/26 changes (K3 new in 2024/25; H5, P2, Z1 retired after 2024/25).
 */
const KIDS: Kid[] = [
  // H5 in an episode that closed in 2024/25: valid in every return that holds it
  { id: '7001', dob: '2007-02-11', eps: [['2023-05-01', 'S', 'V2', 'H5', 'PR4', '2024-10-01', 'E8']] },
  { id: '7002', dob: '2012-08-30', eps: [['2022-01-10', 'S', 'C2', 'U4', 'PR1', null, null]] },
  {
    id: '7003',
    dob: '2010-03-03',
    eps: [
      ['2023-06-01', 'S', 'C1', 'K2', 'PR4', '2024-02-01', 'X1'],
      ['2024-02-01', 'P', 'C2', 'U6', 'PR4', '2025-01-15', 'E4A'],
    ],
  },
  { id: '7004', dob: '2015-12-24', eps: [['2023-09-09', 'S', 'C2', 'U6', 'PR4', null, null]] },
  { id: '7005', dob: '2008-07-01', eps: [['2024-07-01', 'S', 'V2', 'K3', 'PR4', '2025-11-20', 'E8']] },
  { id: '7006', dob: '2019-01-05', eps: [['2025-05-05', 'S', 'C1', 'U1', 'PR1', null, null]] },
  { id: '7007', dob: '2016-04-18', eps: [['2021-03-01', 'S', 'C2', 'P2', 'PR0', '2023-11-30', 'E41']] },
  { id: '7008', dob: '2011-10-10', eps: [['2024-11-11', 'S', 'C2', 'Z1', 'PR5', '2025-02-02', 'E13']] },
];
const YEARS = [2023, 2024, 2025];

/** The return of one collection year: the episodes open at some time in it, closed only if they closed in it. */
function returnOf(year: number): { header: Kid[]; eps: Array<{ id: string; ep: Ep }> } {
  const from = `${year}-04-01`;
  const to = `${year + 1}-03-31`;
  const header: Kid[] = [];
  const eps: Array<{ id: string; ep: Ep }> = [];
  for (const k of KIDS) {
    const open = k.eps.filter(([start, , , , , end]) => start <= to && (end === null || end >= from));
    if (open.length > 0) header.push(k);
    for (const ep of open) {
      const closed = ep[5] !== null && ep[5] <= to;
      eps.push({ id: k.id, ep: closed ? ep : [ep[0], ep[1], ep[2], ep[3], ep[4], null, null] });
    }
  }
  return { header, eps };
}

const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** Table rows (header line first) of the given years' returns, one after another. */
function rows(table: 'header' | 'episodes', years: readonly number[], date = dmy): string[][] {
  const out: string[][] = [[...(table === 'header' ? HEADER_COLS : EPISODE_COLS)]];
  for (const y of years) {
    const r = returnOf(y);
    if (table === 'header')
      for (const k of r.header) out.push([k.id, '1', date(k.dob), 'WBRI', `A${k.id}00012345`, '', '']);
    else
      for (const { id, ep } of r.eps) {
        const [start, rne, ls, place, provider, end, rec] = ep;
        out.push([
          id,
          date(start),
          rne,
          ls,
          'N1',
          place,
          provider,
          end ? date(end) : '',
          rec ?? '',
          '',
          'PE1 1AA',
          '',
          '',
        ]);
      }
  }
  return out;
}
const csv = (r: string[][]) => `${r.map((x) => x.join(',')).join('\n')}\n`;

/** What a correct ingest gives: children in care at each 31 March, starts and ceases of care in each year. */
function expected() {
  return YEARS.map((y) => {
    const from = `${y}-04-01`;
    const to = `${y + 1}-03-31`;
    let inCare = 0;
    let starts = 0;
    let ceases = 0;
    for (const k of KIDS) {
      if (k.eps.some(([s, , , , , e]) => s <= to && (e === null || e > to))) inCare++;
      for (const [s, rne, , , , e, rec] of k.eps) {
        if (rne === 'S' && s >= from && s <= to) starts++;
        if (e !== null && rec !== 'X1' && e >= from && e <= to) ceases++;
      }
    }
    return { year: y, inCare, starts, ceases };
  });
}
function measured(outcome: IngestOutcome) {
  if (!outcome.ok) throw new Error(`expected a dataset, got ${JSON.stringify(outcome.report.problems.slice(0, 5))}`);
  const children = outcome.dataset.children;
  return YEARS.map((y) => {
    const from = `${y}-04-01`;
    const to = `${y + 1}-03-31`;
    let inCare = 0;
    let starts = 0;
    let ceases = 0;
    for (const c of children) {
      if (c.episodes.some((e) => e.start <= to && (e.end === null || e.end > to))) inCare++;
      c.episodes.forEach((e, i) => {
        const prev = c.episodes[i - 1];
        const next = c.episodes[i + 1];
        if (!(prev && prev.end === e.start) && e.start >= from && e.start <= to) starts++;
        if (e.end !== null && e.end >= from && e.end <= to && !(next && next.start === e.end)) ceases++;
      });
    }
    return { year: y, inCare, starts, ceases };
  });
}

const ingest = (files: UploadFile[], mode: 'strict' | 'lenient' = 'strict') =>
  ingestUpload(files, { salt: 'councils', referenceYear: 2026, mode });
const problems = (o: IngestOutcome): QualityProblem[] => (o.ok ? o.dataset.quality.problems : o.report.problems);

/** A workbook of sheets, each of rows; `dd/mm/yyyy` cells become date cells, rows above the table first. */
async function workbook(sheets: Array<{ name: string; rows: string[][]; above?: string[][] }>): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    for (const r of [...(s.above ?? []), ...s.rows])
      ws.addRow(
        r.map((v) => {
          const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v);
          return m ? new Date(Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]))) : v;
        }),
      );
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('files from other councils', () => {
  it('the history itself: year folders give its counts', async () => {
    const files = YEARS.flatMap((y) => [
      { name: `${y}-${(y + 1) % 100}/header.csv`, data: csv(rows('header', [y])) },
      { name: `${y}-${(y + 1) % 100}/episodes.csv`, data: csv(rows('episodes', [y])) },
    ]);
    expect(measured(await ingest(files))).toEqual(expected());
  });

  it('years concatenated with nothing naming them: the open rows of an H5/P2/Z1 episode closed before 2025/26 are no error', async () => {
    // Each return repeats the episodes still open; an episode placed in H5 (retired after 2024/25) that closed in
    // 2024/25 has an open row from the 2023/24 return. It was checked against the data end's year (2025/26): an error
    // that refused the upload.
    const out = await ingest([
      { name: 'header.csv', data: csv(rows('header', YEARS)) },
      { name: 'episodes.csv', data: csv(rows('episodes', YEARS)) },
    ]);
    expect(problems(out).filter((p) => p.severity === 'error')).toEqual([]);
    expect(measured(out)).toEqual(expected());
  });

  it('years concatenated: an open H5 row still open at the data end is still an error naming its row', async () => {
    const eps = rows('episodes', YEARS);
    // the child's last return (2025/26) keeps the retired code: the row that says where the child is now is wrong
    const last = eps.findLastIndex((r) => r[0] === '7002');
    eps[last] = (eps[last] as string[]).map((v, i) => (i === 5 ? 'H5' : i === 6 ? 'PR4' : v));
    const out = await ingest([
      { name: 'header.csv', data: csv(rows('header', YEARS)) },
      { name: 'episodes.csv', data: csv(eps) },
    ]);
    expect(problems(out).filter((p) => p.severity === 'error')).toEqual([
      expect.objectContaining({
        file: 'episodes.csv',
        row: last + 1,
        column: 'PLACE',
        code: 'invalid-code-for-year',
        message: "code 'H5' is not valid in collection year 2025/26 (retired after 2024/25)",
      }),
    ]);
  });

  it('a workbook per year with Header, Episodes and Other sheets, titles above the tables: read, the other sheet ignored', async () => {
    // Once: the Other sheet (notes) was "not an SSDA903 table" (an error refusing the upload), and a table under a
    // title was "missing column CHILD".
    const files = await Promise.all(
      YEARS.map(async (y) => ({
        name: `return ${y}-${(y + 1) % 100}.xlsx`,
        data: await workbook([
          { name: 'Header', rows: rows('header', [y]), above: [['Northshire County Council'], ['SSDA903 Header'], []] },
          {
            name: 'Episodes',
            rows: rows('episodes', [y]),
            above: y === 2024 ? [['Episodes', '', 'exported 02/05/2025']] : [],
          },
          { name: 'Other', rows: [['Checked by'], ['Team manager']] },
        ]),
      })),
    );
    const out = await ingest(files);
    expect(measured(out)).toEqual(expected());
    const warnings = problems(out).filter((p) => p.code === 'ignored-sheet');
    expect(warnings.map((p) => p.file)).toEqual(YEARS.map((y) => `return ${y}-${(y + 1) % 100}.xlsx [Other]`));
    expect(out.ok && out.dataset.quality.notes).toContain(
      'return 2023-24.xlsx [Header]: the header line is row 4 (2 rows above it skipped)',
    );
  });

  it('a CSV with a title line above the header line: the header line found, rows numbered as in the file', async () => {
    const eps = rows('episodes', [2025]);
    eps[2] = [...(eps[2] as string[])];
    (eps[2] as string[])[5] = 'XX9';
    const out = await ingest([
      { name: '2025-26/header.csv', data: `Header table,,,\n,,,\n${csv(rows('header', [2025]))}` },
      { name: '2025-26/episodes.csv', data: `"SSDA903 Episodes, Hillshire"\n${csv(eps)}` },
    ]);
    expect(problems(out).filter((p) => p.severity === 'error')).toEqual([
      expect.objectContaining({ file: '2025-26/episodes.csv', row: 4, column: 'PLACE', code: 'unknown-code' }),
    ]);
  });

  it('a file with no header line at all is still refused at its first row, its values never quoted', async () => {
    const eps = rows('episodes', [2025]).slice(1);
    const out = await ingest([
      { name: '2025-26/header.csv', data: csv(rows('header', [2025])) },
      { name: '2025-26/episodes.csv', data: csv(eps) },
    ]);
    const errors = problems(out).filter((p) => p.severity === 'error');
    // once, not as every column missing (eight errors that each sounded like a renamed column)
    expect(errors.filter((p) => p.file === '2025-26/episodes.csv')).toEqual([
      expect.objectContaining({
        row: 1,
        column: null,
        code: 'missing-column',
        message:
          "no header line: the first row holds none of the Episodes table's column names (CHILD, DECOM, RNE, LS, PLACE, PLACE_PROVIDER, DEC, REC). Add the header line (export with column names) and upload again",
      }),
    ]);
    expect(JSON.stringify(errors)).not.toMatch(/700\d|PE1/);
  });

  it('a column we read twice in the header line is an error naming both positions (the last one was read silently)', async () => {
    // a council's own "Child" column (names) after the 903 CHILD: every row read as "missing CHILD"
    const eps = rows('episodes', [2025]).map((r, i) => [...r, i === 0 ? 'Child' : 'a name']);
    const out = await ingest([
      { name: '2025-26/header.csv', data: csv(rows('header', [2025])) },
      { name: '2025-26/episodes.csv', data: csv(eps) },
    ]);
    expect(out.ok).toBe(false);
    expect(problems(out).filter((p) => p.severity === 'error')).toEqual([
      {
        file: '2025-26/episodes.csv',
        row: 1,
        column: 'CHILD',
        code: 'duplicate-column',
        message:
          'column CHILD is in the header line 2 times (columns 1 and 14): keep one, rename or delete the others, and upload again',
        action: 'none',
        severity: 'error',
      },
    ]);
    // a column we do not read may be there twice (two "Notes" columns)
    const notes = rows('episodes', [2025]).map((r, i) => [...r, i === 0 ? 'Notes' : '', i === 0 ? 'NOTES' : '']);
    const fine = await ingest([
      { name: '2025-26/header.csv', data: csv(rows('header', [2025])) },
      { name: '2025-26/episodes.csv', data: csv(notes) },
    ]);
    expect(fine.ok).toBe(true);
  });

  it('zero-width spaces pasted into codes and column names are read as nothing (the error could not show them)', async () => {
    const eps = rows('episodes', [2025]).map((r, i) =>
      r.map((v, j) => (i === 0 && j === 1 ? `\u200B${v}` : i > 0 && j === 2 ? `${v}\u200B` : v)),
    );
    const out = await ingest([
      { name: '2025-26/header.csv', data: csv(rows('header', [2025])) },
      { name: '2025-26/episodes.csv', data: csv(eps) },
    ]);
    expect(problems(out).filter((p) => p.severity === 'error')).toEqual([]);
    expect(measured(out)[2]).toEqual(expected()[2]);
  });

  it('an Excel date number with a time of day (45536.5) is the day', async () => {
    const out = await ingest([
      { name: '2025-26/header.csv', data: csv(rows('header', [2025])) },
      {
        name: '2025-26/episodes.csv',
        data: csv(rows('episodes', [2025], (d) => String(Date.parse(d) / 86_400_000 + 25569 + 0.5))),
      },
    ]);
    expect(problems(out).filter((p) => p.severity === 'error')).toEqual([]);
    expect(measured(out)[2]).toEqual(expected()[2]);
  });

  it('an Episodes table with only its header line: the refusal says so, not just "no child has a valid episode"', async () => {
    const out = await ingest([
      { name: '2025-26/header.csv', data: csv(rows('header', [2025])) },
      { name: '2025-26/episodes.csv', data: `${EPISODE_COLS.join(',')}\r\n` },
    ]);
    expect(problems(out).map((p) => [p.file, p.code, p.severity])).toEqual([
      ['2025-26/episodes.csv', 'no-rows', 'warning'],
      ['(all files)', 'no-children', 'error'],
    ]);
    expect(problems(out)[1]?.message).toMatch(/^no episode rows: the Episodes table holds only its header line/);
  });

  it('lenient mode does not store the other files when a workbook, a zip or an .xls cannot be opened (a year went missing)', async () => {
    const good = YEARS.slice(1).flatMap((y) => [
      { name: `${y}-${(y + 1) % 100}/header.csv`, data: csv(rows('header', [y])) },
      { name: `${y}-${(y + 1) % 100}/episodes.csv`, data: csv(rows('episodes', [y])) },
    ]);
    for (const [bad, code] of [
      [{ name: '2023-24/return.xlsx', data: 'UEsDBAoAAAAAAAAAIQAAAAAA' }, 'bad-workbook'],
      [{ name: '2023-24/return.zip', data: 'bm90IGEgemlw' }, 'bad-archive'],
      [{ name: '2023-24/return.xls', data: 'aGVsbG8=' }, 'unsupported-format'],
    ] as const) {
      const out = await ingest([...good, bad], 'lenient');
      expect(out.ok).toBe(false);
      expect(
        problems(out)
          .filter((p) => p.severity === 'error')
          .map((p) => [p.file, p.code]),
      ).toEqual([[bad.name, code]]);
    }
  });

  it('a CSV sent as text is read row by row as parsed, not held whole first (a 34 MB upload took near a GB)', async () => {
    // Seen from outside: rows before a break in the file reach the reader (and its errors name them) before the break
    // refuses the file; parsed whole, the break was found before any row was read.
    const eps = rows('episodes', [2025]);
    (eps[1] as string[])[5] = 'XX9';
    const out = await ingest([
      { name: '2025-26/header.csv', data: csv(rows('header', [2025])) },
      { name: '2025-26/episodes.csv', data: `${csv(eps)}7009,"01/01/2026,S\n` },
    ]);
    expect(problems(out).map((p) => [p.row, p.code])).toEqual([
      [2, 'unknown-code'],
      [eps.length + 1, 'malformed-csv'],
    ]);
  });

  it('a body past the limit is a 413 saying how big it was, the limit and what to do, in MB', () => {
    expect(tooLargeMessage(52_055_107, 6 * 1024 * 1024)).toBe(
      'the body is 49.6 MB, more than the 6 MB one request may carry: send less at once (SSDA903 files can be sent as one .zip, read as the files in it are, or fewer years at a time)',
    );
  });

  it('CHILD ids that lost their leading zeros in one year (saved through Excel) are the same children', async () => {
    // 2024/25's return went through Excel: 7001 there, 007001 in the other years. Read as two children each, the
    // stock doubled in the earlier years and every child "left" at the end of 2023/24 (warnings only: it was stored).
    const pad = (r: string[][]) => r.map((x, i) => (i === 0 ? x : [`00${x[0]}`, ...x.slice(1)]));
    const files = YEARS.flatMap((y) => [
      {
        name: `${y}-${(y + 1) % 100}/header.csv`,
        data: csv(y === 2024 ? rows('header', [y]) : pad(rows('header', [y]))),
      },
      {
        name: `${y}-${(y + 1) % 100}/episodes.csv`,
        data: csv(y === 2024 ? rows('episodes', [y]) : pad(rows('episodes', [y]))),
      },
    ]);
    const out = await ingest(files);
    expect(measured(out)).toEqual(expected());
    expect(problems(out).filter((p) => p.code === 'open-not-returned-later')).toEqual([]);
    expect(out.ok && out.dataset.quality.notes.some((n) => /CHILD read without its leading zeros/.test(n))).toBe(true);
    // a year written by a tool that read CHILD as numbers: 7001.0
    const decimal = (r: string[][]) => r.map((x, i) => (i === 0 ? x : [`${x[0]}.0`, ...x.slice(1)]));
    const floats = YEARS.flatMap((y) => [
      {
        name: `${y}-${(y + 1) % 100}/header.csv`,
        data: csv(y === 2025 ? decimal(rows('header', [y])) : rows('header', [y])),
      },
      {
        name: `${y}-${(y + 1) % 100}/episodes.csv`,
        data: csv(y === 2025 ? decimal(rows('episodes', [y])) : rows('episodes', [y])),
      },
    ]);
    expect(measured(await ingest(floats))).toEqual(expected());
  });

  it('a CHILD id Excel shortened to 1.23457E+05 is an error naming the row, never the value (children would merge)', async () => {
    const sci = (r: string[][]) =>
      r.map((x, i) => (i === 0 ? x : [`${x[0]?.slice(0, 1)}.${x[0]?.slice(1)}E+03`, ...x.slice(1)]));
    const out = await ingest([
      { name: '2025-26/header.csv', data: csv(sci(rows('header', [2025]))) },
      { name: '2025-26/episodes.csv', data: csv(sci(rows('episodes', [2025]))) },
    ]);
    const errors = problems(out).filter((p) => p.severity === 'error');
    expect(errors[0]).toMatchObject({ file: '2025-26/episodes.csv', row: 2, column: 'CHILD', code: 'bad-child-id' });
    expect(errors.every((p) => p.code === 'bad-child-id' || p.code === 'no-children')).toBe(true);
    expect(JSON.stringify(errors)).not.toMatch(/7\.00\dE/);
  });

  it('an Episodes table with no year among tables named by year is refused naming it (its dates were dropped as after the data end)', async () => {
    const files = YEARS.flatMap((y) => {
      const folder = y === 2025 ? 'current' : `${y}-${(y + 1) % 100}`;
      return [
        { name: `${folder}/header.csv`, data: csv(rows('header', [y])) },
        { name: `${folder}/episodes.csv`, data: csv(rows('episodes', [y])) },
      ];
    });
    for (const mode of ['strict', 'lenient'] as const) {
      const out = await ingest(files, mode);
      expect(out.ok).toBe(false);
      expect(problems(out).filter((p) => p.severity === 'error')).toEqual([
        expect.objectContaining({ file: 'current/episodes.csv', row: null, code: 'unnamed-year' }),
      ]);
    }
    // one Header table for every year beside yearly Episodes tables is fine
    const once = await ingest([
      { name: 'header.csv', data: csv(rows('header', YEARS)) },
      ...YEARS.map((y) => ({ name: `${y}-${(y + 1) % 100}/episodes.csv`, data: csv(rows('episodes', [y])) })),
    ]);
    expect(measured(once)).toEqual(expected());
  });

  it('years joined one under another with their header lines (cat *.csv): the repeated header lines are skipped', async () => {
    // once: each repeated header line was a row of "not a date" errors, and the upload refused
    const joined = (t: 'header' | 'episodes') => YEARS.map((y) => csv(rows(t, [y]))).join('');
    const out = await ingest([
      { name: 'header.csv', data: joined('header') },
      { name: 'episodes.csv', data: joined('episodes') },
    ]);
    expect(problems(out).filter((p) => p.severity === 'error')).toEqual([]);
    expect(measured(out)).toEqual(expected());
    expect(out.ok && out.dataset.quality.notes).toContain(
      'episodes.csv: the header line repeated 2 times further down (files joined one under another): skipped',
    );
  });

  it('an Excel error cell (#N/A) in DEC is an error naming it, not an open episode', async () => {
    const wb = new ExcelJS.Workbook();
    const eps = rows('episodes', [2025]);
    const at = eps.findIndex((r) => r[7] !== '' && r[7] !== 'DEC');
    const sheet = wb.addWorksheet('Episodes');
    eps.forEach((r, i) => sheet.addRow(r.map((v, j) => (i === at && j === 7 ? { error: '#N/A' } : v))));
    const header = wb.addWorksheet('Header');
    for (const r of rows('header', [2025])) header.addRow(r);
    const out = await ingest([{ name: '2025-26.xlsx', data: new Uint8Array(await wb.xlsx.writeBuffer()) }]);
    expect(problems(out).filter((p) => p.severity === 'error')).toEqual([
      expect.objectContaining({
        file: '2025-26.xlsx [Episodes]',
        row: at + 1,
        column: 'DEC',
        code: 'excel-error',
        message: `Episodes!H${at + 1} holds the Excel error #N/A in the DEC column: a formula in the workbook broke. Correct it (or paste the values in) and upload again`,
      }),
    ]);
  });

  it("this year's return so far, uploaded before its 31 March: the data ends at the last month end it covers", async () => {
    // Uploaded on 15 January 2026 with a 2025-26/ folder: read to 31 March 2026, the open episodes were "in care" at a
    // date to come and the rates' window held months with no data yet.
    const files = YEARS.flatMap((y) => [
      { name: `${y}-${(y + 1) % 100}/header.csv`, data: csv(rows('header', [y])) },
      { name: `${y}-${(y + 1) % 100}/episodes.csv`, data: csv(rows('episodes', [y])) },
    ]);
    const out = await ingestUpload(files, { salt: 'councils', referenceYear: 2026, today: '2026-01-15' });
    if (!out.ok) throw new Error(JSON.stringify(out.report.problems));
    // the latest date in the data is 20 November 2025 (an exit): the last month end it covers is 31 October
    expect(out.dataset.period.end).toBe('2025-10-31');
    const d = '2025-10-31';
    const inCare = KIDS.filter((k) => k.eps.some(([s, , , , , e]) => s <= d && (e === null || e > d))).length;
    expect(out.dataset.stock.total).toBe(inCare);
    expect(problems(out).filter((p) => p.code === 'part-of-a-year')).toEqual([
      expect.objectContaining({
        file: '(all files)',
        severity: 'warning',
        message:
          'the data reaches into 2025-11, before the end of its last collection year (2026-03-31), which is still to come: the data end is 2025-10-31, the last month end the data covers',
      }),
    ]);
    // uploaded after that 31 March, the same files end there
    const later = await ingestUpload(files, { salt: 'councils', referenceYear: 2026, today: '2026-04-02' });
    expect(later.ok && later.dataset.period.end).toBe('2026-03-31');
  });

  it('a REC without its DEC, or a DEC without its REC, is read as the DEC says and warned of (a DEC left out keeps a child in care)', async () => {
    const eps = rows('episodes', [2025]);
    const closed = eps.findIndex((r, i) => i > 0 && r[7] !== '');
    const open = eps.findIndex((r, i) => i > 0 && r[7] === '');
    eps[closed] = (eps[closed] as string[]).map((v, j) => (j === 8 ? '' : v));
    eps[open] = (eps[open] as string[]).map((v, j) => (j === 8 ? 'E4A' : v));
    const out = await ingest([
      { name: '2025-26/header.csv', data: csv(rows('header', [2025])) },
      { name: '2025-26/episodes.csv', data: csv(eps) },
    ]);
    expect(out.ok).toBe(true);
    expect(
      problems(out)
        .filter((p) => p.code === 'rec-without-dec' || p.code === 'dec-without-rec')
        .map((p) => [p.row, p.column, p.code, p.severity]),
    ).toEqual(
      [
        [closed + 1, 'REC', 'dec-without-rec', 'warning'],
        [open + 1, 'DEC', 'rec-without-dec', 'warning'],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
  });

  it("a Header table with the UASC table's DUC as a column is a Header, its DUC read as UASC (it was 'no Header table')", async () => {
    const header = rows('header', [2025]).map((r, i) => [...r, i === 0 ? 'DUC' : r[0] === '7002' ? '30/08/2030' : '']);
    const out = await ingest([
      { name: '2025-26/header.csv', data: csv(header) },
      { name: '2025-26/episodes.csv', data: csv(rows('episodes', [2025])) },
    ]);
    expect(problems(out).filter((p) => p.severity === 'error')).toEqual([]);
    expect(measured(out)[2]).toEqual(expected()[2]);
    expect(out.ok && out.dataset.stock.uasc).toBe(1);
    expect(out.ok && out.dataset.quality.notes).not.toContain('no UASC table: no child is treated as UASC');
  });

  it('dates written month first (a computer set to US English): the error on a month over 12 says so', async () => {
    const us = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
    const out = await ingest([
      { name: '2025-26/header.csv', data: csv(rows('header', [2025], us)) },
      { name: '2025-26/episodes.csv', data: csv(rows('episodes', [2025], us)) },
    ]);
    expect(out.ok).toBe(false);
    const monthOver12 = problems(out).filter((p) => /month over 12/.test(p.message));
    expect(monthOver12.length).toBeGreaterThan(0);
    expect(monthOver12[0]?.message).toMatch(/Is the file written month first \(mm\/dd\/yyyy/);
    // a day over 12 in a day-first file is no such hint: 31/02 is simply no date
    const feb = await ingest([
      { name: '2025-26/header.csv', data: csv(rows('header', [2025])) },
      {
        name: '2025-26/episodes.csv',
        data: csv(
          rows('episodes', [2025]).map((r, i) => (i === 1 ? r.map((v, j) => (j === 1 ? '31/02/2025' : v)) : r)),
        ),
      },
    ]);
    expect(problems(feb).find((p) => p.code === 'bad-date')?.message).toBe(
      'not a real date (no such day in that month, or no such month)',
    );
  });

  it('DEC written as the last night (the next episode the day after, REC X1): continuous care, the child in the 31 March stock', async () => {
    // 7002 moves on 1 April 2024; the case system wrote DEC 31/03/2024 and the next DECOM 01/04/2024
    const shift = (t: 'header' | 'episodes', y: number) => {
      const r = rows(t, [y]);
      if (t === 'header') return r;
      const out = r.filter((x) => x[0] !== '7002');
      if (y === 2023)
        out.push(['7002', '10/01/2022', 'S', 'C2', 'N1', 'U4', 'PR1', '31/03/2024', 'X1', '', '', '', '']);
      if (y >= 2024) out.push(['7002', '01/04/2024', 'P', 'C2', 'N1', 'U4', 'PR1', '', '', '', '', '', '']);
      return out;
    };
    const files = YEARS.flatMap((y) => [
      { name: `${y}-${(y + 1) % 100}/header.csv`, data: csv(shift('header', y)) },
      { name: `${y}-${(y + 1) % 100}/episodes.csv`, data: csv(shift('episodes', y)) },
    ]);
    const out = await ingest(files);
    expect(measured(out)).toEqual(expected());
    expect(problems(out).filter((p) => p.code === 'gap-after-x1')).toEqual([
      expect.objectContaining({
        file: '2023-24/episodes.csv',
        column: 'DEC',
        action: 'repaired: end set to next start',
      }),
    ]);
  });

  it('a YEAR column written with both years whole (2024/2025) is read as that collection year', async () => {
    const stack = (t: 'header' | 'episodes') =>
      YEARS.flatMap((y, i) =>
        rows(t, [y])
          .slice(i === 0 ? 0 : 1)
          .map((r, j) => [i === 0 && j === 0 ? 'YEAR' : `${y}/${y + 1}`, ...r]),
      );
    const out = await ingest([
      { name: 'header.csv', data: csv(stack('header')) },
      { name: 'episodes.csv', data: csv(stack('episodes')) },
    ]);
    expect(problems(out).filter((p) => p.severity === 'error')).toEqual([]);
    expect(measured(out)).toEqual(expected());
    expect(out.ok && out.dataset.period.source).toBe('a YEAR column: 2023/24, 2024/25, 2025/26');
  });
  it('a workbook saved in the 1904 date system (Mac Excel): date numbers that are not date cells are read in that system', async () => {
    // Once: read as 1900-system day numbers, every such date four years (1,462 days) early.
    const serial1904 = (d: string) => {
      const [dd, mm, yyyy] = d.split('/').map(Number) as [number, number, number];
      return String(Date.UTC(yyyy, mm - 1, dd) / 86_400_000 + 25569 - 1462);
    };
    const wb = new ExcelJS.Workbook();
    wb.properties.date1904 = true;
    // the Episodes sheet's dates as plain numbers (a column formatted as General); the Header's as date cells
    const eps = wb.addWorksheet('Episodes');
    for (const [i, r] of rows('episodes', [2025]).entries())
      eps.addRow(r.map((v, j) => (i > 0 && (j === 1 || j === 7) && v !== '' ? Number(serial1904(v)) : v)));
    const header = wb.addWorksheet('Header');
    for (const [i, r] of rows('header', [2025]).entries())
      header.addRow(
        r.map((v, j) => (i > 0 && j === 2 ? new Date(`${v.slice(6)}-${v.slice(3, 5)}-${v.slice(0, 2)}`) : v)),
      );
    const out = await ingest([{ name: '2025-26.xlsx', data: new Uint8Array(await wb.xlsx.writeBuffer()) }]);
    expect(problems(out).filter((p) => p.severity === 'error')).toEqual([]);
    expect(measured(out)[2]).toEqual(expected()[2]);
    const notes = out.ok ? out.dataset.quality.notes : [];
    expect(notes).toContain(
      "2025-26.xlsx: the workbook uses Excel's 1904 date system (saved so in Mac Excel): its date numbers read in that system",
    );
    expect(notes.find((n) => n.startsWith('dates:'))).toMatch(/Excel date numbers read in the 1904 date system/);
    // the same numbers in a CSV (no date system of its own) are still read in the 1900 system
    expect((await import('#models/ingest/ssda903/dates')).readDate('44074', 2026)).toEqual({
      date: '2020-08-31',
      format: 'excel serial',
    });
  });

  it('the "sheets read as tables" note counts only the sheets read, not the ignored ones (Other, Contents)', async () => {
    const data = await workbook([
      { name: 'Contents', rows: [['Header'], ['Episodes']] },
      { name: 'Header', rows: rows('header', [2025]) },
      { name: 'Episodes', rows: rows('episodes', [2025]) },
      { name: 'Other', rows: [['Checked by'], ['Team manager']] },
    ]);
    const out = await ingest([{ name: '2025-26.xlsx', data }]);
    const notes = out.ok ? out.dataset.quality.notes : [];
    expect(notes).toContain('2025-26.xlsx: 2 sheets read as tables');
    expect(notes).toContain('ignored sheet 2025-26.xlsx [Contents]');
    expect(notes).toContain('ignored sheet 2025-26.xlsx [Other]');
  });
  it('a totals row at the foot of a hand-made table (Total, TOTAL, Grand total: no CHILD, no dates) is skipped with a note', async () => {
    // Once: "missing CHILD" or "missing DECOM" on its row, an error refusing the upload.
    const eps = [...rows('episodes', [2025]), ['TOTAL', '12', '', '', '', '', '', '', '5', '', '', '', '']];
    const out = await ingest([
      { name: '2025-26/header.csv', data: csv(rows('header', [2025])) },
      { name: '2025-26/episodes.csv', data: csv(eps) },
    ]);
    expect(problems(out).filter((p) => p.severity === 'error')).toEqual([]);
    expect(measured(out)[2]).toEqual(expected()[2]);
    expect(out.ok && out.dataset.quality.notes).toContain(
      `2025-26/episodes.csv: row ${eps.length} skipped, a totals row (a total's label first, and no CHILD, date or code)`,
    );
    // on a workbook's sheet, the label in the first column and a count under another, a blank row above
    const header = [...rows('header', [2025]), [], ['Grand total', '', '', '', '', '', '8']];
    const book = await ingest([
      {
        name: '2025-26.xlsx',
        data: await workbook([
          { name: 'Header', rows: header },
          {
            name: 'Episodes',
            rows: [...rows('episodes', [2025]), ['Total', '', '', '', '', '', '', '', '', '', '', '', '']],
          },
        ]),
      },
    ]);
    expect(problems(book).filter((p) => p.severity === 'error')).toEqual([]);
    expect(measured(book)[2]).toEqual(expected()[2]);
    const notes = book.ok ? book.dataset.quality.notes : [];
    expect(notes.filter((n) => / a totals row /.test(n))).toEqual([
      `2025-26.xlsx [Header]: row ${header.length} skipped, a totals row (a total's label first, and no CHILD, date or code)`,
      `2025-26.xlsx [Episodes]: row ${rows('episodes', [2025]).length + 1} skipped, a totals row (a total's label first, and no CHILD, date or code)`,
    ]);
  });

  it('a child whose CHILD is the word Total is read as a child, not skipped as a totals row', async () => {
    const eps = [
      ...rows('episodes', [2025]),
      ['Total', '01/05/2025', 'S', 'C2', 'N1', 'U1', 'PR1', '', '', '', '', '', ''],
    ];
    const header = [...rows('header', [2025]), ['Total', '1', '01/01/2015', 'WBRI', '', '', '']];
    const out = await ingest([
      { name: '2025-26/header.csv', data: csv(header) },
      { name: '2025-26/episodes.csv', data: csv(eps) },
    ]);
    expect(problems(out).filter((p) => p.severity === 'error')).toEqual([]);
    expect(out.ok && out.dataset.children.length).toBe(
      KIDS.filter((k) => returnOf(2025).header.includes(k)).length + 1,
    );
    // a row with the word and a code but no DECOM is still an error on its row (a child whose DECOM was left out)
    const noDecom = [...rows('episodes', [2025]), ['Total', '', 'S', 'C2', 'N1', 'U1', 'PR1', '', '', '', '', '', '']];
    const bad = await ingest([
      { name: '2025-26/header.csv', data: csv(header) },
      { name: '2025-26/episodes.csv', data: csv(noDecom) },
    ]);
    expect(problems(bad).filter((p) => p.severity === 'error')).toEqual([
      expect.objectContaining({ row: noDecom.length, column: 'DECOM', code: 'missing-value' }),
    ]);
    // and a Header row for a child "Total" with its codes but no DOB is still "no DOB" on its row
    const noDob = [...rows('header', [2025]), ['Total', '1', '', 'WBRI', '', '', '']];
    const noDobOut = await ingest([
      { name: '2025-26/header.csv', data: csv(noDob) },
      { name: '2025-26/episodes.csv', data: csv(rows('episodes', [2025])) },
    ]);
    expect(problems(noDobOut).filter((p) => p.severity === 'error')).toEqual([
      expect.objectContaining({ row: noDob.length, column: 'DOB', code: 'missing-value' }),
    ]);
  });
  it('a DOB later in the same month as the episode start is an error on the episode row that never shows the date', async () => {
    // Once: only the birth month is kept, so a DECOM of 5 May 2025 for a child born on 20 May 2025 passed.
    const header = rows('header', [2025]).map((r) =>
      r[0] === '7006' ? r.map((v, j) => (j === 2 ? '20/05/2025' : v)) : r,
    );
    const eps = rows('episodes', [2025]);
    const at = eps.findIndex((r) => r[0] === '7006');
    const out = await ingest([
      { name: '2025-26/header.csv', data: csv(header) },
      { name: '2025-26/episodes.csv', data: csv(eps) },
    ]);
    const errors = problems(out).filter((p) => p.severity === 'error');
    expect(errors).toEqual([
      {
        file: '2025-26/episodes.csv',
        row: at + 1,
        column: 'DECOM',
        code: 'before-birth',
        message: "DECOM is before the child's date of birth (earlier in the month of birth)",
        action: 'dropped',
        severity: 'error',
      },
    ]);
    expect(JSON.stringify(problems(out))).not.toMatch(/20\/05|2025-05-20|7006/);
    // born on the day the episode starts (a baby taken into care at birth) is no error
    const sameDay = header.map((r) => (r[0] === '7006' ? r.map((v, j) => (j === 2 ? '05/05/2025' : v)) : r));
    const fine = await ingest([
      { name: '2025-26/header.csv', data: csv(sameDay) },
      { name: '2025-26/episodes.csv', data: csv(eps) },
    ]);
    expect(problems(fine).filter((p) => p.severity === 'error')).toEqual([]);
  });
  it('a CSV in a zip that holds none of the 903 columns (a contacts list) is an error naming the file and both ways out', async () => {
    // Still an error (a 903 table whose header line was left out must not be skipped silently), but it once said only
    // "not an SSDA903 table we recognise: 3 columns, 0 of them 903 column names. Is the first line the header line?"
    const { strToU8, zipSync } = await import('fflate');
    const zip = zipSync({
      '2025-26/header.csv': strToU8(csv(rows('header', [2025]))),
      '2025-26/episodes.csv': strToU8(csv(rows('episodes', [2025]))),
      '2025-26/contacts.csv': strToU8('Name,Phone,Email\nJo Bloggs,01632 960001,jo@example.org\n'),
    });
    const out = await ingest([{ name: 'returns.zip', data: zip }]);
    expect(problems(out).filter((p) => p.severity === 'error')).toEqual([
      {
        file: 'returns.zip/2025-26/contacts.csv',
        row: 1,
        column: null,
        code: 'unknown-table',
        message:
          'the file 2025-26/contacts.csv in returns.zip holds none of the 903 column names (its first row has 3 columns, none of them a 903 column name). If it is no part of the return (a contacts list, notes), remove it from the zip and upload again; if it is a 903 table whose header line is missing, add the header line (export with column names) and upload again',
        action: 'none',
        severity: 'error',
      },
    ]);
    expect(JSON.stringify(problems(out))).not.toMatch(/Bloggs|01632|example/);
  });
});
