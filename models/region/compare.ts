/**
 * Comparisons and target searches with a regional base ("a regional recruitment hub of 30 households a year vs each
 * council on its own"). A variant is the regional base with overrides on a view of it whose councils are keyed by
 * code:
 *
 *   { "shared": { "fosterRecruitmentPerYear": 30, "fosterWeeklyCost": 650 },        // region-level settings
 *     "nts": { "regionalTransfersPerMonth": 8 }, "budgets": { "2019/20": 5e7 },
 *     "councils": { "E06000031": { "capacity": { "recruitmentPerYear": 4 } } } }   // a council's scenario
 *
 * and a sweep or a search moves one number of that view by its dotted path (`shared.fosterHouseholds`,
 * `councils.E06000031.capacity.recruitmentPerYear`). Every variant keeps the base's seed, runs, start and horizon, so
 * run r of each variant draws the same random numbers (common random numbers) and savings pair run by run. What a
 * variant keeps for the comparison is the usual outcome of the region's totals (models/compare.ts) plus a line per
 * council. Pure: the callers run the variants.
 */
import { financialYearStart, monthIndex } from '../calendar.js';
import type { ForecastResult } from '../result.js';
import { LIMITS, applyOverrides, type InputIssue, type ParseResult } from '../scenario.js';
import {
  type ComparisonSpec,
  outcomeOf,
  type PairedSavings,
  pairedSavings,
  pathExists,
  PAIRED_SETTINGS,
  summariseComparison,
  type VariantOutcome,
  type SweepNamer,
  variantDefs,
} from '../compare.js';
import { resolveRegion } from './resolve.js';
import type { RegionalForecastResult } from './result.js';
import { parseRegionalForecast, type RegionalForecastRequest } from './schema.js';
import { regionWorkUnits } from './shards.js';
import type { RegionalScenario } from './simulate.js';

/**
 * The most work a regional comparison or target search may queue: its regional forecasts (a comparison's variants,
 * base included, or a search's most evaluations) × the region's runs × children × months. Five times one scenario's
 * ceiling (LIMITS.childMonths): a committee's handful of options for a region of a few councils at 2,000 runs is far
 * below it.
 */
export const REGIONAL_COMPARISON_MAX_WORK = 5 * LIMITS.childMonths;

/**
 * The most per-run council costs a regional comparison may keep: its variants (base included) × councils ×
 * financial years × runs. Each council's line is paired with the base run by run, so every variant stores its
 * councils' cost in every run (whole pounds, ~9 bytes of JSON each) and the last variant to finish reads them all at
 * once: 1e7 is ~90 MB. That is 5 variants of a 200-council region at 2,000 runs over 5 financial years, or 100 of a
 * 10-council one.
 */
export const REGIONAL_COMPARISON_MAX_COUNCIL_RUN_COSTS = 1e7;

/** The per-run council costs one regional variant keeps: councils × financial years of its horizon × runs. */
export function councilRunCostCount(region: Pick<RegionalScenario, 'councils' | 'start' | 'horizonMonths' | 'runs'>) {
  const first = monthIndex(region.start);
  const years = financialYearStart(first + region.horizonMonths - 1) - financialYearStart(first) + 1;
  return {
    councils: region.councils.length,
    years,
    runs: region.runs,
    count: region.councils.length * years * region.runs,
  };
}

/**
 * Whether a regional comparison of these regions (its variants, base included) is too large to queue: its work
 * (REGIONAL_COMPARISON_MAX_WORK), then the per-run council costs its pairing keeps
 * (REGIONAL_COMPARISON_MAX_COUNCIL_RUN_COSTS). The issue names the request's `regionalBase.runs`; null when it fits.
 */
export function regionalComparisonSizeIssue(regions: readonly RegionalScenario[]): InputIssue | null {
  const too = (message: string): InputIssue => ({ path: 'regionalBase.runs', code: 'too_big', message });
  const work = regions.reduce((a, r) => a + regionWorkUnits(r), 0);
  if (work > REGIONAL_COMPARISON_MAX_WORK)
    return too(
      `${regions.length} variants (base included) of this region make ${work.toExponential(2)} child-months of work; at most ${REGIONAL_COMPARISON_MAX_WORK.toExponential(0)}: fewer runs, variants or councils`,
    );
  const kept = regions.map((r) => councilRunCostCount(r));
  const costs = kept.reduce((a, k) => a + k.count, 0);
  if (costs > REGIONAL_COMPARISON_MAX_COUNCIL_RUN_COSTS) {
    const { councils, years, runs } = kept[0]!;
    return too(
      `${regions.length} variants (base included) × ${councils} councils × ${years} financial years × ${runs} runs make ${costs.toExponential(2)} per-run council costs to pair; at most ${REGIONAL_COMPARISON_MAX_COUNCIL_RUN_COSTS.toExponential(0)}: fewer runs, variants or councils`,
    );
  }
  return null;
}

