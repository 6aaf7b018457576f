/**
 * The tools that read a data folder (`npm run estimate`, `backtest`, `calibrate`) on bad files: exit code 2, each error
 * naming its file, row and column, and none of the child's values (CHILD, DOB, UPN, postcode, a name) nor a stack.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';

const PLANTED = ['SECRETCHILD123', '17/03/2009', '2009-03-17', 'A123456789012', 'PE1 1XX', 'Zebedee'];
const tmp = mkdtempSync(join(tmpdir(), 'pf-cli-errors-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** the demo's tables with a child's values planted in rows that are errors */
function badFolder(): string {
  const dir = join(tmp, 'bad');
  mkdirSync(dir, { recursive: true });
  const header = readFileSync('data/demo/header.csv', 'utf8').trimEnd();
  const episodes = readFileSync('data/demo/episodes.csv', 'utf8').trimEnd();
  writeFileSync(
    join(dir, 'header.csv'),
    `${header}\n2017,SECRETCHILD123,1,17/03/2009,WBRI,A123456789012,,\n2017,SECRETCHILD124,1,17/13/2009,WBRI,A123456789012,,\n`,
  );
  // the demo's episodes.csv is 3,442 lines: the row planted below is row 3443 (header.csv's are rows 2729 and 2730)
  expect(episodes.split('\n').length).toBe(3442);
  writeFileSync(
    join(dir, 'episodes.csv'),
    `${episodes}\n2017,SECRETCHILD123,01/05/2017,S,C2,N1,PE1 1XX,PR1,,,CARPL,PE1 1XX,PE2 2YY,\n`,
  );
  return dir;
}

const run = (tool: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', `bin/${tool}.ts`, ...args], { encoding: 'utf8' });

describe('the data tools on bad files', () => {
  const dir = badFolder();
  const cases: Array<[string, string[]]> = [
    ['estimate', ['--data', dir]],
    ['backtest', ['--data', dir, '--cutoff', '2017-03-31', '--strict', '--runs', '20']],
    // calibrate reads leniently: the folder above is read (under 10% of rows dropped); the one below is refused
  ];
  for (const [tool, args] of cases)
    it(`${tool}: exit 2, the errors by file, row and column, no child value`, () => {
      const r = run(tool, ...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(
        'error episodes.csv row 3443 PLACE: not a code of the PLACE list (the value is not shown: it is not a 903 code) [unknown-code; dropped]',
      );
      expect(r.stderr).toContain(
        'error header.csv row 2730 DOB: not a real date (no such day in that month, or no such month) [bad-date; dropped]',
      );
      for (const v of PLANTED) expect(r.stdout + r.stderr).not.toContain(v);
      expect(r.stderr).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
    });

  it('calibrate: a refused folder lists its errors by file and row (before: only "N error(s); nothing could be read")', () => {
    const zipDir = join(tmp, 'refused');
    mkdirSync(zipDir, { recursive: true });
    writeFileSync(
      join(zipDir, 'header.csv'),
      'CHILD,SEX,DOB,ETHNIC,UPN\nSECRETCHILD123,1,17/03/2009,WBRI,A123456789012\n',
    );
    writeFileSync(
      join(zipDir, 'episodes.csv'),
      'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,HOME_POST\nSECRETCHILD123,01/05/2017,S,C2,N1,U1,PR1,#N/A,E2,PE1 1XX\n',
    );
    const r = run('calibrate', '--data', zipDir, '--runs', '20');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([
      `${zipDir}: 2 error(s); nothing could be read`,
      'error episodes.csv row 2 DEC: H2 holds the Excel error #N/A in the DEC column: the file was saved from a workbook whose formula broke. Correct it there, save the CSV again and upload it [excel-error; dropped]',
    ]);
    for (const v of PLANTED) expect(r.stdout + r.stderr).not.toContain(v);
  });

  it('estimate: a zip named .xlsx is an error naming the file, exit 2 (before: exit 1, "Cannot read properties of undefined")', () => {
    const xDir = join(tmp, 'xlsx');
    mkdirSync(xDir, { recursive: true });
    writeFileSync(
      join(xDir, 'returns.xlsx'),
      zipSync({ 'header.csv': strToU8('CHILD,DOB\nSECRETCHILD123,17/03/2009\n') }),
    );
    const r = run('estimate', '--data', xDir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'error returns.xlsx: a zip archive with no workbook in it, not an .xlsx workbook: if it holds the CSV files, name it .zip and upload again [bad-workbook; none]',
    );
    for (const v of PLANTED) expect(r.stdout + r.stderr).not.toContain(v);
  });
});
