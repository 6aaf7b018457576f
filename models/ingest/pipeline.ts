/**
 * The pipeline that finishes an ingest, shared by both inputs once their rows are read: clean, validate, then the
 * stock at the data end and the rates estimated from it, with the quality report.
 *
 * Strict mode (the default) keeps nothing when there is any error and returns the full list; lenient mode keeps the
 * valid rows and reports the rest. Warnings (repaired or dropped duplicates, ignored tables) never block.
 * Problems with a whole file (unreadable, unknown, a column missing) and a missing Header or Episodes table block in
 * both modes: there are no valid rows to keep.
 */
import { monthIndex, monthFromIndex } from '../calendar.js';
import type { Dataset } from '../dataset.js';
import { DEFAULT_WINDOW_MONTHS, estimateFromChildren } from '../estimate.js';
import { lastFullMonth, stockAt } from '../stock.js';
import { FILE_LEVEL_CODES, qualityReport, type QualityReport } from './quality.js';
import { cleanRaw } from './ssda903/clean.js';
import { readCsvText } from './ssda903/csv.js';
import { collectionYearEnd, collectionYearOf } from './ssda903/dates.js';
import type { RawData } from './ssda903/raw.js';
import { Ssda903Reader } from './ssda903/read.js';

export type IngestOutcome = { ok: true; dataset: Dataset } | { ok: false; report: QualityReport };

export interface IngestOptions {
  mode?: 'strict' | 'lenient';
  /** secret per council: child ids are kept only as salted hashes */
  salt: string;
  /** reference window for the rates, in months up to the data end (default 24) */
  windowMonths?: number;
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
