/** Reading a data directory from disk (streamed) gives the same dataset as the same files passed as strings. */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestSsda903 } from '#models/ingest/pipeline';
import { loadDataDirectory } from '../../bin/data-dir.js';

const FIX = 'tests/fixtures/ssda903';

describe('loadDataDirectory', () => {
  it('streams the CSV files of a directory: BOM and CRLF handled, an unused table ignored, same result as strings', async () => {
    const fromDisk = await loadDataDirectory(join(FIX, 'small'), { salt: 's', referenceYear: 2026 });
    if (!fromDisk.ok) throw new Error(JSON.stringify(fromDisk.report.problems));
    const d = fromDisk.dataset;
    expect(d.quality.notes).toEqual(
      expect.arrayContaining([
        'header.csv: UTF-8 byte-order mark removed',
        'ignored table Reviews (reviews.csv)',
        'dates: dd/mm/yyyy',
      ]),
    );
    expect(d.stock.byCategory).toMatchObject({ residential: 1, supported: 1, placedForAdoption: 1 });
    expect(d.stock.uasc).toBe(1);
    // child 101: U6/PR4 from May 2016 with a same-carer legal change in January 2017 (merged), residential from August 2017
    expect(d.quality.notes).toContain('1 episodes merged into the previous placement (RNE L, T or U on the same day)');
    const files = readdirSync(join(FIX, 'small')).map((name) => ({
      name,
      text: readFileSync(join(FIX, 'small', name), 'utf8'),
    }));
    const fromStrings = ingestSsda903(files, { salt: 's', referenceYear: 2026 });
    expect(fromStrings).toEqual(fromDisk);
  });

  it('reads a UTF-16 file (Excel\'s "Unicode Text") with a note; refuses a PDF named .csv with the encoding message', async () => {
    const utf16 = await loadDataDirectory(join(FIX, 'utf16'), { salt: 's', referenceYear: 2026, mode: 'lenient' });
    // the fixture's header holds child 101 only: the children of the other episodes have no header row
    const probs = utf16.ok ? utf16.dataset.quality.problems : utf16.report.problems;
    expect(probs.filter((p) => p.file === 'header.csv')).toEqual([]);
    expect(probs.map((p) => p.code)).not.toContain('encoding');
    const out = await loadDataDirectory(join(FIX, 'binary'), { salt: 's', referenceYear: 2026, mode: 'lenient' });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.report.problems).toContainEqual({
      file: 'header.csv',
      row: null,
      column: null,
      code: 'encoding',
      message:
        'not a CSV text file: it is a PDF document. Save the table as CSV (CSV UTF-8 is best) and upload it again',
      action: 'none',
      severity: 'error',
    });
  });

  it('reads a JSON records file when the directory has no CSV', async () => {
    const out = await loadDataDirectory(join(FIX, 'records'), { salt: 's', referenceYear: 2026 });
    if (!out.ok) throw new Error(JSON.stringify(out.report.problems));
    expect(out.dataset.format).toBe('records');
    expect(out.dataset.stock.total).toBe(2);
    expect(out.dataset.stock.uasc).toBe(1);
  });

  it('numbers rows as Excel does: blank rows and rows of only commas count, on disk and as strings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rows-'));
    const episodes = readFileSync(join(FIX, 'small', 'episodes.csv'), 'utf8').split('\n');
    // rows 3 and 4 of the file are blank and only commas; the retired Q2 code is on row 8
    episodes.splice(2, 0, '', ',,,,,,,,,,,,');
    episodes[7] = episodes[7]!.replace(',U4,', ',Q2,');
    writeFileSync(join(dir, 'episodes.csv'), episodes.join('\r\n'));
    writeFileSync(join(dir, 'header.csv'), readFileSync(join(FIX, 'small', 'header.csv')));
    const expected = { file: 'episodes.csv', row: 8, column: 'PLACE', code: 'invalid-code-for-year' };
    const fromDisk = await loadDataDirectory(dir, { salt: 's', referenceYear: 2026 });
    expect(!fromDisk.ok && fromDisk.report.problems).toContainEqual(expect.objectContaining(expected));
    const files = ['episodes.csv', 'header.csv'].map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
    expect(ingestSsda903(files, { salt: 's', referenceYear: 2026 })).toEqual(fromDisk);
  });

  it('says so when the directory cannot be read', async () => {
    const out = await loadDataDirectory(join(FIX, 'no-such-dir'), { salt: 's', referenceYear: 2026 });
    expect(!out.ok && out.report.problems[0]!.message).toBe('not a readable directory');
  });
});
