/**
 * A dataset: a council's placement history after reading, cleaning and validation, with its stock at the data end,
 * the rates estimated from it and the quality report. JSON-serialisable; this is what the service stores.
 *
 * Strict mode (the default) keeps nothing when there is any error and returns the full list; lenient mode keeps the
 * valid rows and reports the rest. Warnings (repaired or dropped duplicates, ignored tables) never block.
 * Problems with a whole file (unreadable, unknown, a column missing) and a missing Header or Episodes table block in
 * both modes: there are no valid rows to keep.
 */
import { addMonths, monthIndex, monthFromIndex } from './calendar.js';
import type { Category } from './placement.js';
import { applyOverrides, type ScenarioInput } from './scenario.js';
import { PETERBOROUGH_DEFAULTS } from './defaults.js';
import { cleanRaw, type CleanChild } from './ssda903/clean.js';
import { readCsvText } from './ssda903/csv.js';
import { collectionYearEnd, collectionYearOf } from './ssda903/dates.js';
import type { RawData } from './ssda903/raw.js';
import { Ssda903Reader } from './ssda903/read.js';
import { DEFAULT_WINDOW_MONTHS, estimateFromChildren, type EstimateResult } from './estimate.js';
import { lastFullMonth, stockAt, stockByMonth, type StockAt } from './stock.js';

export { stockByMonth };
// JSON records are read by their own module and share everything after reading with the 903 path.
export { ingestRecords } from './records.js';
export type { CleanChild, CleanEpisode } from './ssda903/clean.js';
export type { EstimateResult } from './estimate.js';

export interface QualityProblem {
  file: string;
  row: number | null;
  column: string | null;
  code: string;
  message: string;
  /** 'dropped' | 'repaired: end set to next start' | 'merged' | 'none' */
  action: string;
  severity: 'error' | 'warning';
}

export interface QualityReport {
  problems: QualityProblem[];
  /** problems by code */
  counts: Record<string, number>;
  errors: number;
  warnings: number;
  /** what was read and how: "ignored table Reviews (reviews.csv)", "dates: dd/mm/yyyy", merges, respite */
  notes: string[];
}

export interface Dataset {
  format: 'ssda903' | 'records';
  period: { start: string; end: string };
  counts: { children: number; episodes: number; rowsRead: number; rowsDropped: number };
  children: CleanChild[];
  stock: StockAt;
  initial: Array<{ ageMonths: number; category: Category; uasc: boolean; monthsInPlacement: number }>;
  estimate: EstimateResult;
  quality: QualityReport;
}

export type IngestOutcome = { ok: true; dataset: Dataset } | { ok: false; report: QualityReport };

export interface IngestOptions {
  mode?: 'strict' | 'lenient';
  /** secret per council: child ids are kept only as salted hashes */
  salt: string;
  /** reference window for the rates, in months up to the data end (default 24) */
  windowMonths?: number;
}

/** Problems that make a file unusable as a whole: no row of it can be kept, whatever the mode. */
const FILE_LEVEL_CODES = new Set([
  'missing-column',
  'unknown-table',
  'empty-file',
  'encoding',
  'malformed-csv',
  'missing-table',
  'no-children',
  'bad-input',
]);

export function qualityReport(problems: QualityProblem[], notes: string[]): QualityReport {
  const counts: Record<string, number> = {};
  let errors = 0;
  for (const p of problems) {
    counts[p.code] = (counts[p.code] ?? 0) + 1;
    if (p.severity === 'error') errors++;
  }
  return { problems, counts, errors, warnings: problems.length - errors, notes };
}

/** SSDA903 CSV files held as strings (the service: files from a JSON body keyed header / episodes / uasc). */
export function ingestSsda903(files: Array<{ name: string; text: string }>, options: IngestOptions): IngestOutcome {
  const reader = new Ssda903Reader();
  for (const f of files) readCsvText(reader, f.name, f.text);
  return finishSsda903(reader.finish(), options);
}

