/**
 * The command-line tools hash child ids with a random salt per run (bin/data-dir.ts#runSalt), which is right only if
 * nothing they print or write depends on the salt. Children are sorted by their keys, so the salt reorders them: the
 * dataset, the scenario `estimate --out` writes and a backtest must come out the same whatever the salt.
 */
import { describe, expect, it } from 'vitest';
import { backtest } from '#models/backtest';
import { scenarioFromDataset } from '#models/council-resolve';
import type { Dataset } from '#models/dataset';
import { simulate } from '#models/engine';
import { loadDataDirectory, runSalt } from '../../bin/data-dir.js';

async function demo(salt: string): Promise<Dataset> {
  const out = await loadDataDirectory('data/demo', { salt, referenceYear: 2026, mode: 'lenient', today: '2026-01-15' });
  if (!out.ok) throw new Error('the demo data did not load');
  return out.dataset;
}

/** The children without their keys, in an order of their own (their content). */
const unkeyed = (d: Dataset) => d.children.map(({ key: _key, ...rest }) => JSON.stringify(rest)).sort();

describe('a random salt per CLI run', () => {
  it('is new on every run', () => {
    const a = runSalt();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(runSalt()).not.toBe(a);
  });

  it('changes the keys and their order, and nothing the tools print or write', async () => {
    const [a, b] = [await demo(runSalt()), await demo(runSalt())];
    // the keys differ and so does the order they put the children in…
    expect(a.children.map((c) => c.key)).not.toEqual(b.children.map((c) => c.key));
    expect(a.children.map((c) => c.birthMonth)).not.toEqual(b.children.map((c) => c.birthMonth));
    // …but the children are the same children, and everything made from them is the same
    expect(unkeyed(a)).toEqual(unkeyed(b));
    const { children: _a, ...restA } = a;
    const { children: _b, ...restB } = b;
    expect(restA).toEqual(restB);
    expect(scenarioFromDataset(a)).toEqual(scenarioFromDataset(b));
    const run = (d: Dataset) =>
      backtest(d, { cutoff: '2017-03-31', horizonMonths: 6, runs: 100, seed: 3 }, (s) => simulate(s));
    expect(run(a)).toEqual(run(b));
  });
});
