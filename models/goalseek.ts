/**
 * Goal seeking: the smallest value of one scenario parameter (e.g. in-house carer households recruited per year) that
 * meets a goal ("at most 20% chance of overspending 2020/21", "at most 30 children in residential with 80% probability").
 * Every value is run with the same seed, so the engine's common random numbers make the curve of the metric over
 * the values as smooth as the model itself: where the model is monotone, so is the curve, and bisection is sound.
 * Pure: the caller passes `evaluate` (which runs the engine); this module only decides which values to try.
 */
import * as z from 'zod';
import { FY_RE, financialYearLabel, financialYearStart, monthIndex } from './calendar.js';
import { quantileSorted } from './compare.js';
import type { ForecastResult } from './result.js';

export const GOAL_METRICS = ['pOverBudget', 'residential', 'agencyFoster', 'cost'] as const;
export type GoalMetric = (typeof GOAL_METRICS)[number];

export const SearchSchema = z
  .object({
    path: z.string().regex(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/, {
      error: 'must be a dotted path such as "capacity.recruitmentPerYear"',
    }),
    // far beyond any council's figure; a range up to 1e21 would size the engine's arrays past memory
    min: z.number().min(-1e9, { error: 'must be ≥ -1e9' }).max(1e9, { error: 'must be ≤ 1e9' }),
    max: z.number().min(-1e9, { error: 'must be ≥ -1e9' }).max(1e9, { error: 'must be ≤ 1e9' }),
    /** resolution of the answer; default 1 when min and max are whole numbers, else 1/100 of the range */
    step: z.number().gt(0, { error: 'must be > 0' }).optional(),
  })
  .refine((s) => s.min < s.max, { error: 'min must be below max', path: ['max'] })
  .refine((s) => s.step === undefined || (s.max - s.min) / s.step <= 10_000, {
    error: 'step is too small for the range (more than 10,000 steps)',
    path: ['step'],
  });

export const GoalSchema = z
  .object({
    metric: z.enum(GOAL_METRICS),
    /** for cost and pOverBudget; default: the first whole financial year of the forecast */
    financialYear: z.string().regex(FY_RE, { error: 'must be a financial year "YYYY/YY"' }).optional(),
    atMost: z.number().min(0, { error: 'must be ≥ 0' }),
    /** for counts and cost: the goal must hold with this probability (the quantile compared); default 0.5 */
    withProbability: z.number().gt(0, { error: 'must be > 0' }).lt(1, { error: 'must be < 1' }).optional(),
  })
  .refine((g) => !(g.metric === 'pOverBudget' && g.withProbability !== undefined), {
    error:
      'pOverBudget is itself a probability: give atMost (e.g. 0.2 for an 80% chance of staying within budget), not withProbability',
    path: ['withProbability'],
  })
  .refine((g) => g.metric !== 'pOverBudget' || g.atMost <= 1, { error: 'a probability must be ≤ 1', path: ['atMost'] })
  .refine((g) => !((g.metric === 'residential' || g.metric === 'agencyFoster') && g.financialYear !== undefined), {
    error: 'counts are measured at the forecast horizon: leave financialYear out',
    path: ['financialYear'],
  });

export const TargetSpecSchema = z.object({ search: SearchSchema, goal: GoalSchema });
export type SearchSpec = z.output<typeof SearchSchema>;
export type Goal = z.output<typeof GoalSchema>;
export type TargetSpec = z.output<typeof TargetSpecSchema>;

/** The financial year a cost goal refers to: the one named, else the first whole year of the forecast. */
export function goalFinancialYear(result: Pick<ForecastResult, 'cost'>, goal: Goal): string {
  if (goal.financialYear) return goal.financialYear;
  const years = result.cost.financialYears;
  return (years.find((f) => !f.partial) ?? years[0])?.label ?? '';
}

/** Why a goal cannot be measured on a forecast (no such year, no budget): a problem with the request, not the run. */
export class GoalNotMeasurable extends Error {}

/**
 * Whether a goal can be measured on a scenario's forecast, known before any run: the financial year it names is in
 * the forecast (by default the first whole year), and a chance of overspending has a budget for that year. A message
 * for people, or undefined when it can be measured. The same rules as `goalMetric` applies to a result.
 */
export function goalProblem(
  scenario: { start: string; horizonMonths: number; budgets: Record<string, unknown> },
  goal: Goal,
): string | undefined {
  if (goal.metric === 'residential' || goal.metric === 'agencyFoster') return undefined;
  const first = monthIndex(scenario.start);
  const years = new Map<string, number>();
  for (let t = 0; t < scenario.horizonMonths; t++) {
    const label = financialYearLabel(financialYearStart(first + t));
    years.set(label, (years.get(label) ?? 0) + 1);
  }
  const whole = [...years].find(([, months]) => months >= 12)?.[0];
  const label = goal.financialYear ?? whole ?? [...years.keys()][0] ?? '';
  if (!years.has(label)) return `the forecast has no financial year ${label}`;
  if (goal.metric === 'pOverBudget' && scenario.budgets[label] === undefined)
    return `the scenario sets no budget for ${label}`;
  return undefined;
}

/**
 * The metric of a goal on one forecast (run with `collectRunTotals`). Lower is better for every metric, so "meets the
 * goal" is always metric ≤ atMost.
 */
