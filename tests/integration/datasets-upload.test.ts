/**
 * Real council files through the API: a zip of year folders and .xlsx workbooks upload as one dataset; every answer carries the
 * quality summary and the first problems (201 and 422 alike); lenient uploads that cannot support a forecast are
 * refused with the reason; each council has one current dataset, and an older year uploaded later does not displace it.
 */
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { MAX_UNZIPPED_BYTES, ingestUpload } from '#models/ingest/upload';
import { Rng } from '#models/random';
import { label, splitYears, workbooks, yearFiles, zipOf, type YearReturn } from '../../bin/demo/layouts.js';
import { generateDemo } from '../../bin/demo/synthetic.js';
import { useLocalService } from '../support/local-service.js';

const demo = generateDemo(new Rng(31), { firstYear: 2015, lastYear: 2017, mess: false, drift: false });
const YEARS = splitYears({ header: demo.header, episodes: demo.episodes, uasc: demo.uasc });
const folders = (y: YearReturn, t: string) => `${label(y.endYear, 'dash')}/${t}.csv`;

describe('POST /datasets with council files', () => {
  const { service, call } = useLocalService();
  const dm = () => service().tokens['data-manager'];

  it('a zip of year folders: 201, the period named, the stock of the same files read directly, current', async () => {
    const files = yearFiles(YEARS, folders);
    const direct = await ingestUpload(files, { salt: 'x', referenceYear: 2026 });
    if (!direct.ok) throw new Error('fixture refused');
    const r = await call('POST', '/datasets', {
      token: dm(),
      body: { format: 'ssda903', files: { 'returns.zip': zipOf(files) }, mode: 'strict' },
    });
    expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(201);
    expect(r.body).toMatchObject({
      council: 'E06000031', // the uploader's council (the token's), the first demo council
      current: true,
      period: { start: '2015-04-01', end: '2018-03-31', source: 'year folders: 2015/16, 2016/17, 2017/18' },
      stock: { total: direct.dataset.stock.total, date: '2018-03-31' },
      quality: { errors: 0, problemsTotal: 0, problems: [] },
    });
    expect(r.body.quality.notes).toContain('returns.zip: 9 files unpacked');

    // an older year uploaded afterwards (as .xlsx) is stored but does not become current
    const older = await call('POST', '/datasets', {
      token: dm(),
      body: {
        format: 'ssda903',
        files: Object.fromEntries((await workbooks(YEARS.slice(0, 1))).map((f) => [f.name, f.data])),
      },
    });
    expect(older.status, JSON.stringify(older.body).slice(0, 500)).toBe(201);
    expect(older.body).toMatchObject({ current: false, period: { end: '2016-03-31' } });
    const list = await call('GET', '/datasets', { token: service().tokens.viewer });
    expect(list.body.items.map((d: { id: string; current: boolean }) => [d.id, d.current])).toEqual([
      [older.body.id, false],
      [r.body.id, true],
    ]);
  });

  it('lenient with one bad row: 201 with that problem in the answer (file, row, column, rule)', async () => {
    const files = yearFiles(YEARS, folders);
    const eps = files.find((f) => f.name === '2017-18/episodes.csv') as { name: string; data: string };
    const lines = eps.data.split('\n');
    lines[5] = lines[5]!.replace(/^([^,]*),(\d\d\/\d\d\/\d{4})/, '$1,31/02/2017');
    eps.data = lines.join('\n');
    const r = await call('POST', '/datasets', {
      token: dm(),
      body: { format: 'ssda903', files: Object.fromEntries(files.map((f) => [f.name, f.data])), mode: 'lenient' },
    });
    expect(r.status).toBe(201);
    expect(r.body.quality.problems[0]).toEqual({
      file: '2017-18/episodes.csv',
      row: 6,
      column: 'DECOM',
      code: 'bad-date',
      message: 'not a real date (no such day in that month, or no such month)',
      action: 'dropped',
      severity: 'error',
    });
  });

  it('lenient that lost 40% of its episodes: 422, the refusal named, the quality summary, nothing stored', async () => {
    const before = (await call('GET', '/datasets', { token: dm() })).body.items.length;
    const years = structuredClone(YEARS);
    let i = 0;
    for (const y of years) for (const row of y.rows.episodes) if (i++ % 5 < 2) row[1] = 'x';
    const files = yearFiles(years, folders);
    const r = await call('POST', '/datasets', {
      token: dm(),
      body: { format: 'ssda903', files: Object.fromEntries(files.map((f) => [f.name, f.data])), mode: 'lenient' },
    });
    expect(r.status).toBe(422);
    expect(r.body.quality.refusal.code).toBe('too-many-dropped');
    expect(r.body.quality.problems[0]).toMatchObject({ code: 'too-many-dropped', severity: 'error' });
    expect(r.body.quality.problemsTotal).toBeGreaterThan(200);
    expect(r.body.quality.problems).toHaveLength(200);
    expect(r.body.message).toMatch(/^the upload cannot support a forecast: nothing was stored/);
    expect((await call('GET', '/datasets', { token: dm() })).body.items.length).toBe(before);
  });

  it('zips and workbooks unpack within one limit for the whole upload: past it a 422 naming the file, nothing stored', async () => {
    const before = (await call('GET', '/datasets', { token: dm() })).body.items.length;
    // a few hundred KB sent, unpacking past the limit: a workbook (exceljs would unpack and parse all of it) …
    const spaces = (n: number) => new Uint8Array(n).fill(32);
    const packed = (entries: Record<string, Uint8Array>) =>
      Buffer.from(zipSync(entries, { level: 1 })).toString('base64');
    const workbook = packed({ 'xl/worksheets/sheet1.xml': spaces(MAX_UNZIPPED_BYTES + 1) });
    const one = await call('POST', '/datasets', {
      token: dm(),
      body: { format: 'ssda903', files: { 'returns.xlsx': workbook } },
    });
    expect(one.status).toBe(422);
    expect(one.body.issues).toContainEqual({
      file: 'returns.xlsx',
      row: null,
      column: null,
      code: 'too-large',
      message: expect.stringMatching(/^the workbook unpacks past 64 MB/),
    });
    // … and two zips each within the limit, past it together (each used to have a limit of its own)
    const half = packed({ 'readme.md': spaces(MAX_UNZIPPED_BYTES / 2 + 1) });
    const two = await call('POST', '/datasets', {
      token: dm(),
      body: { format: 'ssda903', files: { 'a.zip': half, 'b.zip': half }, mode: 'lenient' },
    });
    expect(two.status).toBe(422);
    expect(two.body.issues).toContainEqual(expect.objectContaining({ file: 'b.zip', code: 'too-large' }));
    expect((await call('GET', '/datasets', { token: dm() })).body.items.length).toBe(before);
  });

  it('the same upload sent several times at once: one 201, the others 200 with the same dataset (no 409)', async () => {
    const files = yearFiles(YEARS.slice(1), folders);
    const body = { format: 'ssda903', files: Object.fromEntries(files.map((f) => [f.name, f.data])) };
    const answers = await Promise.all([1, 2, 3].map(() => call('POST', '/datasets', { token: dm(), body })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
  });

  it("another council's files (docs/ingest.md, 7–8 December 2026): Windows-1252 CSV sent as a data URL with a social worker column, a workbook with an Other sheet and titles; 201 with the stock read directly, no name or id in the answer", async () => {
    const { default: ExcelJS } = await import('exceljs');
    const [first, ...rest] = YEARS as [YearReturn, ...YearReturn[]];
    // the oldest year as Windows-1252 CSV files with an extra column of names (é in one), sent as data URLs
    const extra = (t: 'header' | 'episodes') => {
      const lines = [
        [...first.columns[t], 'Social worker'].join(','),
        ...first.rows[t].map((r, i) => [...r, i % 2 ? 'Amélie Dubois' : 'Jo Smith'].join(',')),
      ];
      const bytes = Uint8Array.from(lines.join('\r\n'), (ch) => (ch === 'é' ? 0xe9 : ch.charCodeAt(0)));
      return `data:text/csv;base64,${Buffer.from(bytes).toString('base64')}`;
    };
    const files: Record<string, string> = {
      [`${label(first.endYear, 'dash')}/header.csv`]: extra('header'),
      [`${label(first.endYear, 'dash')}/episodes.csv`]: extra('episodes'),
    };
    // the later years as one workbook each: a title above each table, and a sheet of notes
    for (const y of rest) {
      const wb = new ExcelJS.Workbook();
      for (const t of ['header', 'episodes'] as const) {
        const sheet = wb.addWorksheet(t === 'header' ? 'Header' : 'Episodes');
        sheet.addRow(['Northshire County Council: SSDA903']);
        sheet.addRow([]);
        sheet.addRow(y.columns[t]);
        for (const r of y.rows[t]) sheet.addRow(r);
      }
      wb.addWorksheet('Other').addRow(['Checked by Jo Smith']);
      files[`return ${label(y.endYear, 'dash')}.xlsx`] = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    }
    const direct = await ingestUpload(
      yearFiles(YEARS, folders).filter((f) => !f.name.endsWith('uasc.csv')),
      { salt: 'x', referenceYear: 2026 },
    );
    if (!direct.ok) throw new Error('fixture refused');
    const r = await call('POST', '/datasets', { token: dm(), body: { format: 'ssda903', files } });
    expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(201);
    expect(r.body.stock.total).toBe(direct.dataset.stock.total);
    expect(r.body.quality.errors).toBe(0);
    expect(r.body.quality.counts['ignored-sheet']).toBe(rest.length);
    const text = JSON.stringify(r.body);
    expect(text).not.toMatch(/Jo Smith|Dubois/);
    const ids = new Set(first.rows.header.map((row) => row[0]));
    expect([...ids].filter((id) => text.includes(`"${id}"`))).toEqual([]);
  });

  it('a body past the limit is a 413 saying its size, the limit and what to do', async () => {
    const r = await call('POST', '/datasets', {
      token: dm(),
      body: { format: 'ssda903', files: { 'episodes.csv': 'x'.repeat(7 * 1024 * 1024) } },
    });
    expect(r.status).toBe(413);
    expect(r.body.message).toMatch(/^the body is 7 MB, more than the 6 MB one request may carry: send less at once/);
  });
});
