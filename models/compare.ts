/**
 * Comparisons: several variants of one scenario, run with the same seed so that the engine's common random numbers
 * pair run r of one variant with run r of another. The saving of a variant against the base is then the distribution
 * of the paired difference (base − variant) run by run, which is far less noisy than the difference of two
 * independent forecasts: the shared randomness (who enters, who leaves, what each placement costs) cancels.
 * Pure: no engine call here — callers run the variants (one queue message each) and hand the compact outcomes back.
 */
import * as z from 'zod';
import { CATEGORIES } from './placement.js';
import {
  applyOverrides,
  label,
  parseScenario,
  setPath,
  type InputIssue,
  type ParseResult,
  type Scenario,
} from './scenario.js';
import type { ForecastResult, Series } from './result.js';

export const SERIES: readonly Series[] = [...CATEGORIES, 'total'];

const name = label(100);
const dottedPath = z.string().regex(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/, {
  error: 'must be a dotted path such as "capacity.recruitmentPerYear"',
});

/**
 * A number a request may carry for a parameter (sweep values): finite, at most 1e9 in magnitude and 0 or at least
 * 1e-9 — far beyond any council's figure, and always a number the store can keep.
 */
const boundedNumber = z.number().refine((v) => Math.abs(v) <= 1e9 && (v === 0 || Math.abs(v) >= 1e-9), {
  error: 'must be 0 or between 1e-9 and 1e9 in magnitude',
});

export const VariantSpecSchema = z.object({
  name,
  overrides: z.record(z.string(), z.unknown()).default({}),
});

export const SweepSpecSchema = z.object({
  path: dottedPath,
  values: z.array(boundedNumber).min(1, { error: 'needs at least one value' }).max(50, { error: 'at most 50 values' }),
});

/** Either named variants or a sweep of one parameter (never both). */
export const ComparisonSpecSchema = z.union([
  z
    .object({
      variants: z
        .array(VariantSpecSchema)
        .min(1, { error: 'needs at least one variant' })
        .max(50, { error: 'at most 50 variants' }),
    })
    .strict(),
  z.object({ sweep: SweepSpecSchema }).strict(),
]);
export type ComparisonSpec = z.output<typeof ComparisonSpecSchema>;

/** One variant to run: its resolved scenario (same seed and runs as the base) and what distinguishes it. */
export interface VariantPlan {
  name: string;
  /** index 0 is the base itself */
  isBase: boolean;
  overrides: Record<string, unknown>;
  path?: string;
  value?: number;
  scenario: Scenario;
}

/**
 * How a sweep's variants are named: the API passes plain words (web/js/input-labels.js `sweepName`: "24 new carer
 * households a year", "Weekly cost, residential (£ a week): £4,500"); without one, the dotted path and the value.
 */
export type SweepNamer = (path: string, value: number) => string;
export const pathEqualsValue: SweepNamer = (path, value) => `${path} = ${value}`;

/** One variant as the request gives it (named, or one value of a sweep), with where its problems are reported. */
export interface VariantDef {
  name: string;
  overrides: Record<string, unknown>;
  path?: string;
  value?: number;
  at: string;
}

/**
 * The variants of a spec, in order: named ones as given, a sweep's as one override per value. A name used twice
 * (or "Base") is an issue pushed to `issues`. Shared by a council's comparison and a region's (./region/compare.ts).
 */
export function variantDefs(
  spec: ComparisonSpec,
  issues: InputIssue[],
  sweepName: SweepNamer = pathEqualsValue,
): VariantDef[] {
  // two values a paper prints alike (0.1234 and 0.1235 as "12.3%") keep their exact values in their names
  const named = 'sweep' in spec ? spec.sweep.values.map((v) => sweepName(spec.sweep.path, v)) : [];
  const sweepNames =
    'sweep' in spec && new Set(named).size !== named.length
      ? spec.sweep.values.map((v) => pathEqualsValue(spec.sweep.path, v))
      : named;
  const defs: VariantDef[] =
    'variants' in spec
      ? spec.variants.map((v, i) => ({ name: v.name, overrides: v.overrides, at: `variants.${i}` }))
      : spec.sweep.values.map((value, i) => ({
          name: sweepNames[i]!,
          overrides: setPath({} as Record<string, unknown>, spec.sweep.path, value),
          path: spec.sweep.path,
          value,
          at: `sweep.values.${i}`,
        }));
  const names = new Set(['Base']);
  for (const d of defs) {
    if (names.has(d.name))
      issues.push({ path: `${d.at}.name`, code: 'duplicate', message: `variant name "${d.name}" is used twice` });
    names.add(d.name);
  }
  return defs;
}

/**
 * Settings a variant may not change: they are what pairs its runs with the base's (the same random streams, run by
 * run, and the same months and financial years).
 */
export const PAIRED_SETTINGS = ['seed', 'runs', 'start', 'horizonMonths'] as const;

/**
 * Resolve every variant from a parsed base scenario. The base runs as variant 0 so savings have a reference run with
 * the same random streams. Variants may not change PAIRED_SETTINGS: that would break the pairing. `sweepName` names a
 * sweep's variants.
 */