export function goalMetric(result: ForecastResult, goal: Goal): number {
  const totals = result.runTotals;
  if (!totals) throw new Error('goal seeking needs a forecast run with collectRunTotals');
  const p = goal.withProbability ?? 0.5;
  if (goal.metric === 'residential' || goal.metric === 'agencyFoster') {
    return quantileSorted(
      [...totals.horizonPopulation[goal.metric]].sort((a, b) => a - b),
      p,
    );
  }
  const label = goalFinancialYear(result, goal);
  const f = result.cost.financialYears.findIndex((y) => y.label === label);
  const runs = totals.financialYears[f];
  if (f < 0 || !runs) throw new GoalNotMeasurable(`the forecast has no financial year ${label}`);
  if (goal.metric === 'cost')
    return quantileSorted(
      [...runs].sort((a, b) => a - b),
      p,
    );
  const budget = result.cost.financialYears[f]?.budget;
  if (budget === undefined) throw new GoalNotMeasurable(`the scenario sets no budget for ${label}`);
  return runs.filter((c) => c > budget).length / runs.length;
}

export interface CurvePoint {
  value: number;
  metric: number;
  meets: boolean;
}

export interface TargetAnswer {
  reachable: boolean;
  /** the smallest value tried that meets the goal (to within `step`); absent when not reachable */
  value?: number;
  metricAtValue?: number;
  /** "not reachable within the range" and the best the range achieves, for people */
  message: string;
  step: number;
  /** every value tried, in increasing order */
  curve: CurvePoint[];
  /** false when the curve goes up somewhere: the answer is then the smallest value found, not necessarily unique */
  monotone: boolean;
}

export function defaultStep(search: Pick<SearchSpec, 'min' | 'max' | 'step'>): number {
  if (search.step !== undefined) return search.step;
  return Number.isInteger(search.min) && Number.isInteger(search.max) ? 1 : (search.max - search.min) / 100;
}

/** Coarse points tried before bisection, so the answer comes with a curve a person can read. */
const COARSE_POINTS = 5;

/** The most values goalSeek can try: 5 coarse points, then bisection inside a quarter of the range. */
export function maxEvaluations(spec: { search: Pick<SearchSpec, 'min' | 'max' | 'step'> }): number {
  const steps = Math.ceil((spec.search.max - spec.search.min) / defaultStep(spec.search));
  return COARSE_POINTS + Math.ceil(Math.log2(Math.max(2, Math.ceil(steps / 4))));
}

/**
 * Try a coarse grid over [min, max], then bisect between the last value that misses and the first that meets.
 * `evaluate` returns the goal metric for one value; it is called at most once per value.
 */
export function goalSeek(
  search: SearchSpec,
  atMost: number,
  evaluate: (value: number) => number,
  onProgress?: (evaluations: number) => void,
): TargetAnswer {
  const steps = goalSeekSteps(search, atMost, onProgress);
  let next = steps.next();
  while (!next.done) next = steps.next(evaluate(next.value));
  return next.value;
}

/** The same search with an asynchronous evaluation (a host that records progress between engine steps). */
export async function goalSeekAsync(
  search: SearchSpec,
  atMost: number,
  evaluate: (value: number) => Promise<number>,
  onProgress?: (evaluations: number) => void,
): Promise<TargetAnswer> {
  const steps = goalSeekSteps(search, atMost, onProgress);
  let next = steps.next();
  while (!next.done) next = steps.next(await evaluate(next.value));
  return next.value;
}

/** The search itself, as a coroutine: it yields each value to evaluate and receives the metric back. */
export function* goalSeekSteps(
  search: SearchSpec,
  atMost: number,
  onProgress?: (evaluations: number) => void,
): Generator<number, TargetAnswer, number> {
  const step = defaultStep(search);
  const last = Math.ceil((search.max - search.min) / step - 1e-9);
  // Whole-number grids stay whole; the last point is max itself even when the range is not a multiple of step.
  const valueAt = (k: number): number => (k >= last ? search.max : round12(search.min + k * step));
  const tried = new Map<number, CurvePoint>();
  const meetsAt = function* (k: number): Generator<number, boolean, number> {
    let point = tried.get(k);
    if (!point) {
      const value = valueAt(k);
      const metric: number = yield value;
      // A relative tolerance: metrics are money or counts, and rounding must not decide a tie.
      point = { value, metric, meets: metric <= atMost + 1e-9 * Math.max(1, Math.abs(atMost)) };
      tried.set(k, point);
      onProgress?.(tried.size);
    }
    return point.meets;
  };

  const coarse = [
    ...new Set(Array.from({ length: COARSE_POINTS }, (_, j) => Math.round((j * last) / (COARSE_POINTS - 1)))),
  ];
  let hi = -1;
  let lo = -1;
  for (const k of coarse) {
    if (yield* meetsAt(k)) {
      hi = k;
      break;
    }
    lo = k;
  }
  if (hi >= 0 && lo >= 0) {
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (yield* meetsAt(mid)) hi = mid;
      else lo = mid;
    }
  }
  const curve = [...tried.values()].sort((a, b) => a.value - b.value);
  const monotone = curve.every(
    (p, i) => i === 0 || p.metric <= (curve[i - 1] as CurvePoint).metric + 1e-9 * Math.max(1, Math.abs(p.metric)),
  );
  if (hi < 0) {
    const best = curve.reduce((a, b) => (b.metric < a.metric ? b : a));
    return {
      reachable: false,
      message: `not reachable within the range ${search.min}–${search.max}: the best value tried (${best.value}) gives ${fmt(best.metric)}, above the goal of ${fmt(atMost)}`,
      step,
      curve,
      monotone,
    };
  }
  const answer = tried.get(hi) as CurvePoint;
  return {
    reachable: true,
    value: answer.value,
    metricAtValue: answer.metric,
    message: `${answer.value} is the smallest value that meets the goal (${fmt(answer.metric)} ≤ ${fmt(atMost)})`,
    step,
    curve,
    monotone,
  };
}

const round12 = (x: number): number => Math.round(x * 1e12) / 1e12;
const fmt = (x: number): string =>
  Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-GB') : String(Math.round(x * 1000) / 1000);
