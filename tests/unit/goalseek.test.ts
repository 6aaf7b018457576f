import { describe, expect, it } from 'vitest';
import {
  GoalSchema,
  goalMetric,
  goalSeek,
  goalSeekAsync,
  GoalNotMeasurable,
  SearchSchema,
  type Goal,
} from '#models/goalseek';
import type { ForecastResult } from '#models/result';

const search = (min: number, max: number, step?: number) =>
  SearchSchema.parse({ path: 'capacity.recruitmentPerYear', min, max, step });

describe('goalSeek', () => {
  it('finds the smallest whole value meeting the goal on a decreasing curve, trying few values', () => {
    const calls: number[] = [];
    const answer = goalSeek(search(0, 40), 12.3, (v) => {
      calls.push(v);
      return 40 - v;
    });
    // 40 − v ≤ 12.3 ⇔ v ≥ 27.7: the smallest whole value is 28
    expect(answer.reachable).toBe(true);
    expect(answer.value).toBe(28);
    expect(answer.metricAtValue).toBe(12);
    // coarse 0, 10, 20, 30 then bisection over 21..29: at most 4 + ⌈log2 10⌉ evaluations, each value once
    expect(calls.length).toBeLessThanOrEqual(8);
    expect(new Set(calls).size).toBe(calls.length);
    expect(answer.curve.map((p) => p.value)).toEqual([...calls].sort((a, b) => a - b));
    expect(answer.monotone).toBe(true);
  });

  it('runs the same search with an asynchronous evaluation (the Lambda host), value for value', async () => {
    const syncCalls: number[] = [];
    const asyncCalls: number[] = [];
    const f = (v: number) => 0.5 - v / 100 + (v === 17 ? 0.02 : 0);
    const a = goalSeek(search(0, 40), 0.2, (v) => (syncCalls.push(v), f(v)));
    const b = await goalSeekAsync(search(0, 40), 0.2, async (v) => (asyncCalls.push(v), f(v)));
    expect(b).toEqual(a);
    expect(asyncCalls).toEqual(syncCalls);
    expect(a.value).toBe(30);
  });

  it('answers min when min already meets the goal', () => {
    const answer = goalSeek(search(5, 40), 100, (v) => 40 - v);
    expect(answer.value).toBe(5);
    expect(answer.curve).toHaveLength(1);
  });

  it('says "not reachable within the range" with the best value tried when even max misses', () => {
    const answer = goalSeek(search(0, 40), 0.05, (v) => 0.5 - v / 100);
    expect(answer.reachable).toBe(false);
    expect(answer.value).toBeUndefined();
    expect(answer.message).toMatch(/not reachable within the range 0–40/);
    expect(answer.message).toMatch(/best value tried \(40\) gives 0\.1/);
    expect(answer.curve.map((p) => p.value)).toEqual([0, 10, 20, 30, 40]);
  });

  it('works on a fractional range with the default resolution of 1/100 of the range', () => {
    const answer = goalSeek(search(0, 1.5), 0.3, (v) => 1 - v);
    expect(answer.step).toBeCloseTo(0.015, 12);
    // 1 − v ≤ 0.3 ⇔ v ≥ 0.7: the first grid value at or above 0.7 is 0.705 (47 × 0.015)
    expect(answer.value).toBeCloseTo(0.705, 9);
  });

  it('flags a curve that is not monotone', () => {
    const answer = goalSeek(search(0, 40), 1, (v) => (v === 20 ? 50 : 40 - v));
    expect(answer.monotone).toBe(false);
  });

  it('reaches the last point exactly when the range is not a multiple of the step', () => {
    const answer = goalSeek(search(0, 10, 3), 0, (v) => 10 - v);
    expect(answer.value).toBe(10);
  });
});

/** Per-run totals of a fake forecast: costs per year and residential counts at the horizon. */
function fake(costs: number[][], residential: number[], budget?: number): ForecastResult {
  return {
    cost: {
      financialYears: costs.map((_, f) => ({
        label: `${2018 + f}/${19 + f}`,
        partial: f === 0,
        ...(budget !== undefined ? { budget } : {}),
      })),
    },
    runTotals: {
      financialYears: costs,
      horizonPopulation: { residential, agencyFoster: residential.map((x) => x * 2) },
      overflowTotal: [],
    },
  } as unknown as ForecastResult;
}

describe('goalMetric', () => {
  const result = fake(
    [
      [1, 2, 3, 4, 5],
      [10, 20, 30, 40, 50],
    ],
    [5, 1, 4, 2, 3],
    25,
  );
  const goal = (g: Partial<Goal>): Goal => GoalSchema.parse({ metric: 'cost', atMost: 0, ...g });

  it('measures cost in the first whole financial year at the requested probability', () => {
    expect(goalMetric(result, goal({ metric: 'cost' }))).toBe(30);
    expect(goalMetric(result, goal({ metric: 'cost', withProbability: 0.8 }))).toBeCloseTo(42, 12); // h = 3.2
    expect(goalMetric(result, goal({ metric: 'cost', financialYear: '2018/19' }))).toBe(3);
  });

  it('measures the chance over budget as the share of runs above it', () => {
    expect(goalMetric(result, goal({ metric: 'pOverBudget', atMost: 0.2 }))).toBe(0.6);
    expect(() => goalMetric(fake([[1], [2]], [1]), goal({ metric: 'pOverBudget' }))).toThrow(GoalNotMeasurable);
    expect(() => goalMetric(result, goal({ metric: 'cost', financialYear: '2030/31' }))).toThrow(
      /no financial year 2030\/31/,
    );
  });

  it('measures counts at the horizon', () => {
    expect(goalMetric(result, goal({ metric: 'residential' }))).toBe(3);
    expect(goalMetric(result, goal({ metric: 'agencyFoster', withProbability: 0.75 }))).toBe(8);
  });

  it('rejects goals that mix up probabilities and years', () => {
    expect(GoalSchema.safeParse({ metric: 'pOverBudget', atMost: 0.2, withProbability: 0.8 }).success).toBe(false);
    expect(GoalSchema.safeParse({ metric: 'pOverBudget', atMost: 3 }).success).toBe(false);
    expect(GoalSchema.safeParse({ metric: 'residential', atMost: 3, financialYear: '2019/20' }).success).toBe(false);
    expect(SearchSchema.safeParse({ path: 'capacity.recruitmentPerYear', min: 5, max: 5 }).success).toBe(false);
  });
});
