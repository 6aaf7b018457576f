/**
 * A dataset: a council's placement history after reading, cleaning and validation (models/ingest/), with its stock
 * at the data end, the rates estimated from it and the quality report. JSON-serialisable; this is what the service
 * stores. A forecast starts from it (scenarioFromDataset).
 */
import { addMonths, monthIndex } from './calendar.js';
import type { EstimateResult } from './estimate.js';
import type { QualityReport } from './ingest/quality.js';
import type { CleanChild } from './ingest/ssda903/clean.js';
import type { Category } from './placement.js';
import { applyOverrides, type ScenarioInput } from './scenario.js';
import { PETERBOROUGH_DEFAULTS } from './defaults.js';
import { lastFullMonth, stockByMonthOf, type StockAt, type StockMonth } from './stock.js';

export type { CleanChild, CleanEpisode } from './ingest/ssda903/clean.js';
export type { EstimateResult } from './estimate.js';

export interface Dataset {
  format: 'ssda903' | 'records';
  /** whole collection years for 903 returns; `source` says how they were found (year folders, a YEAR column, …) */
  period: { start: string; end: string; source?: string };
  counts: { children: number; episodes: number; rowsRead: number; rowsDropped: number };
  children: CleanChild[];
  stock: StockAt;
  initial: Array<{ ageMonths: number; category: Category; uasc: boolean; monthsInPlacement: number }>;
  estimate: EstimateResult;
  quality: QualityReport;
}

/** Identical children in one line (the scenario's `count`): a 350-child stock becomes a few hundred short lines. */
export function compactInitial(initial: Dataset['initial']): NonNullable<ScenarioInput['initial']> {
  const out: Array<Dataset['initial'][number] & { count: number }> = [];
  const index = new Map<string, number>();
  for (const c of initial) {
    const k = `${c.ageMonths}|${c.category}|${c.uasc}|${c.monthsInPlacement}`;
    const i = index.get(k);
    if (i === undefined) {
      index.set(k, out.length);
      out.push({ ...c, count: 1 });
    } else (out[i] as { count: number }).count++;
  }
  return out;
}

/**
 * A complete scenario from a dataset: its stock and rates, the Peterborough defaults for everything the data cannot
 * say (population, capacity, UASC rules, costs, budgets), then the caller's overrides. Starts the month after the data end.
 */
export function scenarioFromDataset(dataset: Dataset, overrides?: unknown): ScenarioInput {
  const start = addMonths(lastFullMonth(dataset.period.end), 1);
  const horizonMonths = 60;
  const d = PETERBOROUGH_DEFAULTS;
  const uascFlagged = dataset.initial.filter((c) => c.uasc).length;
  const base: ScenarioInput = {
    name: `From data to ${dataset.period.end}`,
    start,
    horizonMonths,
    runs: 2000,
    seed: 1,
    childPopulation: d.childPopulation,
    parameters: dataset.estimate.parameters,
    initial: compactInitial(dataset.initial),
    entries: d.entries,
    capacity: d.capacity,
    uasc: d.uasc ? { ...d.uasc, initial: uascFlagged } : null,
    costs: d.costs,
    budgets: d.budgets,
    uncertainty: d.uncertainty,
    sources: {
      parameters: `estimated from ${dataset.format === 'ssda903' ? 'SSDA903 returns' : 'placement records'} over ${dataset.estimate.window.from}..${dataset.estimate.window.to}`,
      initial: `children in care at ${dataset.period.end}`,
      'uasc.initial': `UASC in care at ${dataset.period.end}`,
      other: 'Peterborough defaults (models/defaults.ts)',
    },
  };
  const out = applyOverrides(base, overrides);
  // The defaults are priced at April 2018; a forecast that ends before then is priced at its own start instead.
  if (out.costs && monthIndex(out.costs.priceBase) > monthIndex(out.start) + out.horizonMonths)
    out.costs = { ...out.costs, priceBase: out.start };
  return out;
}

/** End-of-month stock (respite already excluded by cleaning), by default over the whole data period. */
export function stockByMonth(dataset: Dataset, from?: string, to?: string): StockMonth[] {
  return stockByMonthOf(
    dataset.children,
    from ?? dataset.period.start.slice(0, 7),
    to ?? lastFullMonth(dataset.period.end),
  );
}
