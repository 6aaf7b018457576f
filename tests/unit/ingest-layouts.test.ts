/**
 * The one known history (the demo generator, no mess, no drift) written in every layout councils keep and with
 * every fault real files have. Each must give the clean history's stock at the data end and its rates, or the exact
 * refusal. The layouts come from bin/demo/layouts.ts; the faults are made here, next to what they must give.
 */
import { mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '#models/dataset';
import type { IngestOptions, IngestOutcome } from '#models/ingest/pipeline';
import { ingestUpload, type UploadFile } from '#models/ingest/upload';
import { Rng } from '#models/random';
import {
  concatenated,
  csv,
  excelSerial,
  label,
  splitYears,
  workbooks,
  writeLayout,
  yearFiles,
  zipOf,
  type YearReturn,
} from '../../bin/demo/layouts.js';
import { generateDemo } from '../../bin/demo/synthetic.js';

const demo = generateDemo(new Rng(31), { firstYear: 2014, lastYear: 2017, mess: false, drift: false });
const stacked = { header: demo.header, episodes: demo.episodes, uasc: demo.uasc };
const YEARS = splitYears(stacked);
const LAST = YEARS[YEARS.length - 1] as YearReturn;
const opts: IngestOptions = { salt: 's', referenceYear: 2026 };
// episode columns (after YEAR is removed)
const [DECOM, DEC, REC] = [1, 7, 8];

const folders = (style: Parameters<typeof label>[1]) => (y: YearReturn, t: string) =>
  `${label(y.endYear, style)}/${t}.csv`;
const copyYears = (): YearReturn[] => structuredClone(YEARS);

function ok(out: IngestOutcome): Dataset {
  if (!out.ok) throw new Error(`refused: ${JSON.stringify(out.report.problems.slice(0, 5))}`);
  return out.dataset;
}

const clean = ok(
  await ingestUpload(
    Object.entries(stacked).map(([t, text]) => ({ name: `${t}.csv`, data: text })),
    opts,
  ),
);
const cleanSingle = ok(await ingestUpload(yearFiles([LAST], folders('dash')), opts));

/** The stock at the data end and every rate equal the clean history's. */
function same(d: Dataset, base: Dataset = clean): void {
  expect(d.period.end).toBe(base.period.end);
  expect(d.stock).toEqual(base.stock);
  expect(d.estimate.parameters).toEqual(base.estimate.parameters);
}

describe('layouts: the same history however the returns are filed', () => {
  it('the clean history is a real one (a stock, entries and exits in the window)', () => {
    expect(clean.period).toMatchObject({ start: '2014-04-01', end: '2018-03-31' });
    expect(clean.stock.total).toBeGreaterThan(200);
    expect(clean.estimate.tables.totals.entries).toBeGreaterThan(100);
    expect(clean.quality.errors).toBe(0);
  });

  for (const style of ['dash', 'underscore', 'compact', 'end'] as const)
    it(`year folders named like ${label(2018, style)}`, async () => {
      const d = ok(await ingestUpload(yearFiles(YEARS, folders(style)), opts));
      same(d);
      expect(d.period.source).toBe(
        `year folders: ${YEARS.map((y) => `${y.endYear - 1}/${String(y.endYear % 100).padStart(2, '0')}`).join(', ')}`,
      );
      expect(d.quality.notes).toContain('data period 2014-04-01 to 2018-03-31, from ' + d.period.source);
    });

  it('year-named files (episodes_2017-18.csv)', async () => {
    same(
      ok(
        await ingestUpload(
          yearFiles(YEARS, (y, t) => `${t}_${label(y.endYear, 'dash')}.csv`),
          opts,
        ),
      ),
    );
  });

  it('a zip of year folders, as the API takes it (base64)', async () => {
    const d = ok(await ingestUpload([{ name: 'returns.zip', data: zipOf(yearFiles(YEARS, folders('dash'))) }], opts));
    same(d);
    expect(d.quality.notes).toContain('returns.zip: 12 files unpacked');
  });

  it('.xlsx workbooks, one per year, one sheet per table, dates as Excel dates', async () => {
    const d = ok(await ingestUpload(await workbooks(YEARS), opts));
    same(d);
    expect(d.quality.notes).toContain('903_2017-18.xlsx: 3 sheets read as tables');
  });

  it('the same year filed twice (a resubmission beside the first): de-duplicated', async () => {
    const twice = [
      ...yearFiles(YEARS, folders('dash')),
      ...yearFiles([LAST], (y, t) => `${label(y.endYear, 'dash')} resubmitted/${t}.csv`),
    ];
    const d = ok(await ingestUpload(twice, opts));
    same(d);
    expect(d.quality.warnings).toBe(0);
  });

  it('six years concatenated without a YEAR column, newest first: the stock is not doubled', async () => {
    const d = ok(await ingestUpload(concatenated(YEARS, true), opts));
    expect(d.stock).toEqual(clean.stock);
    expect(d.estimate.parameters).toEqual(clean.estimate.parameters);
    expect(d.period.end).toBe('2018-03-31');
    expect(d.period.source).toMatch(/^the bulk of the dates/);
  });

  it('a single return with no year named: the period from the bulk of the dates, said in a note', async () => {
    const d = ok(
      await ingestUpload(
        yearFiles([LAST], (_y, t) => `${t}.csv`),
        opts,
      ),
    );
    same(d, cleanSingle);
    expect(d.period).toMatchObject({ start: '2017-04-01', end: '2018-03-31' });
    expect(d.quality.notes.some((n) => n.startsWith('no YEAR column, year-named file or year folder'))).toBe(true);
  });

  it('a single return where a few episodes end on 1 April: not shifted a year, those children in the stock', async () => {
    const [y] = structuredClone([LAST]) as [YearReturn];
    const open = y.rows.episodes.filter((r) => r[DEC] === '').slice(0, 3);
    for (const r of open) {
      r[DEC] = '01/04/2018';
      r[REC] = 'E4A';
    }
    const d = ok(
      await ingestUpload(
        yearFiles([y], (_y, t) => `${t}.csv`),
        opts,
      ),
    );
    same(d, cleanSingle);
    expect(d.quality.counts['after-data-end']).toBe(3);
    expect(d.quality.notes).toContain(
      '3 episode end dates fall after 2018-03-31, too few to be a later return: treated as errors in the data',
    );
  });
});

describe('formats', () => {
  const variants: Array<[string, Parameters<typeof yearFiles>[2]]> = [
    ['semicolon-separated', { separator: ';' }],
    ['tab-separated', { separator: '\t' }],
    ['a byte-order mark and Windows line endings', { bom: true, crlf: true }],
    ['two-digit years (dd/mm/yy)', { date: (d) => `${d.slice(0, 6)}${d.slice(8)}` }],
    ['ISO dates', { date: (d) => `${d.slice(6)}-${d.slice(3, 5)}-${d.slice(0, 2)}` }],
    ['Excel day numbers in the date columns', { date: excelSerial }],
  ];
  for (const [name, o] of variants)
    it(name, async () => {
      const d = ok(await ingestUpload(yearFiles(YEARS, folders('dash'), o), opts));
      same(d);
      if (name.startsWith('two-digit'))
        expect(d.quality.notes).toContain(
          'dates: dd/mm/yy (two-digit years read in 1937–2036, the hundred years up to ten after the year of ingest 2026)',
        );
      if (name.startsWith('semicolon'))
        expect(d.quality.notes).toContain('2017-18/episodes.csv: columns separated by ";"');
    });

  it('empty files of tables the forecast does not use are ignored with a note', async () => {
    const files: UploadFile[] = [
      ...yearFiles(YEARS, folders('dash')),
      { name: 'ad1.csv', data: '' },
      { name: 'placed_for_adoption.csv', data: '\n' },
    ];
    const d = ok(await ingestUpload(files, { ...opts, mode: 'lenient' }));
    same(d);
    expect(d.quality.notes).toEqual(expect.arrayContaining(['ignored empty file ad1.csv']));
    expect(d.quality.counts['empty-file-ignored']).toBe(2);
    expect(d.quality.errors).toBe(0);
  });
});

describe('history that contradicts itself: resolved or refused', () => {
  it('stale open rows (an open episode followed by a later one) are closed at the next start, one warning per child', async () => {
    const years = copyYears();
    const last = years[years.length - 1] as YearReturn;
    const byChild = new Map<string, string[][]>();
    for (const r of last.rows.episodes) byChild.set(r[0] as string, [...(byChild.get(r[0] as string) ?? []), r]);
    let n = 0;
    for (const rows of byChild.values()) {
      if (n === 4) break;
      const a = rows.find((r) => r[REC] === 'X1' && rows.some((b) => b[DECOM] === r[DEC]));
      if (!a) continue;
      a[DEC] = '';
      a[REC] = '';
      n++;
    }
    expect(n).toBe(4);
    const d = ok(await ingestUpload(yearFiles(years, folders('dash')), opts));
    same(d);
    expect(d.quality.counts['stale-open-episode']).toBe(4);
    expect(d.quality.notes).toContain(
      '4 children had an episode left open although a later episode follows (stale open rows): closed at the next start',
    );
  });

  it('conflicting header rows (two birth dates for one child) are reported; the latest year wins', async () => {
    const years = copyYears();
    const first = years[0] as YearReturn;
    const child = (LAST.rows.header.find((h) => first.rows.header.some((f) => f[0] === h[0])) as string[])[0];
    const row = first.rows.header.find((h) => h[0] === child) as string[];
    row[2] = row[2] === '01/01/2005' ? '02/01/2005' : '01/01/2005';
    const d = ok(await ingestUpload(yearFiles(years, folders('dash')), opts));
    same(d);
    expect(d.quality.counts['conflicting-header']).toBe(1);
    const p = d.quality.problems.find((x) => x.code === 'conflicting-header');
    expect(p?.message).not.toMatch(/\d{2}\/\d{2}\/\d{4}|\d{4}-\d{2}-\d{2}/); // never the dates themselves
    expect(p?.message).not.toContain(child);
  });

  it('children open in one return and missing from the next: closed at the end of their return, the jump flagged', async () => {
    const years = copyYears();
    const prev = years[years.length - 2] as YearReturn;
    const last = years[years.length - 1] as YearReturn;
    const openBefore = new Set(prev.rows.episodes.filter((r) => r[DEC] === '').map((r) => r[0]));
    // children who left during the last year: their rows in the last return end with a real exit
    const leavers = [
      ...new Set(last.rows.episodes.filter((r) => openBefore.has(r[0]) && r[REC]?.startsWith('E')).map((r) => r[0])),
    ].slice(0, 8);
    expect(leavers.length).toBe(8);
    for (const t of ['episodes', 'header', 'uasc'] as const)
      last.rows[t] = last.rows[t].filter((r) => !leavers.includes(r[0]));
    const d = ok(await ingestUpload(yearFiles(years, folders('dash')), opts));
    expect(d.stock).toEqual(clean.stock);
    expect(d.quality.counts['open-not-returned-later']).toBe(8);
    expect(d.quality.counts['stock-jump']).toBe(1);
    expect(d.quality.problems.find((p) => p.code === 'stock-jump')?.message).toMatch(/^the stock in 2017-03 /);
  });
});

describe('lenient is not a way around the truth', () => {
  it('more than 10% of episode rows dropped: refused, naming the share', async () => {
    const years = copyYears();
    let i = 0;
    for (const y of years) for (const r of y.rows.episodes) if (i++ % 5 < 2) r[DECOM] = 'not a date';
    const out = await ingestUpload(yearFiles(years, folders('dash')), { ...opts, mode: 'lenient' });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.report.refusal?.code).toBe('too-many-dropped');
    expect(out.report.refusal?.message).toMatch(/^\d+ of \d+ episode rows \(40%\) have errors and were dropped/);
  });

  it('no exits in the window: refused', async () => {
    const [y] = structuredClone([LAST]) as [YearReturn];
    for (const r of y.rows.episodes) if (r[REC] !== 'X1') [r[DEC], r[REC]] = ['', ''];
    const out = await ingestUpload(yearFiles([y], folders('dash')), { ...opts, mode: 'lenient' });
    expect(!out.ok && out.report.refusal?.code).toBe('no-exits-in-window');
  });

  it('a missing DOB column is one error, not also "no Header table"', async () => {
    const files = yearFiles([LAST], folders('dash')).map((f) =>
      f.name.endsWith('header.csv')
        ? { ...f, data: csv(['CHILD', 'SEX', 'ETHNIC'], LAST.rows.header.map((h) => [h[0], h[1], h[3]]) as string[][]) }
        : f,
    );
    const out = await ingestUpload(files, opts);
    expect(!out.ok && out.report.problems.filter((p) => p.severity === 'error').map((p) => [p.code, p.column])).toEqual(
      [['missing-column', 'DOB']],
    );
  });

  it('a file without a header line never has its first row quoted back', async () => {
    const text = csv(LAST.columns.episodes, LAST.rows.episodes).split('\n').slice(1).join('\n');
    const out = await ingestUpload([{ name: 'eps.csv', data: text }], opts);
    const first = LAST.rows.episodes[0] as string[];
    const messages = (out.ok ? out.dataset.quality : out.report).problems.map((p) => p.message).join('\n');
    expect(messages).toContain('the file eps.csv holds none of the 903 column names');
    for (const v of [first[0], first[DECOM]]) expect(messages).not.toContain(v);
  });
});

