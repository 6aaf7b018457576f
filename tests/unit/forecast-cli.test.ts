/**
 * `npm run forecast -- --data DIR`: the data gives the start, children and rates; the scenario file's price base stays
 * where it is (its weekly costs are at that month's prices) unless it falls after the forecast's last month, when it
 * moves to the start with a note. Before, any price base after the data's start was moved, silently: costs typed at
 * 2019/20 prices were read as 2018/19's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ForecastResult } from '#models/result';

const tmp = mkdtempSync(join(tmpdir(), 'pf-forecast-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function forecastWithPriceBase(priceBase: string): ForecastResult {
  const s = JSON.parse(readFileSync('data/scenarios/peterborough-2018.json', 'utf8'));
  const file = join(tmp, `${priceBase}.json`);
  const out = join(tmp, `${priceBase}.out.json`);
  writeFileSync(file, JSON.stringify({ ...s, runs: 200, seed: 5, costs: { ...s.costs, priceBase } }));
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'bin/forecast.ts',
      '--scenario',
      file,
      '--data',
      'data/demo',
      '--lenient',
      '--quiet',
      '--out',
      out,
    ],
    { encoding: 'utf8' },
  );
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as ForecastResult;
}

describe('npm run forecast -- --data with a scenario file', () => {
  it('keeps a price base inside the forecast, and moves one after it to the start with a note', () => {
    // the demo data ends in March 2018: the forecast runs from 2018-04 for the scenario's 60 months (to 2023-03)
    const atStart = forecastWithPriceBase('2018-04');
    const yearLater = forecastWithPriceBase('2019-04');
    const after = forecastWithPriceBase('2024-01');
    expect(atStart.months[0]).toBe('2018-04');
    const note = (r: ForecastResult) => r.warnings.filter((w) => w.includes('priceBase'));
    expect(note(atStart)).toEqual([]);
    expect(note(yearLater)).toEqual([]);
    expect(note(after)).toEqual([
      "costs.priceBase 2024-01 is after the last month the data's forecast covers (2023-03): the weekly costs are taken at 2018-04 prices instead",
    ]);
    // the same runs (same seed): costs at 2019/20 prices read 2018/19's as one year of inflation (1–5%) less
    const first = (r: ForecastResult) => r.cost.financialYears[0]!.mean;
    const ratio = first(yearLater) / first(atStart);
    expect(ratio).toBeGreaterThan(1 / 1.06);
    expect(ratio).toBeLessThan(1 / 1.005);
    // and one moved to the start prices as one given there
    expect(first(after)).toBe(first(atStart));
  });
});
