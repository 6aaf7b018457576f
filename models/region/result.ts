/**
 * The shape of a regional forecast's result: each council's full forecast (the single-council result shape) and the
 * region's totals. Names are a contract with the API, the CLI and the dashboard.
 */
import type { ForecastResult, Quantiles, ScalarQuantiles, Series } from '../result.js';

export interface RegionalFinancialYear extends ScalarQuantiles {
  label: string;
  months: number;
  partial: boolean;
  budget?: number;
  /** share of runs whose regional total for the year is above the regional budget */
  pOverBudget?: number;
}

export interface RegionalUasc {
  /** UASC in care across the region at the end of each month */
  count: Quantiles;
  /** the NTS transfers arriving in the region each month (placed and not placed; without the rota, the councils' own) */
  arrivals: Quantiles;
  /** transfers no council could take without going above its threshold */
  notPlaced: Quantiles;
  notPlacedTotal: ScalarQuantiles;
  /** per council: transfers received over the horizon, and each month */
  transfersByCouncil: Record<string, { total: ScalarQuantiles; monthly: Quantiles }>;
}

export interface SharedPool {
  /** places commissioned (beds, or households × places per household for fostering) */
  places: Quantiles;
  occupancy: Quantiles;
  /** by financial year: the block cost of the places, occupied or not */
  cost: ScalarQuantiles[];
}

export interface RegionalShared {
  residential: SharedPool | null;
  foster: (SharedPool & { households: Quantiles }) | null;
  /**
   * by financial year: spot placements avoided (their weekly cost while the child stayed in the shared place) minus
   * the block cost of the shared places, occupied or not. Positive = the shared places saved money.
   */
  saving: (ScalarQuantiles & { label: string })[];
}

export interface RegionalForecastResult {
  name: string;
  months: string[];
  runs: number;
  seed: number;
  /** rota order: the councils as given */
  councilOrder: string[];
  councils: Record<string, ForecastResult>;
  region: {
    population: Record<Series, Quantiles>;
    cost: {
      /** the councils' placement costs plus the shared places' block cost */
      monthly: Quantiles;
      financialYears: RegionalFinancialYear[];
    };
    uasc: RegionalUasc | null;
    shared: RegionalShared | null;
  };
  /** per-run totals, only when asked for (comparisons pair runs across variants with common random numbers) */
  runTotals?: {
    /** financialYears[f][r]: the region's cost of financial year f in run r */
    financialYears: number[][];
    horizonTotal: number[];
  };
  warnings: string[];
  elapsedMs: number;
}