describe('npm run estimate on the layouts', () => {
  const run = (dir: string, ...args: string[]) =>
    spawnSync('npx', ['tsx', 'bin/estimate.ts', '--data', dir, ...args], { encoding: 'utf8' });
  it('reads year folders (exit 0) and refuses a lenient upload that lost 40% of its rows (exit 2, the reason named)', async () => {
    const good = mkdtempSync(join(tmpdir(), 'layout-'));
    writeLayout(good, [...yearFiles(YEARS, folders('underscore')), { name: 'ad1.csv', data: '' }]);
    const r = run(good);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('2014-04-01 to 2018-03-31');

    const years = copyYears();
    let i = 0;
    for (const y of years) for (const row of y.rows.episodes) if (i++ % 5 < 2) row[DECOM] = 'x';
    const bad = mkdtempSync(join(tmpdir(), 'layout-'));
    writeLayout(bad, yearFiles(years, folders('dash')));
    const b = run(bad, '--lenient');
    expect(b.status).toBe(2);
    expect(b.stderr + b.stdout).toMatch(/refused, nothing was kept: \d+ of \d+ episode rows \(40%\) have errors/);
    expect(b.stderr + b.stdout).not.toMatch(/\n\s+at \S+ \(|\.ts:\d+:\d+/); // no stack trace
  }, 60_000);
});
