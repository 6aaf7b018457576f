/**
 * The quality report of an ingest: every problem found (file, row, column, rule, what was done) and the notes on what
 * was read and how. Shared by both inputs (SSDA903 files and JSON records) and by every stage of the pipeline.
 */

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
  /** set when the data cannot support a forecast, whatever the mode: the reason, named */
  refusal?: { code: string; message: string };
}

/**
 * Problems that make a file unusable as a whole: no row of it can be kept, whatever the mode. A file that cannot be
 * opened (a damaged or password-protected workbook, a zip that cannot be read or unpacks too far, an .xls) is one of
 * them: lenient mode once stored the other files without it, a year's return missing from the history.
 */
export const FILE_LEVEL_CODES = new Set([
  'missing-column',
  'bad-workbook',
  'bad-archive',
  'unsupported-format',
  'too-large',
  'duplicate-column',
  'unnamed-year',
  'unknown-table',
  'empty-file',
  'encoding',
  'malformed-csv',
  'missing-table',
  'no-children',
  'bad-input',
  'unsafe-zip-entry',
  'too-many-dropped',
  'no-entries-in-window',
  'no-exits-in-window',
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

/** What every upload answer carries: the counts, the notes and the first problems (errors first, in file order). */
export function qualitySummary(report: QualityReport, first = 200) {
  const errors = report.problems.filter((p) => p.severity === 'error');
  const warnings = report.problems.filter((p) => p.severity === 'warning');
  return {
    errors: report.errors,
    warnings: report.warnings,
    counts: report.counts,
    notes: report.notes,
    problems: [...errors, ...warnings].slice(0, first),
    problemsTotal: report.problems.length,
    ...(report.refusal ? { refusal: report.refusal } : {}),
  };
}