/** The data period of 903 returns: whole collection years, from the YEAR column or the file names when given. */
export function ssda903Period(raw: RawData): { start: string; end: string; note: string | null } | null {
  if (raw.years.size > 0) {
    const years = [...raw.years].sort((a, b) => a - b);
    return { start: `${years[0]}-04-01`, end: collectionYearEnd(years[years.length - 1] as number), note: null };
  }
  if (raw.latestDate === null) return null;
  const y = collectionYearOf(raw.latestDate);
  return {
    start: `${y}-04-01`,
    end: collectionYearEnd(y),
    note: `no YEAR column or year in the file names: read as one collection year ending ${collectionYearEnd(y)}`,
  };
}

export function finishSsda903(raw: RawData, options: IngestOptions): IngestOutcome {
  const found = ssda903Period(raw);
  if (found?.note) raw.notes.push(found.note);
  return finishIngest('ssda903', raw, found ? { start: found.start, end: found.end } : null, options);
}

/** Shared by both formats once the rows are read: clean, validate, then stock and estimate. */
export function finishIngest(
  format: Dataset['format'],
  raw: RawData,
  period: { start: string; end: string } | null,
  options: IngestOptions,
): IngestOutcome {
  const mode = options.mode ?? 'strict';
  const fatal = () => raw.problems.some((p) => p.severity === 'error' && FILE_LEVEL_CODES.has(p.code));
  if (fatal() || period === null) {
    if (period === null && !fatal())
      raw.problems.push({
        file: '(all files)',
        row: null,
        column: null,
        code: 'no-children',
        message: 'no episodes to read',
        action: 'none',
        severity: 'error',
      });
    return { ok: false, report: qualityReport(raw.problems, raw.notes) };
  }
  const cleaned = cleanRaw(raw, { salt: options.salt, dataEnd: period.end });
  const problems = [...raw.problems, ...cleaned.problems];
  const notes = [...raw.notes, ...cleaned.notes];
  if (cleaned.children.length === 0)
    problems.push({
      file: '(all files)',
      row: null,
      column: null,
      code: 'no-children',
      message: 'no child has a valid episode',
      action: 'none',
      severity: 'error',
    });
  const report = () => qualityReport(problems, notes);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.some((p) => FILE_LEVEL_CODES.has(p.code)) || (mode === 'strict' && errors.length > 0))
    return { ok: false, report: report() };

  const atEnd = stockAt(cleaned.children, period.end);
  if (atEnd.over18 > 0)
    problems.push({
      file: '(all files)',
      row: null,
      column: null,
      code: 'over-18-in-stock',
      message: `${atEnd.over18} children in care at ${period.end} are 18 or over by their birth month: in the stock, left out of the forecast's initial list`,
      action: 'none',
      severity: 'warning',
    });
  const lastMonth = lastFullMonth(period.end);
  const window = Math.max(1, Math.floor(options.windowMonths ?? DEFAULT_WINDOW_MONTHS));
  const fromIndex = Math.max(monthIndex(lastMonth) - window + 1, monthIndex(period.start.slice(0, 7)));
  const estimate = estimateFromChildren(cleaned.children, monthFromIndex(fromIndex), lastMonth);
  const borrowed = estimate.tables.borrowedExitRates;
  if (borrowed.length > 0)
    notes.push(
      `exit rates borrowed from the category's rate over all ages for ${borrowed.length} band × category cells with no exposure: ${borrowed.join(', ')}`,
    );
  if (estimate.window.months < window)
    notes.push(`estimation window cut to ${estimate.window.months} months: the data starts ${period.start}`);
  const episodes = cleaned.children.reduce((n, c) => n + c.episodes.length, 0);
  const dataset: Dataset = {
    format,
    period,
    counts: {
      children: cleaned.children.length,
      episodes,
      rowsRead: raw.rowsRead,
      rowsDropped: raw.rowsDropped + cleaned.rowsDropped,
    },
    children: cleaned.children,
    stock: atEnd.stock,
    initial: atEnd.initial,
    estimate,
    quality: report(),
  };
  return { ok: true, dataset };
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
