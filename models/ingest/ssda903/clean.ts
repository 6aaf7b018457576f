/**
 * Cleaning (docs/SSDA903.md "Cleaning rules used in practice") on the raw rows of either input:
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
  /**
   * Sibling groups: on the episode that starts a period of care, the number of children kept in the data (this one
   * included) who started a period of care on the same day with the same home postcode; a child dropped at ingest is
   * not counted. Computed at ingest where HOME_POST is given, the postcode then discarded; absent when unknown.
   * models/estimate.ts reads it.
   */
  entryGroupSize?: number;
}

export interface CleanChild {
  /** opaque: a salted hash of the LA's child id, never the id itself */
  key: string;
  birthMonth: string;
  /** the last day of the month UASC status ceased (DUC, kept by its month only); the child counts as UASC before it */
  uascUntil?: string;
  episodes: CleanEpisode[];
}

export interface CleanResult {
  children: CleanChild[];
  problems: QualityProblem[];
  notes: string[];
  rowsDropped: number;
  /** episode rows dropped for errors (not duplicates): the share of them decides whether lenient ingest goes on */
  episodeRowsDropped: number;
  respiteEpisodes: number;
}

/** Where another row is, for a message about this one: its row, and its file when that differs (never its values). */
function rowOf(other: { file: string; row: number | null }, self: { file: string }): string {
  const file = other.file !== self.file ? ` of ${other.file}` : '';
  return other.row === null ? `an episode${file}` : `row ${other.row}${file}`;
}

export function childKey(salt: string, child: string): string {
  return createHash('sha256').update(`${salt}\u0000${child}`).digest('hex').slice(0, 20);
}

interface Working extends RawEpisode {
  order: number;
  cat: Category;
}

const yearOrder = (y: number | null): number => (y === null ? -1 : y);

