/**
 * The shape of a forecast result. Names are a contract with the API, the exports, the dashboard and external checks.
 * Every series is by forecast month (index i ↔ `months[i]`); counts are end-of-month; money is pounds (unrounded).
 */
import type { Category } from './placement.js';

/** Quantiles over Monte Carlo runs, one value per month. */
export interface Quantiles {
  mean: number[];
  p5: number[];
  p10: number[];
  p25: number[];
  p50: number[];
  p75: number[];
  p90: number[];
  p95: number[];
}

/** Quantiles of one scalar over runs. */
export interface ScalarQuantiles {
  mean: number;
  sd: number;
  p5: number;
  p10: number;
  p25: number;
  p50: number;
  p75: number;
  p90: number;
  p95: number;
}

export type Series = Category | 'total';

export interface FinancialYearCost extends ScalarQuantiles {
  label: string; // "2018/19"
  /** forecast months inside this financial year; < 12 when the horizon cuts it short */
  months: number;
  partial: boolean;
  byCategory: Record<Category, ScalarQuantiles>;
  budget?: number;
  /** 'net' when the budget is set net of UASC grant income (pOverBudget is then the chance the net cost is over it) */
  budgetBasis?: 'gross' | 'net';
  /** share of runs whose cost for the year is above the budget */
  pOverBudget?: number;
  /** Staying Put (care leavers, its own line; included in the year's gross cost above) */
  stayingPut?: ScalarQuantiles;
  /** UASC grant income from the Home Office */
  grantIncome?: ScalarQuantiles;
  /** gross cost − grant income, run by run */
  net?: ScalarQuantiles;
}

export interface ForecastResult {
  scenarioName: string;
  months: string[];
  runs: number;
  seed: number;
  population: Record<Series, Quantiles>;
  cost: {
    monthly: Record<Series, Quantiles>;
    financialYears: FinancialYearCost[];
    /** prices: pounds per week by category and financial year, for the record (triangular: the mean) */
    priceBase: string;
  };
  inHouse: {
    /** places = floor(households × places per household) */
    capacity: Quantiles;
    households: Quantiles;
    occupancy: Quantiles;
    /** children per month who were drawn into in-house fostering but sent elsewhere (no free place) */
    overflow: Quantiles;
    /** overflow summed over the horizon (children) */
    overflowTotal: ScalarQuantiles;
  } | null;
  uasc: {
    count: Quantiles;
    threshold: number[];
    /** share of runs in which the council is on the NTS rota (UASC count below threshold) at the end of the month */
    pOnRota: number[];
    transfers: Quantiles;
    spontaneous: Quantiles;
    referredOn: Quantiles;
  } | null;
  /** placement moves between categories per month (including overflow and step-across moves) */
  moves: Quantiles;
  /** entries per month (non-UASC + UASC arrivals who stay) */
  entries: Quantiles;
  /** exits per month (all reasons including 18th birthdays) */
  exits: Quantiles;
  /**
   * Per-run totals, only when asked for (comparisons pair runs across variants with common random numbers):
   * financialYears[f][r] = cost of financial year f in run r; horizon[category][r] = count at the horizon.
   */
  runTotals?: {
    financialYears: number[][];
    horizonPopulation: Record<Series, number[]>;
    overflowTotal: number[];
  };
  /**
   * What the runs drew beyond Monte Carlo noise (present only when something was): the inputs given as ranges (dotted
   * paths, each drawn once per run), the entry-rate and exit-rate drift used and the sibling-group sizes.
   */
  uncertainty?: {
    inputs: string[];
    parameters: boolean;
    /** the entry rate's drift used, when the scenario gives one and it is on (0 where the data did not support one) */
    entryDrift: { sdPerYear: number; startSd: number; basis?: string } | null;
    /** the exit rates' drift used, when the scenario gives one (0 where the data did not support one, or it was
     *  switched off: basis says which) */
    exitDrift?: { sdPerYear: number; startSd: number; basis?: string };
    entryGroups: { meanSize: number; basis?: string } | null;
  };
  /** Staying Put young people (care leavers, not in `population`): at the end of each month, starts, monthly cost */
  stayingPut?: { count: Quantiles; starts: Quantiles; cost: Quantiles } | null;
  /** UASC grant income by month */
  uascGrant?: { income: Quantiles } | null;
  /** every figure the forecast used, its value and its source (profile vN, inferred from data, example, override) */
  inputs?: Record<string, { value: unknown; source: string }>;
  /** the council and profile version the scenario was resolved with */
  council?: { code: string; name?: string; version?: number };
  warnings: string[];
  elapsedMs: number;
}
