/**
 * JSON placement records, for systems that are not 903 exports:
 *   { "dataEnd"?: "YYYY-MM-DD", "children": [ { "childId", "birthMonth": "YYYY-MM", "sex"?, "uasc"?: { "until": "YYYY-MM-DD" },
 *       "episodes": [ { "start", "end"?, "placement": "<903 code or category id>", "provider"?, "legalStatus"?,
 *                       "reasonNew"?, "reasonEnded"? } ] } ] }
 * Read into the same raw rows as the 903 tables, then cleaned by the same rules. Problems name the child by its
 * position in the list (row = 1-based index) and the field path, never by its id. Open episodes are open at
 * `dataEnd`, by default the last day of the month of the latest date in the records.
 */
import { MONTH_RE, monthEndDate, monthIndex } from '../calendar.js';
import { isCategory } from '../placement.js';
import { finishIngest, type IngestOptions, type IngestOutcome } from './pipeline.js';
import type { QualityProblem } from './quality.js';
import { parseDate } from './ssda903/dates.js';
import { emptyRaw, seeDate } from './ssda903/raw.js';

const FILE = 'records';

export function ingestRecords(json: unknown, options: IngestOptions): IngestOutcome {
  const raw = emptyRaw();
  const problem = (
    row: number | null,
    column: string | null,
    code: string,
    message: string,
    action = 'dropped',
  ): void => {
    raw.problems.push({ file: FILE, row, column, code, message, action, severity: 'error' } satisfies QualityProblem);
  };
  const root = json as { children?: unknown; dataEnd?: unknown } | null;
  if (root === null || typeof root !== 'object' || !Array.isArray(root.children)) {
    problem(null, 'children', 'bad-input', 'expected an object with a "children" list', 'none');
    return finishIngest('records', raw, null, options);
  }
  let explicitEnd: string | null = null;
  if (root.dataEnd !== undefined) {
    const d = typeof root.dataEnd === 'string' ? parseDate(root.dataEnd, options.referenceYear) : null;
    if (!d) {
      problem(null, 'dataEnd', 'bad-input', 'dataEnd must be a date "YYYY-MM-DD"', 'none');
      return finishIngest('records', raw, null, options);
    }
    explicitEnd = d.date;
  }
  root.children.forEach((c: unknown, i: number) => {
    const row = i + 1;
    const at = (path: string) => `children[${i}].${path}`;
    raw.rowsRead++;
    const child = c as Record<string, unknown> | null;
    if (child === null || typeof child !== 'object') {
      raw.rowsDropped++;
      return problem(row, `children[${i}]`, 'bad-input', 'expected an object');
    }
    const id =
      typeof child.childId === 'string' || typeof child.childId === 'number' ? String(child.childId).trim() : '';
    if (id === '') {
      raw.rowsDropped++;
      return problem(row, at('childId'), 'missing-value', 'missing childId');
    }
    const birthMonth =
      typeof child.birthMonth === 'string' && MONTH_RE.test(child.birthMonth) ? child.birthMonth : null;
    if (birthMonth === null) {
      raw.rowsDropped++;
      raw.childrenWithoutDob.add(id);
      return problem(
        row,
        at('birthMonth'),
        'missing-value',
        'missing or bad birthMonth (expected "YYYY-MM"): the child is dropped',
      );
    }
    raw.headers.push({ file: FILE, row, child: id, year: null, birthMonth });
    if (child.uasc !== undefined && child.uasc !== null && child.uasc !== false) {
      const until = (child.uasc as { until?: unknown }).until;
      const d = typeof until === 'string' ? parseDate(until, options.referenceYear) : null;
      if (until !== undefined && !d)
        problem(row, at('uasc.until'), 'bad-date', 'not a date (expected yyyy-mm-dd)', 'none');
      else raw.uasc.push({ file: FILE, row, child: id, year: null, until: d ? d.date : null });
    }
    const episodes = Array.isArray(child.episodes) ? child.episodes : null;
    if (episodes === null) return problem(row, at('episodes'), 'missing-value', 'missing episodes list');
    episodes.forEach((e: unknown, j: number) => {
      const path = (f: string) => at(`episodes[${j}].${f}`);
      const ep = (e ?? {}) as Record<string, unknown>;
      const str = (k: string): string => (typeof ep[k] === 'string' ? (ep[k] as string).trim() : '');
      raw.episodeRowsRead++;
      const drop = (column: string, code: string, message: string) => {
        raw.rowsDropped++;
        raw.episodeRowsDropped++;
        problem(row, column, code, message);
      };
      const start = parseDate(str('start'), options.referenceYear);
      if (!start)
        return drop(
          path('start'),
          str('start') === '' ? 'missing-value' : 'bad-date',
          str('start') === '' ? 'missing start' : 'not a date (expected yyyy-mm-dd)',
        );
      let end: string | null = null;
      if (str('end') !== '') {
        const d = parseDate(str('end'), options.referenceYear);
        if (!d) return drop(path('end'), 'bad-date', 'not a date (expected yyyy-mm-dd)');
        end = d.date;
        if (end < start.date) return drop(path('end'), 'end-before-start', 'end is before start');
      }
      const placement = str('placement');
      if (placement === '') return drop(path('placement'), 'missing-value', 'missing placement');
      seeDate(raw, start.date);
      if (end) seeDate(raw, end);
      raw.episodes.push({
        file: FILE,
        row,
        child: id,
        year: null,
        start: start.date,
        end,
        rne: str('reasonNew').toUpperCase(),
        ls: str('legalStatus').toUpperCase(),
        place: isCategory(placement) ? '' : placement.toUpperCase(),
        provider: str('provider').toUpperCase(),
        rec: str('reasonEnded') === '' ? null : str('reasonEnded').toUpperCase(),
        ...(isCategory(placement) ? { category: placement } : {}),
      });
    });
  });
  const latest = raw.latestDate;
  const end = explicitEnd ?? (latest === null ? null : monthEndDate(monthIndex(latest.slice(0, 7))));
  const period = end === null || raw.earliestDate === null ? null : { start: raw.earliestDate, end };
  return finishIngest('records', raw, period, options);
}
