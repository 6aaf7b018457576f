/** npm run estimate: exit code 2 and the problems listed on bad input; a valid scenario written with --out. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenario } from '#models/scenario';

const tmp = mkdtempSync(join(tmpdir(), 'estimate-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'bin/estimate.ts', ...args], { encoding: 'utf8' });

describe('npm run estimate', () => {
  it('bad input: exit code 2, each problem on a line, no stack trace, the full report with --report', () => {
    const report = join(tmp, 'report.json');
    const r = run('--data', 'tests/fixtures/ssda903/binary', '--report', report);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'error header.csv: not a CSV text file: it is a PDF document. Save the table as CSV (CSV UTF-8 is best) and upload it again [encoding; none]',
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(JSON.parse(readFileSync(report, 'utf8')).errors).toBe(2);
  });

  it('good input: prints the rates and writes a complete, valid scenario', () => {
    const out = join(tmp, 'scenario.json');
    const r = run('--data', 'tests/fixtures/ssda903/small', '--out', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Stock at 2018-03-31: 3 children (UASC 1; in-house fostering 0)');
    const parsed = parseScenario(JSON.parse(readFileSync(out, 'utf8')));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.start).toBe('2018-04');
  });
});
