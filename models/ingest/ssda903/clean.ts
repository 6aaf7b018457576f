/**
 * Cleaning (SSDA903.md "Cleaning rules used in practice") on the raw rows of either input:
 *   1. drop rows with no CHILD, no DECOM, or a child with no DOB (reported while reading) or no header row;
 *   2. duplicates: the same (CHILD, DECOM) keeps the last, the same (CHILD, DEC) keeps the longest;
 *   3. overlaps: an episode that ends after the next one starts is ended at that start;
 *   4. episodes that change only legal status or keep the same carer (RNE L, T, U) following on the same day are merged
 *      into the previous placement (when the category is the same: a category change is a move whatever the RNE);
 *   5. an open episode is open at the data end date;
 *   6. codes not valid for the episode's collection year are errors naming the row.
 * Respite episodes (LS V3/V4) are set aside after rule 2: they are not in the stock or the rates, as in national statistics.
 * Every dropped or repaired row is reported; nothing is forced to agree.
 */
import { createHash } from 'node:crypto';
import type { QualityProblem } from '../quality.js';
import type { Category } from '../../placement.js';
import { CONTINUATION_RNE, RESPITE_LEGAL_STATUSES } from './codes.js';
import { checkEpisodeCodes } from './validate.js';
import { collectionYearOf } from './dates.js';
import type { RawData, RawEpisode } from './raw.js';

/** One cleaned episode: a spell in one placement category. `end` null = still open at the data end date. */
export interface CleanEpisode {
  start: string;
  end: string | null;
  category: Category;
  /** the 903 PLACE code ('' when the input gave a category) */
  place: string;
  legalStatus: string;
  /** REC of the episode (null while open) */
  reasonEnded: string | null;
}

export interface CleanChild {
  /** opaque: a salted hash of the LA's child id, never the id itself */
  key: string;
  birthMonth: string;
  /** the date UASC status ceased (DUC); the child counts as UASC before it */
  uascUntil?: string;
  episodes: CleanEpisode[];
}

export interface CleanResult {
  children: CleanChild[];
  problems: QualityProblem[];
  notes: string[];
  rowsDropped: number;
  respiteEpisodes: number;
}

export function childKey(salt: string, child: string): string {
  return createHash('sha256').update(`${salt}\u0000${child}`).digest('hex').slice(0, 20);
}

interface Working extends RawEpisode {
  order: number;
  cat: Category;
}

const yearOrder = (y: number | null): number => (y === null ? -1 : y);