export function cleanRaw(raw: RawData, options: { salt: string; dataEnd: string; dataStart?: string }): CleanResult {
  const problems: QualityProblem[] = [];
  const notes: string[] = [];
  let rowsDropped = 0;
  let episodeRowsDropped = 0;
  const error = (ep: { file: string; row: number | null }, column: string | null, code: string, message: string) => {
    problems.push({ file: ep.file, row: ep.row, column, code, message, action: 'dropped', severity: 'error' });
    rowsDropped++;
    episodeRowsDropped++;
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

  // Sibling groups: the kept starts of care of each group (same day, same home postcode), sized once every child is
  // cleaned, so that a child dropped on the way (no header row, no valid episode) does not count in its siblings' group.
  const groupStarts: Array<{ episode: CleanEpisode; group: number; child: string }> = [];

  // Row-level validation: codes for the row's collection year, dates inside the data period and the child's life.
  const byChild = new Map<string, Working[]>();
  const repeats = repeatedWithoutYear(raw.episodes);
  raw.episodes.forEach((ep, order) => {
    if (!births.has(ep.child) && raw.childrenWithoutDob.has(ep.child)) {
      rowsDropped++; // reported once, on the header row
      episodeRowsDropped++;
      return;
    }
    let cat = ep.checkedCategory;
    if (cat === undefined) {
      const check = checkUnnamedYear(ep, order, repeats, options);
      if (!check.ok) return error(ep, check.column, check.code, check.message);
      cat = check.category;
    }
    // Dates after the data end (a few episodes ending on 1 April, a next-year start typed into this year's return):
    // the child was in care at the data end, which is all the period can say.
    if (ep.start > options.dataEnd) {
      warn(ep, 'DECOM', 'after-data-end', `DECOM is after the data end date ${options.dataEnd}`, 'dropped');
      rowsDropped++;
      return;
    }
    let end = ep.end;
    if (end !== null && end > options.dataEnd) {
      warn(
        ep,
        'DEC',
        'after-data-end',
        `DEC is after the data end date ${options.dataEnd}: read as open at the data end`,
        'repaired: open at the data end',
      );
      end = null;
    }
    const birth = births.get(ep.child);
    if (birth && ep.start.slice(0, 7) < birth.birthMonth)
      return error(ep, 'DECOM', 'before-birth', "DECOM is before the child's birth month");
    // (the day compared by the reader, which alone held the date of birth: never stored, never shown)
    if (birth && ep.beforeBirth)
      return error(
        ep,
        'DECOM',
        'before-birth',
        "DECOM is before the child's date of birth (earlier in the month of birth)",
      );
    const list = byChild.get(ep.child) ?? [];
    // The year used for the codes is not the row's return year: an open row would otherwise look like the latest
    // return and beat the same episode's closed row (the doubled stock of years concatenated without a YEAR column).
    list.push({ ...ep, end, rec: end === null ? null : ep.rec, order, cat });
    byChild.set(ep.child, list);
  });

  const children: CleanChild[] = [];
  let repeatedAcrossYears = raw.repeatedAcrossYears;
  let repeatedRows = 0;
  let staleChildren = 0;
  let notReturned = 0;
  const lastYear = raw.years.size > 0 ? Math.max(...raw.years) : null;
  const unexplained = new Map<string, { appear: number; vanish: number }>();
  const mark = (date: string, kind: 'appear' | 'vanish') => {
    const m = date.slice(0, 7);
    const u = unexplained.get(m) ?? { appear: 0, vanish: 0 };
    u[kind]++;
    unexplained.set(m, u);
  };
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
      episodeRowsDropped += rows.length;
      continue;
    }
    // Rule 2a: same DECOM keeps the last (latest collection year, then latest row).
    const byStart = new Map<string, Working[]>();
    // (pushed in place: copying the group on every row made one child repeated 40,000 times take minutes)
    for (const r of rows) {
      const group = byStart.get(r.start);
      if (group) group.push(r);
      else byStart.set(r.start, [r]);
    }
    let eps: Working[] = [];
    for (const group of byStart.values()) {
      // Latest collection year first; within a year (or with no year named) a closed row is later news than an open
      // one (the same episode returned while open, then again once closed), then the later row.
      group.sort(
        (a, b) =>
          yearOrder(a.year) - yearOrder(b.year) || Number(a.end !== null) - Number(b.end !== null) || a.order - b.order,
      );
      const keep = group[group.length - 1] as Working;
      for (const other of group.slice(0, -1)) {
        if (other.year !== null && keep.year !== null && other.year < keep.year) {
          repeatedAcrossYears++; // the same episode returned again next year: expected in a stack, not a problem
        } else if (sameOrEarlierNews(other, keep)) {
          repeatedRows++; // the same return concatenated twice, or the open row of an episode closed later
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
      else {
        const group = byEnd.get(e.end);
        if (group) group.push(e);
        else byEnd.set(e.end, [e]);
      }
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
    let staleHere = 0;
    for (let i = 0; i + 1 < eps.length; i++) {
      const cur = eps[i] as Working;
      const next = eps[i + 1] as Working;
      if (cur.end === null) {
        // An open row followed by a later episode: the row was never closed in a later return (stale).
        if (staleHere++ === 0)
          warn(
            cur,
            'DEC',
            'stale-open-episode',
            `episode left open although the child has a later episode (${rowOf(next, cur)}): closed at its start`,
            'repaired: end set to next start',
          );
        cur.end = next.start;
        cur.rec = 'X1';
        continue;
      }
      // "X1": a new episode starts the same day. A next episode the day after, not a start of care, is the same care
      // with DEC written as the last night of the placement (some case systems do): left as it was, the child was out
      // of care for a night, out of the stock on a month end (31 March: the DEC of one year, the DECOM of the next).
      if (cur.rec === 'X1' && next.rne !== 'S' && next.start === nextDay(cur.end)) {
        warn(
          cur,
          'DEC',
          'gap-after-x1',
          `DEC is the day before the next episode's DECOM (${rowOf(next, cur)}) and REC is X1 (a new episode the same day): end set to the next start`,
          'repaired: end set to next start',
        );
        cur.end = next.start;
        continue;
      }
      if (cur.end > next.start) {
        warn(
          cur,
          'DEC',
          'overlap',
          `episode overlaps the next one (${rowOf(next, cur)}): end set to the next start`,
          'repaired: end set to next start',
        );
        cur.end = next.start;
        if (cur.rec === null) cur.rec = 'X1';
      }
    }
    if (staleHere > 0) staleChildren++;
    // An episode open at the end of an earlier return whose child is in none of the later returns of the data: the
    // child left care in a year the data does not show closed. Closed at the end of the last return that holds it.
    const last = eps[eps.length - 1];
    if (last && last.end === null && last.year !== null && lastYear !== null && last.year < lastYear) {
      const yearEnd = `${last.year + 1}-03-31`;
      warn(
        last,
        'DEC',
        'open-not-returned-later',
        `episode open at the end of the ${last.year}/${String((last.year + 1) % 100).padStart(2, '0')} return, but the child is in no later return: closed at ${yearEnd}`,
        'repaired: closed at the end of its return',
      );
      last.end = yearEnd;
      notReturned++;
      mark(yearEnd, 'vanish');
    }
    // Flows the data cannot explain: a child whose first episode in the period is not a start of care (RNE S), or
    // whose last episode ends with "continuing" (X1) and nothing follows.
    const first = eps[0];
    if (first && options.dataStart && first.start >= options.dataStart && first.rne !== '' && first.rne !== 'S')
      mark(first.start, 'appear');
    if (
      last &&
      last.end !== null &&
      last.rec === 'X1' &&
      !(last.year !== null && last.end === `${last.year + 1}-03-31`)
    )
      mark(last.end, 'vanish');
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
      const episode: CleanEpisode = {
        start: e.start,
        end: e.end,
        category: e.cat,
        place: e.place,
        legalStatus: e.ls,
        reasonEnded: e.rec,
      };
      out.push(episode);
      if (e.homeGroup !== undefined) groupStarts.push({ episode, group: e.homeGroup, child });
    }
    if (out.length === 0) continue;
    const u = uascUntil.get(child);
    const c: CleanChild = { key: childKey(options.salt, child), birthMonth: birth.birthMonth, episodes: out };
    // DUC is normally the 18th birthday: kept by its month (the month's last day), so no birth day is stored. On a
    // month end (the stock series, the rates, a 31 March data end) this answers as the day would.
    if (u) c.uascUntil = u.until !== null ? monthEnd(u.until.slice(0, 7)) : addYearsToMonthEnd(birth.birthMonth, 18);
    children.push(c);
  }
  const groupChildren = new Map<number, Set<string>>();
  for (const { group, child } of groupStarts)
    groupChildren.set(group, (groupChildren.get(group) ?? new Set<string>()).add(child));
  for (const { episode, group } of groupStarts) episode.entryGroupSize = groupChildren.get(group)?.size ?? 1;
  const withEpisodes = new Set(byChild.keys());
  // Reported, not forced: a Header table and an Episodes table that disagree on who is in care.
  const headerOnly = [...births.keys()].filter((c) => !withEpisodes.has(c)).length;
  if (headerOnly > 0) notes.push(`${headerOnly} children in the Header table have no valid episode (not counted)`);
  if (repeatedRows > 0)
    notes.push(
      `${repeatedRows} episode rows repeated within the data (the same rows twice, or an open row of an episode closed in a later row): the closed or later row kept`,
    );
  if (staleChildren > 0)
    notes.push(
      `${staleChildren} children had an episode left open although a later episode follows (stale open rows): closed at the next start`,
    );
  if (notReturned > 0)
    notes.push(
      `${notReturned} children open at the end of a return are in no later return: their episode closed at the end of that return`,
    );
  if (repeatedAcrossYears > 0)
    notes.push(`${repeatedAcrossYears} episodes repeated in a later collection year: the latest year's row kept`);
  if (merged > 0) notes.push(`${merged} episodes merged into the previous placement (RNE L, T or U on the same day)`);
  if (respiteEpisodes > 0)
    notes.push(`${respiteEpisodes} respite episodes (LS V3/V4) left out of the stock and the rates`);
  children.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  flagStockJumps(children, unexplained, problems, notes);
  return { children, problems, notes, rowsDropped, episodeRowsDropped, respiteEpisodes };
}

/**
 * (child, DECOM) of the rows with no collection year named → the latest DEC among them and the position of the last
 * open one: an open row before either is older news of the same episode (rule 2 keeps the other).
 */
type Repeats = Map<string, { end: string | null; lastOpen: number }>;
const episodeKey = (ep: RawEpisode): string => `${ep.child}\u0000${ep.start}`;

function repeatedWithoutYear(episodes: readonly RawEpisode[]): Repeats {
  const out: Repeats = new Map();
  episodes.forEach((ep, i) => {
    if (ep.year !== null) return;
    const k = episodeKey(ep);
    const r = out.get(k) ?? { end: null, lastOpen: -1 };
    if (ep.end === null) r.lastOpen = i;
    else if (r.end === null || ep.end > r.end) r.end = ep.end;
    out.set(k, r);
  });
  return out;
}

/**
 * Codes of a row whose collection year is known (read with the row) or taken from its end (DEC), else the data end. An
 * open row that a later row of the same episode supersedes (years concatenated with nothing naming them: the episode
 * in each return while open, then closed) came from some earlier return, which one is not said: its codes are checked
 * against every collection year the episode was open in, from its start (or the data start) to the year it closed (or
 * the data end), and pass when they are valid in one of them. Without this, a placement code retired in 2025/26 (H5,
 * P2, Z1) on the open rows of an episode that closed before 2025/26 was an error. The row that is kept is checked as
 * before: an open row still open at the data end must hold a code of the data end's year.
 */
function checkUnnamedYear(
  ep: RawEpisode,
  order: number,
  repeats: Repeats,
  options: { dataEnd: string; dataStart?: string },
): ReturnType<typeof checkEpisodeCodes> {
  const year = ep.year ?? collectionYearOf(ep.end ?? options.dataEnd);
  const check = checkEpisodeCodes(ep, year);
  if (check.ok || ep.year !== null || ep.end !== null) return check;
  const r = repeats.get(episodeKey(ep));
  if (r === undefined || (r.end === null && r.lastOpen <= order)) return check;
  const last = collectionYearOf(r.end ?? options.dataEnd);
  const first = Math.max(collectionYearOf(ep.start), options.dataStart ? collectionYearOf(options.dataStart) : -1);
  for (let y = last; y >= first; y--) {
    const other = checkEpisodeCodes(ep, y);
    if (other.ok) return other;
  }
  return check;
}

/** The ISO date of the day after an ISO date. */
const nextDay = (iso: string): string =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Without a DUC, UASC status ends at 18: the last day of the 18th-birthday month is the best the birth month allows. */
function addYearsToMonthEnd(birthMonth: string, years: number): string {
  const y = Number(birthMonth.slice(0, 4)) + years;
  const m = Number(birthMonth.slice(5, 7));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${y}-${birthMonth.slice(5, 7)}-${String(last).padStart(2, '0')}`;
}

/** Two rows of one episode where `other` tells nothing `keep` does not: identical, or still open where `keep` is closed. */
function sameOrEarlierNews(other: Working, keep: Working): boolean {
  const sameCodes = other.place === keep.place && other.ls === keep.ls && other.provider === keep.provider;
  return sameCodes && (other.end === keep.end || (other.end === null && keep.end !== null));
}

/**
 * Flags months in which the stock moves by more than the entries and exits explain: children appearing mid-care
 * (first episode in the period not a start of care) or vanishing (ended "continuing" with nothing after, or open in a
 * return and absent from the next). A month is flagged when these reach 5 children and 2% of the stock.
 */
function flagStockJumps(
  children: readonly CleanChild[],
  unexplained: ReadonlyMap<string, { appear: number; vanish: number }>,
  problems: QualityProblem[],
  notes: string[],
): void {
  let flagged = 0;
  for (const [month, u] of [...unexplained].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const n = u.appear + u.vanish;
    if (n < 5) continue;
    const date = monthEnd(month);
    const stock = children.filter((c) =>
      c.episodes.some((e) => e.start <= date && (e.end === null || e.end > date)),
    ).length;
    if (n < 0.02 * Math.max(stock, 1)) continue;
    flagged++;
    problems.push({
      file: '(all files)',
      row: null,
      column: null,
      code: 'stock-jump',
      message: `the stock in ${month} (${stock} at the month end) moves by ${n} children no entry or exit explains: ${u.appear} appear in care without a start of care (RNE S), ${u.vanish} leave without an exit (ended "continuing" with nothing after, or missing from the next return). Check the returns around ${month}`,
      action: 'none',
      severity: 'warning',
    });
  }
  if (flagged > 0) notes.push(`${flagged} months flagged where the stock jumps in a way no entry or exit explains`);
}

function monthEnd(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}
