/**
 * The pipeline that finishes an ingest, shared by both inputs once their rows are read: clean, validate, then the
 * stock at the data end and the rates estimated from it, with the quality report.
 *
 * Strict mode (the default) keeps nothing when there is any error and returns the full list; lenient mode keeps the
 * valid rows and reports the rest. Warnings (repaired or dropped duplicates, ignored tables) never block.
 * Problems with a whole file (unreadable, unknown, a column missing) and a missing Header or Episodes table block in
 * both modes: there are no valid rows to keep.
 */
import { financialYearLabel, monthEndDate, monthIndex, monthFromIndex } from '../calendar.js';
import type { Dataset } from '../dataset.js';
import { DEFAULT_WINDOW_MONTHS, estimateFromChildren } from '../estimate.js';
import { lastFullMonth, stockAt } from '../stock.js';
import { FILE_LEVEL_CODES, qualityReport, type QualityReport } from './quality.js';
import { cleanRaw } from './ssda903/clean.js';
import { readCsvText } from './ssda903/csv.js';
import { collectionYearEnd } from './ssda903/dates.js';
import type { RawData } from './ssda903/raw.js';
import { Ssda903Reader } from './ssda903/read.js';

/**
 * The share of episode rows that may be dropped for errors before lenient ingest refuses: past it, what is left is
 * not the council's history but a sample of it, and its stock and rates would be wrong without saying so.
 */
export const MAX_DROPPED_SHARE = 0.1;

export type IngestOutcome = { ok: true; dataset: Dataset } | { ok: false; report: QualityReport };

export interface IngestOptions {
  mode?: 'strict' | 'lenient';
  /** secret per council: child ids are kept only as salted hashes */
  salt: string;
  /**
   * The year of ingest, from the caller's clock (the API and the CLI pass the current year, tests a fixed one): it places
   * two-digit years in the hundred years up to ten after it (ssda903/dates.ts, `twoDigitYear`).
   */
  referenceYear: number;
  /**
   * The day of ingest (ISO), from the caller's clock like `referenceYear`: a return of a collection year that has not
   * ended yet (this year's data so far) ends the data at the last month end the data reaches, not at a 31 March to
   * come. Left out (tests of single rules), the period is the named years' whole.
   */
  today?: string;
  /** reference window for the rates, in months up to the data end (default 24) */
  windowMonths?: number;
  /**
   * When the data is refused as unable to support a forecast. The service and the CLI use the defaults; unit tests of
   * single cleaning rules on a handful of rows turn them off to look at one rule at a time.
   */
  refuse?: { maxDroppedShare?: number; withoutFlows?: boolean };
}

/** SSDA903 CSV files held as strings (the service: files from a JSON body keyed header / episodes / uasc). */
export function ingestSsda903(files: Array<{ name: string; text: string }>, options: IngestOptions): IngestOutcome {
  const reader = new Ssda903Reader({ referenceYear: options.referenceYear });
  for (const f of files) readCsvText(reader, f.name, f.text);
  return finishSsda903(reader.finish(), options);
}

/** A collection year busy enough to be one of the returns: at least this share of the busiest year's dates. */
const BUSY_YEAR_SHARE = 0.25;

export interface FoundPeriod {
  start: string;
  end: string;
  /** how the period was found, for the notes and the dataset's `period.source` */
  source: string;
  notes: string[];
}

/**
 * The data period of 903 returns: whole collection years. Named by a YEAR column, year-named files or year folders
 * when any is given; otherwise read from the bulk of the episode dates (not from the single latest one, which a few
 * mistyped or next-year dates would shift): the latest collection year holding at least a quarter as many dates as
 * the busiest year ends the period, and the run of such years before it starts it.
 */
export function ssda903Period(raw: RawData): FoundPeriod | null {
  if (raw.years.size > 0) {
    const years = [...raw.years].sort((a, b) => a - b);
    const first = years[0] as number;
    const last = years[years.length - 1] as number;
    const notes: string[] = [];
    const missing: string[] = [];
    for (let y = first; y <= last; y++) if (!raw.years.has(y)) missing.push(financialYearLabel(y));
    if (missing.length > 0)
      notes.push(`no return for ${missing.join(', ')} among the files: episodes of those years may be missing`);
    const source = `${[...raw.yearSources].sort().join(' and ')}: ${years.map(financialYearLabel).join(', ')}`;
    return { start: `${first}-04-01`, end: collectionYearEnd(last), source, notes };
  }
  if (raw.dateYears.size === 0) return null;
  // Ends date the returns (a return's starts reach back years, its ends fall in its own year); with no end at all,
  // the starts are all there is.
  const byYear = raw.endYears.size > 0 ? raw.endYears : raw.dateYears;
  const counts = [...byYear.entries()].sort((a, b) => a[0] - b[0]);
  const busiest = Math.max(...counts.map(([, n]) => n));
  const busy = (y: number) => (byYear.get(y) ?? 0) >= BUSY_YEAR_SHARE * busiest;
  const last = [...counts].reverse().find(([y]) => busy(y))?.[0] as number;
  let first = last;
  while (busy(first - 1)) first--;
  const total = counts.reduce((n, [, c]) => n + c, 0);
  const after = counts.filter(([y]) => y > last).reduce((n, [, c]) => n + c, 0);
  const label =
    first === last
      ? `one collection year, ${financialYearLabel(last)}`
      : `${last - first + 1} collection years, ${financialYearLabel(first)} to ${financialYearLabel(last)}`;
  const notes = [
    `no YEAR column, year-named file or year folder: the data period read from the bulk of the episode end dates as ${label} (${total - after} of ${total} fall on or before ${collectionYearEnd(last)})`,
  ];
  if (after > 0)
    notes.push(
      `${after} episode end dates fall after ${collectionYearEnd(last)}, too few to be a later return: treated as errors in the data`,
    );
  return { start: `${first}-04-01`, end: collectionYearEnd(last), source: `the bulk of the dates (${label})`, notes };
}