/** The regional base in its request form, every council with its scenario whole (as a regional forecast stores it). */
export type RegionalInputs = RegionalForecastRequest;

/** The view overrides apply to: the request with its councils keyed by code. */
export function regionalView(inputs: RegionalInputs): Record<string, unknown> {
  const { councils, ...rest } = inputs;
  return { ...rest, councils: Object.fromEntries(councils.map((c) => [c.code, c.scenario])) };
}

/** True when the dotted path names a number of the regional base (a sweep or a search moves only numbers). */
export function regionalPathExists(inputs: RegionalInputs, path: string): boolean {
  return pathExists(regionalView(inputs), path);
}

/**
 * The regional base with one variant's overrides, validated as a regional forecast. Problems name the variant's own
 * fields: `<at>.overrides.shared.fosterWeeklyCost`, `<at>.overrides.councils.E06000031.capacity.recruitmentPerYear`.
 */
export function applyRegionalOverrides(
  inputs: RegionalInputs,
  overrides: Record<string, unknown>,
  at: string,
): ParseResult<{ inputs: RegionalInputs; region: RegionalScenario }> {
  const issues: InputIssue[] = [];
  const notAllowed = (path: string, key: string) =>
    issues.push({
      path: `${at}.overrides.${path}`,
      code: 'not_allowed',
      message: `variants share the base ${key} (common random numbers)`,
    });
  for (const key of PAIRED_SETTINGS) if (key in overrides) notAllowed(key, key);
  const byCode = overrides.councils;
  const codes = new Set(inputs.councils.map((c) => c.code));
  if (byCode !== undefined) {
    if (byCode === null || typeof byCode !== 'object' || Array.isArray(byCode))
      issues.push({
        path: `${at}.overrides.councils`,
        code: 'invalid_type',
        message: 'must be an object of council codes: { "E06000031": { …scenario overrides } }',
      });
    else
      for (const [code, o] of Object.entries(byCode)) {
        if (!codes.has(code))
          issues.push({
            path: `${at}.overrides.councils.${code}`,
            code: 'unknown_council',
            message: `council ${code} is not in the regional base`,
          });
        else if (o !== null && typeof o === 'object')
          for (const key of PAIRED_SETTINGS) if (key in o) notAllowed(`councils.${code}.${key}`, key);
      }
  }
  if (issues.length) return { ok: false, issues };
  const view = applyOverrides(regionalView(inputs), overrides) as Record<string, unknown>;
  const scenarios = view.councils as Record<string, unknown>;
  const request = { ...view, councils: inputs.councils.map((c) => ({ code: c.code, scenario: scenarios[c.code] })) };
  const parsed = parseRegionalForecast(request);
  if (!parsed.ok)
    return {
      ok: false,
      issues: parsed.issues.map((i) => ({ ...i, path: `${at}.overrides.${viewPath(inputs, i.path)}` })),
    };
  const resolved = resolveRegion(parsed.value);
  if (!resolved.ok)
    return {
      ok: false,
      issues: resolved.issues.map((i) => ({ ...i, path: `${at}.overrides.${viewPath(inputs, i.path)}` })),
    };
  return { ok: true, value: { inputs: parsed.value, region: resolved.value } };
}

/** A request path (`councils.1.scenario.costs.x`) as the view's (`councils.E10000003.costs.x`). */
function viewPath(inputs: RegionalInputs, path: string): string {
  const m = /^councils\.(\d+)(?:\.scenario)?(\..*)?$/.exec(path);
  if (!m) return path;
  const code = inputs.councils[Number(m[1])]?.code ?? m[1];
  return `councils.${code}${m[2] ?? ''}`;
}

/** One variant of a regional comparison: its request form (stored) and what distinguishes it. */
export interface RegionalVariantPlan {
  name: string;
  isBase: boolean;
  overrides: Record<string, unknown>;
  path?: string;
  value?: number;
  inputs: RegionalInputs;
  region: RegionalScenario;
}

/** Every variant from a resolved regional base (index 0 is the base itself), as planComparison does for a council. */
export function planRegionalComparison(
  base: RegionalInputs,
  spec: ComparisonSpec,
  sweepName?: SweepNamer,
): ParseResult<RegionalVariantPlan[]> {
  const resolvedBase = applyRegionalOverrides(base, {}, 'regionalBase');
  if (!resolvedBase.ok) return resolvedBase;
  const plans: RegionalVariantPlan[] = [
    { name: 'Base', isBase: true, overrides: {}, inputs: base, region: resolvedBase.value.region },
  ];
  const issues: InputIssue[] = [];
  if ('sweep' in spec && !regionalPathExists(base, spec.sweep.path))
    return {
      ok: false,
      issues: [
        {
          path: 'sweep.path',
          code: 'unknown_path',
          message: `"${spec.sweep.path}" is not a number in the regional base (shared.…, nts.…, budgets.…, councils.<code>.…)`,
        },
      ],
    };
  for (const d of variantDefs(spec, issues, sweepName)) {
    const applied = applyRegionalOverrides(base, d.overrides, d.at);
    if (!applied.ok) {
      issues.push(...applied.issues);
      continue;
    }
    plans.push({
      name: d.name,
      isBase: false,
      overrides: d.overrides,
      ...(d.path !== undefined ? { path: d.path } : {}),
      ...(d.value !== undefined ? { value: d.value } : {}),
      ...applied.value,
    });
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: plans };
}

