/**
 * A dataset: a council's placement history after reading, cleaning and validation (models/ingest/), with its stock
 * at the data end, the rates estimated from it and the quality report. JSON-serialisable; this is what the service
 * stores. A forecast starts from it (models/council-resolve.ts).
 */
import type { EstimateResult } from './estimate.js';
import type { QualityReport } from './ingest/quality.js';
import type { CleanChild } from './ingest/ssda903/clean.js';
import type { Category } from './placement.js';
import type { ScenarioInput } from './scenario.js';
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

// The scenario a dataset makes (with its council profile, examples and overrides): models/council-resolve.ts.

/** End-of-month stock (respite already excluded by cleaning), by default over the whole data period. */
export function stockByMonth(dataset: Dataset, from?: string, to?: string): StockMonth[] {
  return stockByMonthOf(
    dataset.children,
    from ?? dataset.period.start.slice(0, 7),
    to ?? lastFullMonth(dataset.period.end),
  );
}
