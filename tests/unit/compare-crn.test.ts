/**
 * Common random numbers with the real engine on the shipped Peterborough scenario: the paired saving of a variant is
 * far less noisy than the difference of two independent forecasts, and it agrees with it on the mean.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '#models/engine';
import { parseScenario, type Scenario } from '#models/scenario';
import {
  describeSample,
  horizonCostPerRun,
  outcomeOf,
  pairedDifference,
  planComparison,
  summariseComparison,
  type ComparisonSummary,
} from '#models/compare';
import { DEFAULT_SCENARIO_PATH } from '#models/defaults';
import { sweepName } from '../../web/js/input-labels.js';

const RUNS = 1000;

function base(runs = RUNS): Scenario {
  const p = parseScenario({ ...JSON.parse(readFileSync(DEFAULT_SCENARIO_PATH, 'utf8')), runs, seed: 2024 });
  if (!p.ok) throw new Error(JSON.stringify(p.issues));
  return p.value;
}

describe('common random numbers across comparison variants', () => {
  let summary: ComparisonSummary;
  let independentSaving: ReturnType<typeof describeSample>;

  beforeAll(() => {
    const plan = planComparison(base(), { sweep: { path: 'capacity.recruitmentPerYear', values: [0, 24] } }, sweepName);
    if (!plan.ok) throw new Error(JSON.stringify(plan.issues));
    const outcomes = plan.value.map((p) => outcomeOf(p, simulate(p.scenario, { collectRunTotals: true })));
    summary = summariseComparison(outcomes);
    // The same variant (24 a year) with a different seed: its runs share no randomness with the base's.
    const independent = simulate(
      { ...(plan.value[2] as { scenario: Scenario }).scenario, seed: 99 },
      { collectRunTotals: true },
    );
    independentSaving = describeSample(
      pairedDifference(
        horizonCostPerRun(outcomes[0]!.runCosts),
        horizonCostPerRun(independent.runTotals!.financialYears.map((y) => y.map(Math.round))),
      ),
    );
  });

  it('makes the SD of the paired saving less than half that of independent runs', () => {
    const paired = summary.variants[2]!.saving!.horizon;
    const ratio = paired.sd / independentSaving.sd;
    // A sample SD from n runs has a relative standard error of about 1/√(2(n−1)); the ratio of two independent SDs
    // about 1/√(n−1) ≈ 3.2% at n = 1000. Asking that the ratio stay below 0.5 even after adding 4 standard errors
    // (room for the heavy right tail of residential costs) keeps chance failures out while a real loss of pairing (ratio near 1) still fails by far.
    const seRatio = ratio / Math.sqrt(RUNS - 1);
    expect(ratio + 4 * seRatio).toBeLessThan(0.5);
    console.log(
      `paired saving SD £${Math.round(paired.sd)} vs independent £${Math.round(independentSaving.sd)}: ratio ${ratio.toFixed(3)} ± ${seRatio.toFixed(3)}`,
    );
  });

  it('agrees with independent runs on the mean saving, within their standard errors', () => {
    const paired = summary.variants[2]!.saving!.horizon;
    const se = Math.sqrt(paired.se ** 2 + independentSaving.se ** 2);
    expect(Math.abs(paired.mean - independentSaving.mean)).toBeLessThan(4 * se);
  });

  it('saves money with more recruitment and costs money with none, each by more than 4 standard errors', () => {
    const none = summary.variants[1]!.saving!.horizon;
    const more = summary.variants[2]!.saving!.horizon;
    expect(summary.variants.map((v) => v.name)).toEqual([
      'Base',
      '0 new carer households a year',
      '24 new carer households a year',
    ]);
    expect(none.mean).toBeLessThan(-4 * none.se);
    expect(more.mean).toBeGreaterThan(4 * more.se);
    // with no recruitment the in-house service shrinks, so more children overflow into agency and residential
    expect(summary.variants[1]!.horizon.agencyFoster.p50).toBeGreaterThan(
      summary.variants[0]!.horizon.agencyFoster.p50,
    );
  });
});

describe('common random numbers when a variant changes only a cost', () => {
  it('a residential price fixed where the base has a range: the same children, run by run; only the money moves', () => {
    // The spell's weekly cost is drawn from the child's own cost stream, never from the stream of its events, so a
    // variant that fixes the range draws nothing different for any child's moves, exits or entries.
    const b = { ...base(300), horizonMonths: 36 };
    expect(typeof b.costs.weekly.residential).toBe('object'); // a {min, mode, max} range in the shipped scenario
    const fixed: Scenario = { ...b, costs: { ...b.costs, weekly: { ...b.costs.weekly, residential: 4500 } } };
    const rb = simulate(b, { collectRunTotals: true });
    const rf = simulate(fixed, { collectRunTotals: true });
    expect(rf.runTotals!.horizonPopulation).toEqual(rb.runTotals!.horizonPopulation);
    expect(rf.runTotals!.overflowTotal).toEqual(rb.runTotals!.overflowTotal);
    expect(rf.population).toEqual(rb.population);
    expect(rf.exits).toEqual(rb.exits);
    // …while the money differs in every run: each residential child-month now costs £4,500 a week
    const cost = (r: typeof rb) => r.runTotals!.financialYears[1]!;
    expect(cost(rf).every((c, i) => c !== cost(rb)[i])).toBe(true);
  });
});