export function planComparison(
  base: Scenario,
  spec: ComparisonSpec,
  sweepName?: SweepNamer,
): ParseResult<VariantPlan[]> {
  const plans: VariantPlan[] = [{ name: 'Base', isBase: true, overrides: {}, scenario: base }];
  const issues: InputIssue[] = [];
  for (const d of variantDefs(spec, issues, sweepName)) {
    for (const key of PAIRED_SETTINGS) {
      if (key in d.overrides)
        issues.push({
          path: `${d.at}.overrides.${key}`,
          code: 'not_allowed',
          message: `variants share the base ${key} (common random numbers)`,
        });
    }
    if (d.path !== undefined && !pathExists(base, d.path))
      issues.push({
        path: 'sweep.path',
        code: 'unknown_path',
        message: `"${d.path}" is not a number in the base scenario`,
      });
    const parsed = parseScenario(applyOverrides(base, d.overrides), { strict: true });
    if (!parsed.ok) {
      for (const i of parsed.issues) issues.push({ ...i, path: `${d.at}.${i.path}` });
      continue;
    }
    plans.push({
      name: d.name,
      isBase: false,
      overrides: d.overrides,
      path: d.path,
      value: d.value,
      scenario: parsed.value,
    });
  }
  // A sweep over a path that does not exist would silently add a new key the engine ignores: report it once.
  const unique = issues.filter((i, k) => issues.findIndex((j) => j.path === i.path && j.message === i.message) === k);
  return unique.length ? { ok: false, issues: unique } : { ok: true, value: plans };
}

/** True when the dotted path names a number in the scenario (sweeps and goal seeking only move numbers). */
export function pathExists(scenario: unknown, path: string): boolean {
  let cur: unknown = scenario;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(k in (cur as object))) return false;
    cur = (cur as Record<string, unknown>)[k];
  }
  // a number, or a range (models/uncertain.ts) that the sweep replaces with each fixed value
  return typeof cur === 'number' || (typeof cur === 'object' && cur !== null && ('mode' in cur || 'p10' in cur));
}

// ---------------------------------------------------------------------------------------------------------------
// What one variant run keeps: enough to summarise and export, plus the per-run totals needed for pairing.

export interface Band {
  p10: number;
  p50: number;
  p90: number;
}

export interface VariantOutcome {
  name: string;
  isBase: boolean;
  path?: string;
  value?: number;
  runs: number;
  seed: number;
  horizonMonth: string;
  /** children at the horizon by category and in total */
  horizon: Record<Series, Band>;
  /** children sent elsewhere for want of an in-house place, summed over the horizon; null without a capacity model */
  overflowTotal: (Band & { mean: number }) | null;
  financialYears: {
    label: string;
    months: number;
    partial: boolean;
    mean: number;
    p10: number;
    p50: number;
    p90: number;
    budget?: number;
    pOverBudget?: number;
    /** 'net' when the budget (and so pOverBudget) is of the cost net of UASC grant income */
    budgetBasis?: 'gross' | 'net';
    /** the cost net of UASC grant income, where the scenario has the grant or Staying Put */
    net?: Band;
  }[];
  /** runCosts[f][r]: pounds in financial year f of run r (rounded to whole pounds: pennies are noise here) */
  runCosts: number[][];
}

