/**
 * Dates with the month's name, as Excel writes them with a DD-MMM-YY or DD-MMM-YYYY cell format (`01-Apr-18`,
 * `1-APR-2018`, `01/Apr/2018`, `01 Apr 2018`): read as the same days, so the demo files rewritten so give exactly the
 * demo's counts; an impossible day (`31-Feb-18`) is an error naming its row and column.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDate } from '#models/ingest/ssda903/dates';
import { loadDataDirectory } from '../../bin/data-dir.js';
import {
  DEMO_TABLES as TABLES,
  LENIENT as opts,
  accepted as ok,
  demoTables,
  uploadFiles as upload,
} from '../fixtures/demo-903.js';

const demo = demoTables();
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Every dd/mm/yyyy date of a table rewritten. */
const rewrite = (text: string, f: (d: string, m: number, y: string) => string): string =>
  text.replace(/\b(\d\d)\/(\d\d)\/(\d{4})\b/g, (_, d: string, m: string, y: string) => f(d, Number(m), y));

const original = ok(await upload(Object.fromEntries(TABLES.map((t) => [`${t}.csv`, demo[t]]))));

describe('dates with the month by name', () => {
  it('reads DD-MMM-YY and DD-MMM-YYYY with -, / or space, month names in any case', () => {
    expect(parseDate('01-Apr-18', 2026)).toEqual({ date: '2018-04-01', format: 'dd-mmm-yy' });
    expect(parseDate('1-APR-2018', 2026)).toEqual({ date: '2018-04-01', format: 'dd-mmm-yyyy' });
    expect(parseDate('01/apr/2018', 2026)).toEqual({ date: '2018-04-01', format: 'dd-mmm-yyyy' });
    expect(parseDate('01 Apr 2018', 2026)).toEqual({ date: '2018-04-01', format: 'dd-mmm-yyyy' });
    expect(parseDate('1 April 2018', 2026)).toEqual({ date: '2018-04-01', format: 'dd-mmm-yyyy' });
    expect(parseDate('30-Sept-17', 2026)).toEqual({ date: '2017-09-30', format: 'dd-mmm-yy' });
    expect(parseDate('29-Feb-16 00:00:00', 2026)).toEqual({ date: '2016-02-29', format: 'dd-mmm-yy' });
    // two-digit years by the rule dd/mm/yy uses: ingested in 2026, 00–36 are 2000–2036, 37–99 are 1937–1999
    expect(parseDate('15-Jun-99', 2026)?.date).toBe('1999-06-15');
    expect(parseDate('15-Jun-05', 2026)?.date).toBe('2005-06-15');
    for (const bad of ['31-Feb-18', '29-Feb-17', '01-Foo-18', '01-Apr/18', '01-Apri-18', 'Apr-18', '32-Jan-2018'])
      expect(parseDate(bad, 2026), bad).toBeNull();
  });

  it('the demo files rewritten as Excel shows them give exactly the demo counts, uploaded and from disk', async () => {
    const files = {
      'header.csv': rewrite(demo.header, (d, m, y) => `${d}-${MON[m - 1]}-${y}`),
      'episodes.csv': rewrite(demo.episodes, (d, m, y) => `${d}-${MON[m - 1]}-${y.slice(2)}`),
      'uasc.csv': rewrite(demo.uasc, (d, m, y) => `${Number(d)} ${MON[m - 1]?.toUpperCase()} ${y}`),
    };
    expect(files['episodes.csv']).toContain('07-Feb-12');
    const dir = mkdtempSync(join(tmpdir(), 'mmm-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    for (const d of [ok(await upload(files)), ok(await loadDataDirectory(dir, opts))]) {
      expect(d.counts).toEqual(original.counts);
      expect(d.period).toEqual(original.period);
      expect(d.stock).toEqual(original.stock);
      expect(d.children).toEqual(original.children);
      expect(d.estimate.parameters).toEqual(original.estimate.parameters);
      expect(d.quality.counts).toEqual(original.quality.counts);
      expect(d.quality.notes).toContain(
        'dates: dd-mmm-yy and dd-mmm-yyyy (two-digit years read in 1937–2036, the hundred years up to ten after the year of ingest 2026)',
      );
    }
  });

  it('an impossible date (31-Feb-18) is an error naming its row and column', async () => {
    const lines = demo.episodes.split('\n');
    lines[5] = lines[5]!.replace(/^([^,]*,[^,]*),\d\d\/\d\d\/\d{4}/, '$1,31-Feb-18');
    const out = await upload({ 'header.csv': demo.header, 'episodes.csv': lines.join('\n'), 'uasc.csv': demo.uasc });
    const problems = out.ok ? out.dataset.quality.problems : out.report.problems;
    expect(problems).toContainEqual({
      file: 'episodes.csv',
      row: 6,
      column: 'DECOM',
      code: 'bad-date',
      message: 'not a real date (no such day in that month, or no such month)',
      action: 'dropped',
      severity: 'error',
    });
  });
});