export function finishSsda903(raw: RawData, options: IngestOptions): IngestOutcome {
  const found = ssda903Period(raw);
  if (found && options.today !== undefined) partOfAYear(raw, found, options.today);
  if (found) raw.notes.push(`data period ${found.start} to ${found.end}, from ${found.source}`, ...found.notes);
  return finishIngest(
    'ssda903',
    raw,
    found ? { start: found.start, end: found.end, source: found.source } : null,
    options,
  );
}

/**
 * A period that ends after the day of ingest: the last return is this year's data so far (a folder `2026-27/` uploaded
 * in December 2026). Read to 31 March 2027, its children were "in care" four months ahead and the rates' window held
 * months with no entries yet, the entry rate cut by a third, with no word said. The data end is moved back to the last
 * month end on or before both the latest date in the data and today, with a warning (`part-of-a-year`).
 */
function partOfAYear(raw: RawData, found: FoundPeriod, today: string): void {
  if (found.end <= today) return;
  const latest = raw.latestDate !== null && raw.latestDate < today ? raw.latestDate : today;
  const index = monthIndex(latest.slice(0, 7));
  const end = monthEndDate(index) === latest ? latest : monthEndDate(index - 1);
  if (end <= found.start) return;
  // the month only: the latest date is one child's start or end of care
  const message = `the data reaches into ${latest.slice(0, 7)}, before the end of its last collection year (${found.end}), which is still to come: the data end is ${end}, the last month end the data covers`;
  raw.problems.push({
    file: '(all files)',
    row: null,
    column: null,
    code: 'part-of-a-year',
    message,
    action: `repaired: data end ${end}`,
    severity: 'warning',
  });
  found.notes.push(message);
  found.end = end;
}

/** Shared by both formats once the rows are read: clean, validate, then stock and estimate. */
export function finishIngest(
  format: Dataset['format'],
  raw: RawData,
  period: Dataset['period'] | null,
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
  const cleaned = cleanRaw(raw, { salt: options.salt, dataEnd: period.end, dataStart: period.start });
  const problems = [...raw.problems, ...cleaned.problems];
  const notes = [...raw.notes, ...cleaned.notes];
  if (cleaned.children.length === 0)
    problems.push({
      file: '(all files)',
      row: null,
      column: null,
      code: 'no-children',
      message:
        raw.episodeRowsRead === 0
          ? 'no episode rows: the Episodes table holds only its header line (an export run before the data was there, or the wrong file)'
          : 'no child has a valid episode',
      action: 'none',
      severity: 'error',
    });
  const report = () => qualityReport(problems, notes);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.some((p) => FILE_LEVEL_CODES.has(p.code)) || (mode === 'strict' && errors.length > 0))
    return { ok: false, report: report() };

  const refuse = (code: string, message: string): IngestOutcome => {
    // first in the list: the reason comes before the rows that led to it
    problems.unshift({
      file: '(all files)',
      row: null,
      column: null,
      code,
      message,
      action: 'none',
      severity: 'error',
    });
    return { ok: false, report: { ...report(), refusal: { code, message } } };
  };
  const read = raw.episodeRowsRead;
  const dropped = raw.episodeRowsDropped + cleaned.episodeRowsDropped;
  const maxShare = options.refuse?.maxDroppedShare ?? MAX_DROPPED_SHARE;
  if (read > 0 && dropped / read > maxShare)
    return refuse(
      'too-many-dropped',
      `${dropped} of ${read} episode rows (${Math.round((100 * dropped) / read)}%) have errors and were dropped: more than ${Math.round(maxShare * 100)}% cannot support a forecast, even in lenient mode. Fix the errors listed and upload again`,
    );

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
  const estimate = estimateFromChildren(cleaned.children, monthFromIndex(fromIndex), lastMonth, {
    historyFrom: period.start.slice(0, 7),
  });
  const borrowed = estimate.tables.borrowedExitRates;
  if (borrowed.length > 0)
    notes.push(
      `exit rates borrowed from the category's rate over all ages for ${borrowed.length} band × category cells with no exposure: ${borrowed.join(', ')}`,
    );
  if (estimate.window.months < window)
    notes.push(`estimation window cut to ${estimate.window.months} months: the data starts ${period.start}`);
  const t = estimate.tables.totals;
  const exits = Object.values(t.exits).reduce((a, b) => a + b, 0);
  const span = `${estimate.window.from} to ${estimate.window.to}`;
  const flows = options.refuse?.withoutFlows ?? true;
  if (flows && t.entries + t.uascEntries === 0)
    return refuse(
      'no-entries-in-window',
      `no child enters care in the estimation window (${span}): the data cannot give entry rates. Check the data period (${period.start} to ${period.end}) and that the latest return is among the files`,
    );
  if (flows && exits === 0)
    return refuse(
      'no-exits-in-window',
      `no child leaves care in the estimation window (${span}): the data cannot give exit rates. Check the data period (${period.start} to ${period.end}) and that the latest return is among the files`,
    );
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
