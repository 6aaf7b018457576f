/**
 * Sharded runs merge exactly: the result of a scenario's runs split into shards — each shard's summaries
 * sent through JSON, as they travel between threads and through the store — and merged equals the one-process result.
 * Every count, quantile (histogram and sketch), chance over budget, chance on the rota and per-run total is identical
 * bit for bit; the means and SDs of money, whose sums are added in another order, agree within 1e-12 relative.
 * The tolerance is rounding, not Monte Carlo error: the same runs are simulated, only the additions are regrouped.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_PATH } from '#models/defaults';
import { createShardSimulation, mergeShards, simulate, simulateShard, type ShardSummary } from '#models/engine';
import type { ForecastResult } from '#models/result';
import { parseScenario, type Scenario } from '#models/scenario';
import { planShards, splitRuns } from '#models/shards';

function defaultScenario(): Scenario {
  const p = parseScenario(JSON.parse(readFileSync(DEFAULT_SCENARIO_PATH, 'utf8')));
  if (!p.ok) throw new Error('default scenario is invalid');
  return p.value;
}

const viaJson = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Walks two results: numbers equal, except money means/SDs within `rel` of the mean. Returns the worst difference. */
function compare(a: unknown, b: unknown, path: string, rel: number, worst = { mean: 0, sd: 0 }): typeof worst {
  if (typeof a === 'number' && typeof b === 'number') {
    const key = path
      .split('.')
      .at(-1)!
      .replace(/\[\d+\]$/, '');
    const money = path.startsWith('cost.');
    if (money && (key === 'mean' || key === 'sd')) {
      const d = Math.abs(a - b) / Math.max(Math.abs(b), 1);
      worst[key] = Math.max(worst[key], d);
      expect(d, path).toBeLessThanOrEqual(rel);
    } else expect(a, path).toBe(b);
    return worst;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length, path).toBe(b.length);
    a.forEach((v, i) => compare(v, b[i], `${path}[${i}]`, rel, worst));
    return worst;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort());
    for (const k of Object.keys(a))
      compare(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        path ? `${path}.${k}` : k,
        rel,
        worst,
      );
    return worst;
  }
  expect(a, path).toEqual(b);
  return worst;
}

function withoutTime(r: ForecastResult): Omit<ForecastResult, 'elapsedMs'> {
  const { elapsedMs: _t, ...rest } = r;
  return rest;
}

function sharded(s: Scenario, cuts: { from: number; to: number }[], collectRunTotals: boolean): ForecastResult {
  const summaries: ShardSummary[] = cuts.map((c) => viaJson(simulateShard(s, c, { collectRunTotals })));
  // merged in an order other than the runs'
  return mergeShards(s, summaries.reverse(), { collectRunTotals });
}