export function cleanRaw(raw: RawData, options: { salt: string; dataEnd: string }): CleanResult {
  const problems: QualityProblem[] = [];
  const notes: string[] = [];
  let rowsDropped = 0;
  const error = (ep: { file: string; row: number | null }, column: string | null, code: string, message: string) => {
    problems.push({ file: ep.file, row: ep.row, column, code, message, action: 'dropped', severity: 'error' });
    rowsDropped++;
  };
  const warn = (
    ep: { file: string; row: number | null },
    column: string | null,
    code: string,
    message: string,
    action: string,
  ) => problems.push({ file: ep.file, row: ep.row, column, code, message, action, severity: 'warning' });

  // Header: the latest collection year's row wins (a birth month corrected in a later return is the better one).
  const births = new Map<string, { birthMonth: string; year: number }>();
  for (const h of raw.headers) {
    const prev = births.get(h.child);
    if (!prev || yearOrder(h.year) >= prev.year)
      births.set(h.child, { birthMonth: h.birthMonth, year: yearOrder(h.year) });
  }
  const uascUntil = new Map<string, { until: string | null; year: number }>();
  for (const u of raw.uasc) {
    if (!births.has(u.child) && !raw.childrenWithoutDob.has(u.child)) {
      warn(u, 'CHILD', 'uasc-without-header', 'UASC row for a child with no header row: ignored', 'dropped');
      continue;
    }
    const prev = uascUntil.get(u.child);
    if (!prev || yearOrder(u.year) >= prev.year) uascUntil.set(u.child, { until: u.until, year: yearOrder(u.year) });
  }

  // Row-level validation: codes for the row's collection year, dates inside the data period and the child's life.
  const byChild = new Map<string, Working[]>();
  raw.episodes.forEach((ep, order) => {
    if (!births.has(ep.child) && raw.childrenWithoutDob.has(ep.child)) {
      rowsDropped++; // reported once, on the header row
      return;
    }
    const year = ep.year ?? collectionYearOf(ep.end ?? options.dataEnd);
    let cat = ep.checkedCategory;
    if (cat === undefined) {
      const check = checkEpisodeCodes(ep, year);
      if (!check.ok) return error(ep, check.column, check.code, check.message);
      cat = check.category;
    }
    if (ep.start > options.dataEnd)
      return error(ep, 'DECOM', 'after-data-end', `DECOM ${ep.start} is after the data end date ${options.dataEnd}`);
    if (ep.end !== null && ep.end > options.dataEnd)
      return error(ep, 'DEC', 'after-data-end', `DEC ${ep.end} is after the data end date ${options.dataEnd}`);
    const birth = births.get(ep.child);
    if (birth && ep.start.slice(0, 7) < birth.birthMonth)
      return error(ep, 'DECOM', 'before-birth', "DECOM is before the child's birth month");
    const list = byChild.get(ep.child) ?? [];
    list.push({ ...ep, year: ep.year ?? year, order, cat });
    byChild.set(ep.child, list);
  });

  const children: CleanChild[] = [];
  let repeatedAcrossYears = raw.repeatedAcrossYears;
  let merged = 0;
  let respiteEpisodes = 0;
  for (const [child, rows] of byChild) {
    const birth = births.get(child);
    if (!birth) {
      const first = rows.reduce((a, b) => (a.order < b.order ? a : b));
      problems.push({
        file: first.file,
        row: first.row,
        column: 'CHILD',
        code: 'no-header',
        message: `child has ${rows.length} episode${rows.length === 1 ? '' : 's'} but no header row: dropped`,
        action: 'dropped',
        severity: 'error',
      });
      rowsDropped += rows.length;
      continue;
    }
    // Rule 2a: same DECOM keeps the last (latest collection year, then latest row).
    const byStart = new Map<string, Working[]>();
    for (const r of rows) byStart.set(r.start, [...(byStart.get(r.start) ?? []), r]);
    let eps: Working[] = [];
    for (const group of byStart.values()) {
      group.sort((a, b) => yearOrder(a.year) - yearOrder(b.year) || a.order - b.order);
      const keep = group[group.length - 1] as Working;
      for (const other of group.slice(0, -1)) {
        if (other.year !== null && keep.year !== null && other.year < keep.year) {
          repeatedAcrossYears++; // the same episode returned again next year: expected in a stack, not a problem
        } else {
          warn(
            other,
            'DECOM',
            'duplicate-episode',
            `same CHILD and DECOM as row ${keep.row ?? '?'}: the later row kept`,
            'dropped',
          );
          rowsDropped++;
        }
      }
      eps.push(keep);
    }
    // Rule 2b: same DEC keeps the longest (earliest DECOM).
    const byEnd = new Map<string, Working[]>();
    const kept: Working[] = [];
    for (const e of eps) {
      if (e.end === null) kept.push(e);
      else byEnd.set(e.end, [...(byEnd.get(e.end) ?? []), e]);
    }
    for (const group of byEnd.values()) {
      group.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
      const keep = group[0] as Working;
      kept.push(keep);
      for (const other of group.slice(1)) {
        warn(
          other,
          'DEC',
          'duplicate-end',
          `same CHILD and DEC as row ${keep.row ?? '?'}: the longer episode kept`,
          'dropped',
        );
        rowsDropped++;
      }
    }
    // Respite is set aside before overlaps are repaired: a short break must not cut short the care it interrupts.
    const sorted = kept.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.order - b.order));
    eps = sorted.filter((e) => !RESPITE_LEGAL_STATUSES.includes(e.ls));
    respiteEpisodes += sorted.length - eps.length;
    // Rule 3 (and 5: an open episode followed by another one is an overlap too).
    for (let i = 0; i + 1 < eps.length; i++) {
      const cur = eps[i] as Working;
      const next = eps[i + 1] as Working;
      if (cur.end === null || cur.end > next.start) {
        warn(
          cur,
          'DEC',
          'overlap',
          `episode overlaps the next one (starting ${next.start}): end set to the next start`,
          'repaired: end set to next start',
        );
        cur.end = next.start;
        if (cur.rec === null) cur.rec = 'X1';
      }
    }
    const care = eps;
    // Rule 4.
    const out: CleanEpisode[] = [];
    for (const e of care) {
      const prev = out[out.length - 1];
      if (prev && CONTINUATION_RNE.includes(e.rne) && prev.end === e.start && prev.category === e.cat) {
        prev.end = e.end;
        prev.reasonEnded = e.rec;
        prev.legalStatus = e.ls;
        merged++;
        continue;
      }
      out.push({ start: e.start, end: e.end, category: e.cat, place: e.place, legalStatus: e.ls, reasonEnded: e.rec });
    }
    if (out.length === 0) continue;
    const u = uascUntil.get(child);
    const c: CleanChild = { key: childKey(options.salt, child), birthMonth: birth.birthMonth, episodes: out };
    if (u) c.uascUntil = u.until ?? addYearsToMonthEnd(birth.birthMonth, 18);
    children.push(c);
  }
  const withEpisodes = new Set(byChild.keys());
  // Reported, not forced: a Header table and an Episodes table that disagree on who is in care.
  const headerOnly = [...births.keys()].filter((c) => !withEpisodes.has(c)).length;
  if (headerOnly > 0) notes.push(`${headerOnly} children in the Header table have no valid episode (not counted)`);
  if (repeatedAcrossYears > 0)
    notes.push(`${repeatedAcrossYears} episodes repeated in a later collection year: the latest year's row kept`);
  if (merged > 0) notes.push(`${merged} episodes merged into the previous placement (RNE L, T or U on the same day)`);
  if (respiteEpisodes > 0)
    notes.push(`${respiteEpisodes} respite episodes (LS V3/V4) left out of the stock and the rates`);
  children.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { children, problems, notes, rowsDropped, respiteEpisodes };
}

/** Without a DUC, UASC status ends at 18: the last day of the 18th-birthday month is the best the birth month allows. */
function addYearsToMonthEnd(birthMonth: string, years: number): string {
  const y = Number(birthMonth.slice(0, 4)) + years;
  const m = Number(birthMonth.slice(5, 7));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${y}-${birthMonth.slice(5, 7)}-${String(last).padStart(2, '0')}`;
}