/** A council's line in a regional variant's outcome: its cost by financial year and children at the horizon. */
export interface CouncilLine {
  code: string;
  financialYears: { label: string; mean: number; p10: number; p50: number; p90: number }[];
  /** children in care at the horizon */
  horizonTotal: { p10: number; p50: number; p90: number };
}

/** What a variant keeps of a council for the comparison: its line, and its cost in each run for the pairing. */
export interface CouncilOutcome extends CouncilLine {
  /** runCosts[f][r]: the council's pounds in financial year f of run r (whole pounds, as the region's) */
  runCosts: number[][];
}

/** What a regional variant keeps: the usual outcome of the region's totals, and a line per council. */
export interface RegionalVariantOutcome extends VariantOutcome {
  councils: CouncilOutcome[];
}

/**
 * The region's totals in the shape of a council's forecast, for what reads a forecast's cost by financial year and
 * per-run totals (outcomeOf, goalMetric). The region has no in-house overflow and no per-run counts of its own.
 */
export function regionAsForecast(result: RegionalForecastResult): ForecastResult {
  return {
    months: result.months,
    runs: result.runs,
    seed: result.seed,
    population: result.region.population,
    cost: result.region.cost,
    ...(result.runTotals ? { runTotals: { financialYears: result.runTotals.financialYears } } : {}),
  } as unknown as ForecastResult;
}

/** Goals a regional target search may set: on the region's total cost (counts have no per-run regional totals). */
export const REGIONAL_GOAL_METRICS = ['cost', 'pOverBudget'] as const;

/** Keep what a comparison needs from a regional forecast run with `collectRunTotals`. */
export function regionalOutcomeOf(
  plan: Pick<RegionalVariantPlan, 'name' | 'isBase' | 'path' | 'value'>,
  result: RegionalForecastResult,
): RegionalVariantOutcome {
  if (!result.runTotals) throw new Error('a regional comparison variant must be run with collectRunTotals');
  const asForecast = regionAsForecast(result);
  const last = result.months.length - 1;
  const councils = result.councilOrder.map((code): CouncilOutcome => {
    const r = result.councils[code]!;
    if (!r.runTotals) throw new Error(`council ${code} of a regional comparison variant has no per-run totals`);
    const t = r.population.total;
    return {
      code,
      financialYears: r.cost.financialYears.map((f) => ({
        label: f.label,
        mean: f.mean,
        p10: f.p10,
        p50: f.p50,
        p90: f.p90,
      })),
      horizonTotal: { p10: t.p10[last] ?? 0, p50: t.p50[last] ?? 0, p90: t.p90[last] ?? 0 },
      runCosts: r.runTotals.financialYears.map((runs) => runs.map((x) => Math.round(x))),
    };
  });
  return { ...outcomeOf(plan, asForecast), councils };
}

/**
 * A council's line in a regional comparison. Its saving against the base is paired run by run exactly as the region's
 * is (the council's cost in run r of the base minus in run r of the variant: common random numbers), so a line has
 * the region's figures: mean, SD, SE = SD/√runs, P10–P90 and the share of runs in which the council costs less.
 */
export interface CouncilLineSummary extends CouncilLine {
  /** null for the base */
  saving: PairedSavings | null;
}

/**
 * The comparison of regional variants: the region's totals paired run by run (summariseComparison: savings by
 * financial year and over the horizon with their uncertainty, chance over the regional budget), and each council's
 * line paired the same way.
 */
export function summariseRegionalComparison(outcomes: readonly RegionalVariantOutcome[]) {
  const summary = summariseComparison(outcomes);
  const base = outcomes.find((o) => o.isBase)!;
  const baseLines = new Map(base.councils.map((c) => [c.code, c]));
  const labels = summary.financialYears;
  return {
    ...summary,
    regional: true as const,
    variants: summary.variants.map((v, i) => ({
      ...v,
      councils: outcomes[i]!.councils.map(({ runCosts, ...line }): CouncilLineSummary => {
        if (outcomes[i]!.isBase) return { ...line, saving: null };
        const b = baseLines.get(line.code);
        if (!b) throw new Error(`council ${line.code} of variant "${v.name}" is not in the base: it cannot be paired`);
        // an outcome stored before councils' per-run costs were kept (a comparison running across that upgrade)
        if (!b.runCosts || !runCosts)
          throw new Error(`council ${line.code} has no per-run costs to pair: run the comparison again`);
        return { ...line, saving: pairedSavings(labels, b.runCosts, runCosts) };
      }),
    })),
  };
}