describe('sharded runs', () => {
  it('merge into the one-process result of the default scenario (capacity, UASC, triangular costs, budgets)', () => {
    const s = { ...defaultScenario(), runs: 400, horizonMonths: 60, seed: 42 };
    const whole = simulate(s, { collectRunTotals: true });
    const cuts = [
      { from: 0, to: 1 },
      { from: 1, to: 150 },
      { from: 150, to: 151 },
      { from: 151, to: 333 },
      { from: 333, to: 400 },
    ];
    const merged = sharded(s, cuts, true);
    const worst = compare(withoutTime(merged), withoutTime(whole), '', 1e-12);
    // the sums do regroup: this is a real check of rounding, not of identical arithmetic
    expect(merged.cost.financialYears[0]!.p50).toBe(whole.cost.financialYears[0]!.p50);
    expect(merged.runTotals).toEqual(whole.runTotals);
    expect(worst.mean).toBeLessThan(1e-12);
  });

  it('give the same summaries run in steps as run at once (a job checkpoints between steps)', () => {
    const s = { ...defaultScenario(), runs: 90, horizonMonths: 24, seed: 8 };
    const cut = { from: 13, to: 77 };
    const stepped = createShardSimulation(s, cut, { collectRunTotals: true });
    const steps: boolean[] = [];
    for (let i = 0; i < 10 && !steps.at(-1); i++) steps.push(stepped.step(7));
    // 64 runs in steps of 7: nine partial steps, the tenth ends the shard
    expect(steps).toEqual([...Array(9).fill(false), true]);
    const { elapsedMs: _a, ...inSteps } = viaJson(stepped.finish());
    const { elapsedMs: _b, ...atOnce } = viaJson(simulateShard(s, cut, { collectRunTotals: true }));
    expect(inSteps).toEqual(atOnce);
    expect(() => createShardSimulation(s, cut).finish()).toThrow(/after 0 of 64 runs/);
  });

  it('merge exactly with parameter uncertainty, no capacity and no UASC, without per-run totals', () => {
    const base = defaultScenario();
    const exposure = { '10-15': { residential: 600, agencyFoster: 2400 }, '16-17': { supported: 900 } };
    const s: Scenario = {
      ...base,
      runs: 240,
      horizonMonths: 30,
      seed: 5,
      capacity: null,
      uasc: null,
      uncertainty: { parameters: true },
      parameters: {
        ...base.parameters,
        evidence: {
          exposureMonths: exposure,
          exits: { '10-15': { residential: 12, agencyFoster: 30 }, '16-17': { supported: 40 } },
          moves: { '10-15': { agencyFoster: { residential: 9 } } },
          entries: { '10-15': { residential: 14 } },
          entryMonths: 24,
        },
      },
    };
    const whole = simulate(s);
    const merged = sharded(s, splitRuns(s.runs, 7), false);
    compare(withoutTime(merged), withoutTime(whole), '', 1e-12);
    expect(merged.runTotals).toBeUndefined();
  });

  it('merge exactly when runs share posterior draws in blocks (more runs than POSTERIOR_DRAWS), cut mid-block', () => {
    // 2,100 runs: 3 runs per draw (models/engine/posterior.ts); 7 shards of 300 runs, each starting mid-block
    const base = defaultScenario();
    const s: Scenario = {
      ...base,
      runs: 2100,
      horizonMonths: 12,
      seed: 8,
      uncertainty: { parameters: true },
    };
    expect(s.parameters.evidence).toBeDefined();
    const cuts = [0, 1, 302, 601, 905, 1201, 1499, 2100].slice(1).map((to, i, a) => ({ from: i ? a[i - 1]! : 0, to }));
    const whole = simulate(s);
    compare(withoutTime(sharded(s, cuts, false)), withoutTime(whole), '', 1e-12);
  });

  it('merge the shards planned for a large job over every worker', () => {
    const s = { ...defaultScenario(), runs: 300, horizonMonths: 24, seed: 3 };
    const plan = planShards(s.runs, 1e12, { workPerShard: 1, maxShards: 4, minRunsPerShard: 1 });
    expect(plan.map((p) => [p.from, p.to])).toEqual([
      [0, 75],
      [75, 150],
      [150, 225],
      [225, 300],
    ]);
    compare(withoutTime(sharded(s, plan, true)), withoutTime(simulate(s, { collectRunTotals: true })), '', 1e-12);
  });

  it('refuse shards that miss or repeat runs, or a range outside the scenario', () => {
    const s = { ...defaultScenario(), runs: 20, horizonMonths: 6 };
    const a = simulateShard(s, { from: 0, to: 10 });
    const b = simulateShard(s, { from: 10, to: 20 });
    expect(() => mergeShards(s, [a])).toThrow(/cover 10 of 20 runs/);
    expect(() => mergeShards(s, [a, a, b])).toThrow(/exactly once/);
    expect(() => mergeShards(s, [a, b], { collectRunTotals: true })).toThrow(/per-run totals/);
    expect(() => simulateShard(s, { from: 15, to: 25 })).toThrow(/not a shard of 20 runs/);
    expect(() => simulateShard(s, { from: 5, to: 5 })).toThrow(/not a shard/);
    expect(() => mergeShards({ ...s, horizonMonths: 7 }, [a, b])).toThrow(/6-month series into a 7-month/);
  });
});

describe('planShards', () => {
  it('keeps a small job whole and splits a large one evenly, within the limits', () => {
    const limits = { workPerShard: 100e6, maxShards: 4 };
    expect(planShards(2000, 145e6, limits)).toEqual([{ index: 0, of: 1, from: 0, to: 2000 }]);
    expect(planShards(10000, 727e6, limits).map((p) => p.to - p.from)).toEqual([2500, 2500, 2500, 2500]);
    expect(planShards(10001, 250e6, limits).map((p) => [p.from, p.to])).toEqual([
      [0, 5001],
      [5001, 10001],
    ]);
    // never shards of fewer than 50 runs (by default)
    expect(planShards(120, 1e12, limits)).toHaveLength(2);
    expect(planShards(1, 1e12, limits)).toHaveLength(1);
  });
});
