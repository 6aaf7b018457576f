/**
 * `npm run forecast -- --region FILE --workers N`: a large region runs in shards of runs over N worker threads
 * (bin/shards/pool.ts) and gives the result one thread gives — counts and quantiles bit for bit, money means within
 * 1e-12 relative; a small one runs in this thread. The demo region file (two councils, NTS rota, shared beds) at
 * 1,500 runs is above twice the local shard size.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { RegionalForecastResult } from '#models/region/result';
import { runRegionCli } from '../../bin/region-forecast.js';

const REGION_FILE = 'data/regions/eastern-2018.json';

async function run(workers: number, runs: number): Promise<{ result: RegionalForecastResult; said: string }> {
  const out = join(mkdtempSync(join(tmpdir(), 'region-cli-')), 'result.json');
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await runRegionCli({ region: REGION_FILE, runs, out, quiet: true, workers });
    return {
      result: JSON.parse(readFileSync(out, 'utf8')) as RegionalForecastResult,
      said: log.mock.calls.map((c) => String(c[0])).join('\n'),
    };
  } finally {
    log.mockRestore();
  }
}

describe('a regional forecast over worker threads', () => {
  it('shards a large region over --workers and merges to the one-thread result', async () => {
    const one = await run(1, 1500);
    const two = await run(2, 1500);
    expect(one.said).toMatch(/1,500 runs of 2 councils in .* s \(one thread\)/);
    expect(two.said).toMatch(/\(2 shards on 2 worker threads\)/);
    const drop = new Set(['elapsedMs', 'mean', 'sd']);
    const strip = (r: unknown) => JSON.parse(JSON.stringify(r, (k, v) => (drop.has(k) ? 0 : v)));
    expect(strip(two.result)).toEqual(strip(one.result));
    expect(two.result.region.cost.financialYears).toHaveLength(5);
    two.result.region.cost.financialYears.forEach((fy, f) => {
      const want = one.result.region.cost.financialYears[f]!;
      expect(Math.abs(fy.mean - want.mean)).toBeLessThanOrEqual(1e-12 * want.mean);
      expect(Math.abs(fy.sd - want.sd)).toBeLessThanOrEqual(1e-9 * want.sd);
    });
    expect(two.result.region.population.total.mean).toEqual(one.result.region.population.total.mean);
  }, 120_000);

  it('runs a small region in this thread whatever --workers says', async () => {
    const small = await run(4, 200);
    expect(small.said).toMatch(/200 runs of 2 councils in .* s \(one thread\)/);
  }, 60_000);
});
