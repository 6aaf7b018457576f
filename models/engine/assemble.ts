/** Result assembly: the recorder's summaries, the month and financial-year labels and the warnings, as a ForecastResult. */
import { weeklyCostMean } from '../costs.js';
import { CATEGORIES, type Category } from '../placement.js';
import type { FinancialYearCost, ForecastResult, Quantiles, ScalarQuantiles, Series } from '../result.js';
import type { Scenario, WeeklyCost } from '../scenario.js';
import { inputsOf } from '../council-inputs.js';
import { IN_HOUSE, NC } from './constants.js';
import type { Recorder } from './recorder.js';

export interface AssembleInput {
  scenario: Scenario;
  months: string[];
  recorder: Recorder;
  costs: (WeeklyCost | undefined)[];
  /** categories whose monthly cost has a sketch of its own */
  sketched: boolean[];
  charge: Float64Array;
  fyLabels: string[];
  fyMonths: Int32Array;
  budgets: (number | undefined)[];
  budgetNet: boolean[];
  ownCharge: (Float64Array | null)[];
  stayingPutWeekly: number | null;
  grantOn: boolean;
  /** UASC threshold by month (when UASC is on) */
  threshold: Int32Array | null;
  uncertainty: ForecastResult['uncertainty'];
  warnings: string[];
  elapsedMs: number;
}

export function assembleResult(x: AssembleInput): ForecastResult {
  const s = x.scenario;
  const rec = x.recorder;
  const R = s.runs;
  const seriesNames: Series[] = [...CATEGORIES, 'total'];
  const population = Object.fromEntries(seriesNames.map((name, k) => [name, rec.pop[k]!.summary()])) as Record<
    Series,
    Quantiles
  >;
  const monthly = {} as Record<Series, Quantiles>;
  CATEGORIES.forEach((name, k) => {
    monthly[name] = x.sketched[k]
      ? rec.costSketch[k]!.summary()
      : rec.pop[k]!.summary((t) => weeklyCostMean(x.costs[k]) * (x.ownCharge[k] ?? x.charge)[t]!);
  });
  monthly.total = rec.costTotal.summary();

  const financialYears: FinancialYearCost[] = x.fyLabels.map((label, f) => {
    const byCategory = Object.fromEntries(
      CATEGORIES.map((name, k) => [name, rec.fyCatSketch[f * NC + k]!.scalar()]),
    ) as Record<Category, ScalarQuantiles>;
    const fy: FinancialYearCost = {
      label,
      months: x.fyMonths[f]!,
      partial: x.fyMonths[f]! < 12,
      ...rec.fySketch[f]!.scalar(),
      byCategory,
    };
    const b = x.budgets[f];
    if (b !== undefined) {
      fy.budget = b;
      if (x.budgetNet[f]) fy.budgetBasis = 'net';
      fy.pOverBudget = rec.overBudget[f]! / R;
    }
    if (x.stayingPutWeekly !== null) fy.stayingPut = rec.fyStayingPut[f]!.scalar();
    if (x.grantOn) fy.grantIncome = rec.fyGrant[f]!.scalar();
    if (x.grantOn || x.stayingPutWeekly !== null) fy.net = rec.fyNet[f]!.scalar();
    return fy;
  });

  const warningsOut = [...(s.notes ?? []), ...x.warnings];
  if (s.budgets && x.budgetNet.some(Boolean) && !x.grantOn)
    warningsOut.push('a budget is set net of UASC grant income but uascGrant is null: the net cost is the gross cost');
  CATEGORIES.forEach((name, k) => {
    if (x.costs[k] === undefined && population[name].mean.some((v) => v > 0))
      warningsOut.push(`costs.weekly.${name} is not given: children in ${name} are costed at £0`);
  });
  for (const label of Object.keys(s.budgets)) {
    if (!x.fyLabels.includes(label))
      warningsOut.push(`budgets.${label} is outside the forecast horizon and was not used`);
  }

  const result: ForecastResult = {
    scenarioName: s.name,
    months: x.months,
    runs: R,
    seed: s.seed,
    population,
    cost: { monthly, financialYears, priceBase: s.costs.priceBase },
    inHouse: s.capacity
      ? {
          capacity: rec.places.summary(),
          households: rec.households.summary(),
          occupancy: population.inHouseFoster,
          overflow: rec.overflow.summary(),
          overflowTotal: rec.overflowTotal.scalar(),
        }
      : null,
    uasc:
      s.uasc && x.threshold
        ? {
            count: rec.uascCount.summary(),
            threshold: Array.from(x.threshold),
            pOnRota: Array.from(rec.onRota, (v) => v / R),
            transfers: rec.transfers.summary(),
            spontaneous: rec.spontaneous.summary(),
            referredOn: rec.referred.summary(),
          }
        : null,
    moves: rec.moves.summary(),
    entries: rec.entries.summary(),
    exits: rec.exits.summary(),
    ...(x.uncertainty ? { uncertainty: x.uncertainty } : {}),
    ...(x.stayingPutWeekly !== null
      ? {
          stayingPut: {
            count: rec.stayingPut.summary(),
            starts: rec.stayingPutStarts.summary(),
            // each run's own cost where its charge varies between runs (inflation drawn), as its year's figure is;
            // else the count × the charge of in-house fostering (its own inflation, else the overall rate)
            cost: rec.stayingPutMonthly
              ? rec.stayingPutMonthly.summary()
              : rec.stayingPut.summary((t) => (x.stayingPutWeekly ?? 0) * (x.ownCharge[IN_HOUSE] ?? x.charge)[t]!),
          },
        }
      : {}),
    ...(rec.grantMonthly ? { uascGrant: { income: rec.grantMonthly.summary() } } : {}),
    inputs: inputsOf(s),
    ...(s.council ? { council: s.council } : {}),
    warnings: warningsOut,
    elapsedMs: x.elapsedMs,
  };
  const totals = rec.runTotals;
  if (totals) {
    result.runTotals = {
      financialYears: totals.financialYears.map((a) => Array.from(a)),
      horizonPopulation: Object.fromEntries(
        seriesNames.map((name, k) => [name, Array.from(totals.horizonPopulation[k]!)]),
      ) as Record<Series, number[]>,
      overflowTotal: Array.from(totals.overflowTotal),
    };
  }
  return result;
}