/** Keep what a comparison needs from one variant's forecast (which must have been run with `collectRunTotals`). */
export function outcomeOf(
  plan: Pick<VariantPlan, 'name' | 'isBase' | 'path' | 'value'>,
  result: ForecastResult,
): VariantOutcome {
  if (!result.runTotals) throw new Error('a comparison variant must be run with collectRunTotals');
  const last = result.months.length - 1;
  const at = (q: { p10: number[]; p50: number[]; p90: number[] }): Band => ({
    p10: q.p10[last] ?? 0,
    p50: q.p50[last] ?? 0,
    p90: q.p90[last] ?? 0,
  });
  const horizon = Object.fromEntries(SERIES.map((s) => [s, at(result.population[s])])) as Record<Series, Band>;
  const o = result.inHouse?.overflowTotal;
  return {
    name: plan.name,
    isBase: plan.isBase,
    ...(plan.path !== undefined ? { path: plan.path } : {}),
    ...(plan.value !== undefined ? { value: plan.value } : {}),
    runs: result.runs,
    seed: result.seed,
    horizonMonth: result.months[last] ?? '',
    horizon,
    overflowTotal: o ? { mean: o.mean, p10: o.p10, p50: o.p50, p90: o.p90 } : null,
    financialYears: result.cost.financialYears.map((f) => ({
      label: f.label,
      months: f.months,
      partial: f.partial,
      mean: f.mean,
      p10: f.p10,
      p50: f.p50,
      p90: f.p90,
      ...(f.budget !== undefined ? { budget: f.budget } : {}),
      ...(f.pOverBudget !== undefined ? { pOverBudget: f.pOverBudget } : {}),
      ...(f.budgetBasis !== undefined ? { budgetBasis: f.budgetBasis } : {}),
      ...(f.net ? { net: { p10: f.net.p10, p50: f.net.p50, p90: f.net.p90 } } : {}),
    })),
    runCosts: result.runTotals.financialYears.map((runs) => runs.map((x) => Math.round(x))),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics of a sample (small and local: the engine's own summary works on its internal buffers).

/** Linear interpolation between order statistics (R type 7), the definition spreadsheets use for PERCENTILE. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

export interface PairedSaving {
  mean: number;
  /** standard deviation of the per-run saving */
  sd: number;
  /** standard error of the mean saving (sd / √runs) */
  se: number;
  p10: number;
  p50: number;
  p90: number;
  /** share of runs in which the variant costs less than the base */
  pSaves: number;
}

export function describeSample(xs: readonly number[]): PairedSaving {
  const n = xs.length;
  if (n === 0)
    return {
      mean: Number.NaN,
      sd: Number.NaN,
      se: Number.NaN,
      p10: Number.NaN,
      p50: Number.NaN,
      p90: Number.NaN,
      pSaves: Number.NaN,
    };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const ss = xs.reduce((a, b) => a + (b - mean) * (b - mean), 0);
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return {
    mean,
    sd,
    se: sd / Math.sqrt(n),
    p10: quantileSorted(sorted, 0.1),
    p50: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    pSaves: xs.filter((x) => x > 0).length / n,
  };
}

/** Saving of `variant` against `base`, run by run: base − variant (positive = the variant is cheaper). */
export function pairedDifference(baseRuns: readonly number[], variantRuns: readonly number[]): number[] {
  if (baseRuns.length !== variantRuns.length)
    throw new Error(`paired runs differ in number (${baseRuns.length} vs ${variantRuns.length})`);
  return baseRuns.map((b, r) => b - (variantRuns[r] as number));
}

/** Sum over financial years per run: the cost of the whole horizon in each run. */
export function horizonCostPerRun(runCosts: readonly (readonly number[])[]): number[] {
  const runs = runCosts[0]?.length ?? 0;
  const out = new Array<number>(runs).fill(0);
  for (const year of runCosts) for (let r = 0; r < runs; r++) out[r] = (out[r] as number) + (year[r] as number);
  return out;
}

/** A variant's saving against the base, paired run by run: by financial year and over the whole horizon. */
export interface PairedSavings {
  financialYears: (PairedSaving & { label: string })[];
  /** over the whole horizon */
  horizon: PairedSaving;
}

/**
 * The paired savings of one set of per-run costs against the base's (`runCosts[f][r]`, the same runs of the same
 * seed): base − variant in each run, described by financial year and over the horizon. The region's totals and each
 * council's line of a regional comparison are paired by this one function.
 */
export function pairedSavings(
  labels: readonly string[],
  baseRunCosts: readonly (readonly number[])[],
  runCosts: readonly (readonly number[])[],
): PairedSavings {
  if (baseRunCosts.length !== labels.length || runCosts.length !== labels.length)
    throw new Error('per-run costs must have one row per financial year');
  return {
    financialYears: labels.map((label, f) => ({
      label,
      ...describeSample(pairedDifference(baseRunCosts[f] ?? [], runCosts[f] ?? [])),
    })),
    horizon: describeSample(pairedDifference(horizonCostPerRun(baseRunCosts), horizonCostPerRun(runCosts))),
  };
}

export interface VariantSummary extends Omit<VariantOutcome, 'runCosts'> {
  /** null for the base */
  saving: PairedSavings | null;
}

export interface ComparisonSummary {
  baseName: string;
  runs: number;
  seed: number;
  horizonMonth: string;
  financialYears: string[];
  variants: VariantSummary[];
}

/**
 * Pair every variant with the base run by run. Outcomes must share seed and number of runs, or the pairing is
 * meaningless: that is checked, not assumed.
 */
export function summariseComparison(outcomes: readonly VariantOutcome[]): ComparisonSummary {
  const base = outcomes.find((o) => o.isBase);
  if (!base) throw new Error('a comparison needs its base outcome');
  for (const o of outcomes) {
    if (o.seed !== base.seed || o.runs !== base.runs)
      throw new Error(`variant "${o.name}" was not run with the base seed and runs: it cannot be paired`);
    if (o.runCosts.length !== base.runCosts.length)
      throw new Error(`variant "${o.name}" has a different horizon from the base`);
  }
  const variants: VariantSummary[] = outcomes.map((o) => {
    const { runCosts, ...rest } = o;
    if (o.isBase) return { ...rest, saving: null };
    const labels = o.financialYears.map((f) => f.label);
    return { ...rest, saving: pairedSavings(labels, base.runCosts, runCosts) };
  });
  return {
    baseName: base.name,
    runs: base.runs,
    seed: base.seed,
    horizonMonth: base.horizonMonth,
    financialYears: base.financialYears.map((f) => f.label),
    variants,
  };
}
