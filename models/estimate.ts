/**
 * Rates from cleaned episodes, in the engine's monthly chain (README): in each month of the reference window,
 * a child in care at the start of the month (at the end of the month before), in age band b (age at the start of the
 * month) and category c, either leaves care, is in category j ≠ c at the end of the month (a move), or stays.
 * Each such child-month is one month of exposure; every rate is events ÷ exposure, not a mean of daily ratios.
 * Entries are children in care at the end of a month who were not at the end of the month before, by the band of their
 * age at the end of that month (as the engine draws entrants' ages) and the category they are in at the month end;
 * UASC arrivals are left out (the engine adds them by its UASC rules). Where the history shows entry drift, the entry
 * rates are then scaled from the window's mean to the level the drift model filters at the window's end
 * (`tables.entryLevel`, models/drift.ts `entryLevel`): on a rate that moves, the window's mean lags it by a year. So
 * too for exits: where the history shows exit drift, every exit probability is scaled to the exit rates' level at the
 * window's end (`tables.exitLevel`, `exitLevel`), each capped so that exit + moves ≤ 1.
 * The month a child turns 18 is the engine's own rule: exits in it are counted as '18' in the tables, and the month
 * adds no exposure, so `exitProbability` holds only the other exits.
 */
import {
  AGE_BANDS,
  CATEGORIES,
  CARE_LEAVING_AGE_MONTHS,
  ageBandIndex,
  type AgeBand,
  type Category,
} from './placement.js';
import { monthEndDate, monthFromIndex, monthIndex } from './calendar.js';
import type { Parameters } from './scenario.js';
import { EXIT_GROUPS, exitGroupOfRec, type ExitGroup } from './ingest/ssda903/codes.js';
import type { CleanChild } from './ingest/ssda903/clean.js';
import { NOT_IN_CARE, ageAtMonthStart, isUascOn, monthEndStates } from './stock.js';
import {
  type DispersionTest,
  type DriftLevel,
  type EntryLevel,
  type GroupEstimate,
  entryLevel,
  estimateDrift,
  estimateExitDrift,
  exitLevel,
  groupsFromDispersion,
  groupsFromSizes,
} from './drift.js';

export const DEFAULT_WINDOW_MONTHS = 24;

type ByBandCategory<T> = Record<AgeBand, Record<Category, T>>;

export interface EstimateTables {
  exposureMonths: ByBandCategory<number>;
  /** exits by reason group, including '18' */
  exitsByReason: ByBandCategory<Record<ExitGroup, number>>;
  moves: ByBandCategory<Record<Category, number>>;
  /** non-UASC entries by band × category entered */
  entries: ByBandCategory<number>;
  uascEntries: number;
  totals: {
    exposureMonths: number;
    exits: Record<ExitGroup, number>;
    moves: number;
    entries: number;
    uascEntries: number;
  };
  /** "band category" cells with no exposure whose exit rate is the category's rate over all ages */
  borrowedExitRates: string[];
  /** non-UASC entries per month from `history.from` (oldest first): the series drift and groups are estimated from */
  monthlyEntries: { from: string; counts: number[] };
  /** sibling groups, when the data show any (also in parameters.entryGroups) */
  groups: GroupEstimate | null;
  /** exits (other than at 18) per month from `history.from`, and those fixed rates would give: the exit drift's data */
  monthlyExits: { from: string; exits: number[]; expected: number[] };
  /** the dispersion test that, with the trend test, decided whether the data support an entry drift (null: too little history to test) */
  entryDriftTest: DispersionTest | null;
  /** the trend test (the dispersion test's component along a straight line in time; null: too little history) */
  entryTrendTest: DispersionTest | null;
  /**
   * where the data support an entry drift: the entry rate's level at the window's end, filtered under the drift model
   * (models/drift.ts `entryLevel`); `entriesPerMonth` are the window's counts ÷ months × `factor`. Null otherwise.
   */
  entryLevel: EntryLevel | null;
  /** the dispersion test that, with the trend test, decided whether the data support an exit drift (null: too little history to test) */
  exitDriftTest: DispersionTest | null;
  /** the exits' trend test (against the exits fixed rates give; null: too little history) */
  exitTrendTest: DispersionTest | null;
  /**
   * where the data support an exit drift: the exit rates' level at the window's end, filtered under the drift model
   * (models/drift.ts `exitLevel`); every `exitProbability` is the window's rate × `factor`, capped so exit + moves ≤ 1.
   * Null otherwise.
   */
  exitLevel: DriftLevel | null;
}

export interface EstimateOptions {
  /**
   * The first month whose entries the data can show (the data period's first month): drift is estimated from the
   * monthly entries from here to the window's end. Default: the window's first month.
   */
  historyFrom?: string;
}

export interface EstimateResult {
  /** first and last month of the reference window (transitions into the end of each of these months) */
  window: { from: string; to: string; months: number };
  parameters: Parameters;
  tables: EstimateTables;
}

const grid = <T>(make: () => T): ByBandCategory<T> =>
  Object.fromEntries(
    AGE_BANDS.map((b) => [b, Object.fromEntries(CATEGORIES.map((c) => [c, make()]))]),
  ) as ByBandCategory<T>;
const zeroCats = (): Record<Category, number> =>
  Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
const zeroGroups = (): Record<ExitGroup, number> =>
  Object.fromEntries(EXIT_GROUPS.map((g) => [g, 0])) as Record<ExitGroup, number>;

/** The REC of the last episode ending within month `m` on or before its last day: why the child left that month. */
function exitReason(child: CleanChild, m: number): string | null {
  const from = monthEndDate(m - 1);
  const to = monthEndDate(m);
  let best: { end: string; rec: string | null } | null = null;
  for (const e of child.episodes) {
    if (e.end !== null && e.end > from && e.end <= to && (best === null || e.end >= best.end))
      best = { end: e.end, rec: e.reasonEnded };
  }
  return best?.rec ?? null;
}

/**
 * Estimate over the months `fromMonth`..`toMonth` (inclusive). The caller makes sure the state at the end of the
 * month before `fromMonth` is known (it is the first month of the data at the earliest).
 */
export function estimateFromChildren(
  children: readonly CleanChild[],
  fromMonth: string,
  toMonth: string,
  options: EstimateOptions = {},
): EstimateResult {
  const f = monthIndex(fromMonth);
  const t = monthIndex(toMonth);
  if (t < f) throw new RangeError(`empty estimation window ${fromMonth}..${toMonth}`);
  const exposure = grid(() => 0);
  const exits = grid(zeroGroups);
  const moves = grid(zeroCats);
  const entries = grid(() => 0);
  let uascEntries = 0;
  for (const child of children) {
    const states = monthEndStates(child, f - 1, t);
    const birth = monthIndex(child.birthMonth);
    for (let m = f; m <= t; m++) {
      const prev = states[m - f] as number;
      const cur = states[m - f + 1] as number;
      if (prev === NOT_IN_CARE && cur === NOT_IN_CARE) continue;
      const age = ageAtMonthStart(birth, m);
      const band = AGE_BANDS[ageBandIndex(Math.min(age, CARE_LEAVING_AGE_MONTHS - 1))] as AgeBand;
      if (prev === NOT_IN_CARE) {
        // The engine gives an entrant its age at the end of the month (its age at the start of the next one).
        const entryBand = AGE_BANDS[
          ageBandIndex(Math.min(ageAtMonthStart(birth, m + 1), CARE_LEAVING_AGE_MONTHS - 1))
        ] as AgeBand;
        if (isUascOn(child, monthEndDate(m))) uascEntries++;
        else entries[entryBand][CATEGORIES[cur] as Category]++;
        continue;
      }
      const from = CATEGORIES[prev] as Category;
      if (age >= CARE_LEAVING_AGE_MONTHS - 1) {
        if (cur === NOT_IN_CARE) exits[band][from]['18']++;
        continue;
      }
      exposure[band][from]++;
      if (cur === NOT_IN_CARE) exits[band][from][exitGroupOfRec(exitReason(child, m))]++;
      else if (cur !== prev) moves[band][from][CATEGORIES[cur] as Category]++;
    }
  }
  const result = fromTables({ exposure, exits, moves, entries, uascEntries }, f, t);
  addDriftAndGroups(result, children, Math.min(f, monthIndex(options.historyFrom ?? fromMonth)), f, t);
  return result;
}

/**
 * The entries' drift and sibling groups, and the exit rates' drift (models/drift.ts), into the parameters and tables.
 * Exits here are the engine's exits (leaving care other than in the month of turning 18), and each month's expected
 * exits are its exposure by band × category × the cell's exit rate over the whole history.
 */
function addDriftAndGroups(
  result: EstimateResult,
  children: readonly CleanChild[],
  h: number,
  f: number,
  t: number,
): void {
  const months = t - h + 1;
  const counts = new Array<number>(months).fill(0);
  const exits = new Array<number>(months).fill(0);
  const NCELLS = AGE_BANDS.length * CATEGORIES.length;
  const exposure = new Float64Array(months * NCELLS);
  const cellExits = new Float64Array(NCELLS);
  const bySize = new Map<number, number>();
  for (const child of children) {
    const states = monthEndStates(child, h - 1, t);
    const birth = monthIndex(child.birthMonth);
    for (let m = h; m <= t; m++) {
      const prev = states[m - h]!;
      const cur = states[m - h + 1]!;
      if (prev !== NOT_IN_CARE) {
        // exposure to the engine's monthly exit draw: in care at the month's start, not in the month of turning 18
        const age = ageAtMonthStart(birth, m);
        if (age >= CARE_LEAVING_AGE_MONTHS - 1) continue;
        const cell = ageBandIndex(age) * CATEGORIES.length + prev;
        exposure[(m - h) * NCELLS + cell]!++;
        if (cur === NOT_IN_CARE) {
          exits[m - h]!++;
          cellExits[cell]!++;
        }
        continue;
      }
      if (cur === NOT_IN_CARE) continue;
      if (isUascOn(child, monthEndDate(m))) continue;
      counts[m - h]!++;
      if (m < f) continue;
      // the episode that starts the period of care: the first to start in month m
      const month = monthFromIndex(m);
      const ep = child.episodes.find((e) => e.start.slice(0, 7) === month);
      if (ep?.entryGroupSize !== undefined) bySize.set(ep.entryGroupSize, (bySize.get(ep.entryGroupSize) ?? 0) + 1);
    }
  }
  const groups = groupsFromSizes(bySize) ?? groupsFromDispersion(counts);
  const { test: entryDriftTest, trend: entryTrendTest, ...drift } = estimateDrift(counts, groups?.dispersion ?? 1);
  result.tables.entryDriftTest = entryDriftTest ?? null;
  result.tables.entryTrendTest = entryTrendTest ?? null;
  // where the data show drift, the rate now is the level the drift model filters at the window's end, not the
  // window's mean (which lags it by a year on a rate that moves); the prior alone (no test) leaves the mean as it is
  const level =
    entryDriftTest && drift.sdPerYear > 0
      ? entryLevel(counts, drift.sdPerYear, groups?.dispersion ?? 1, t - f + 1)
      : null;
  if (level) {
    for (const byCategory of Object.values(result.parameters.entriesPerMonth))
      for (const c of Object.keys(byCategory ?? {}) as Category[]) byCategory![c] = byCategory![c]! * level.factor;
    drift.basis = `${drift.basis}; rates × ${level.factor.toFixed(2)} to the level now`;
  }
  result.parameters.entryDrift = drift;
  result.tables.entryLevel = level;
  if (groups) result.parameters.entryGroups = { sizes: groups.sizes, basis: groups.basis };
  // exits expected at rates held fixed over the history
  const cellExposure = new Float64Array(NCELLS);
  for (let i = 0; i < months * NCELLS; i++) cellExposure[i % NCELLS]! += exposure[i]!;
  const expected = new Array<number>(months).fill(0);
  for (let m = 0; m < months; m++)
    for (let cell = 0; cell < NCELLS; cell++)
      if (cellExposure[cell]! > 0)
        expected[m]! += (exposure[m * NCELLS + cell]! * cellExits[cell]!) / cellExposure[cell]!;
  const exitDrift = estimateExitDrift(exits, expected);
  // as for entries: where the data show exit drift, the exit rates now are the level the drift model filters at the
  // window's end, not the window's mean
  const exitLevelNow = exitDrift.sdPerYear > 0 ? exitLevel(exits, expected, exitDrift.sdPerYear, t - f + 1) : null;
  let exitBasis = exitDrift.basis;
  if (exitLevelNow) {
    scaleExitRates(result.parameters, exitLevelNow.factor);
    exitBasis = `${exitBasis}; exit rates × ${exitLevelNow.factor.toFixed(2)} to the level now`;
  }
  result.parameters.exitDrift = {
    sdPerYear: exitDrift.sdPerYear,
    ...(exitDrift.se !== undefined ? { se: exitDrift.se } : {}),
    basis: exitBasis,
  };
  result.tables.monthlyEntries = { from: monthFromIndex(h), counts };
  result.tables.monthlyExits = { from: monthFromIndex(h), exits, expected: expected.map((v) => round2(v)) };
  result.tables.exitDriftTest = exitDrift.test ?? null;
  result.tables.exitTrendTest = exitDrift.trend ?? null;
  result.tables.exitLevel = exitLevelNow;
  result.tables.groups = groups;
}

/** Every exit probability × `factor`, each capped so that exit + the cell's moves ≤ 1. */
function scaleExitRates(parameters: Parameters, factor: number): void {
  for (const [band, byCategory] of Object.entries(parameters.exitProbability))
    for (const c of Object.keys(byCategory ?? {}) as Category[]) {
      const moves = Object.values(parameters.moveProbability[band as AgeBand]?.[c] ?? {}).reduce(
        (a: number, v) => a + (v ?? 0),
        0,
      );
      byCategory![c] = Math.min(byCategory![c]! * factor, Math.max(0, 1 - moves));
    }
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function fromTables(
  x: {
    exposure: ByBandCategory<number>;
    exits: ByBandCategory<Record<ExitGroup, number>>;
    moves: ByBandCategory<Record<Category, number>>;
    entries: ByBandCategory<number>;
    uascEntries: number;
  },
  f: number,
  t: number,
): EstimateResult {
  const months = t - f + 1;
  const parameters: Parameters = {
    entriesPerMonth: {},
    exitProbability: {},
    moveProbability: {},
    evidence: { exposureMonths: {}, exits: {}, moves: {}, entries: {}, entryMonths: months },
  };
  const ev = parameters.evidence!;
  const totals = { exposureMonths: 0, exits: zeroGroups(), moves: 0, entries: 0, uascEntries: x.uascEntries };
  for (const b of AGE_BANDS) {
    for (const c of CATEGORIES) {
      const n = x.exposure[b][c];
      const ex = x.exits[b][c];
      for (const g of EXIT_GROUPS) totals.exits[g] += ex[g];
      const entriesN = x.entries[b][c];
      totals.entries += entriesN;
      if (entriesN > 0) {
        (parameters.entriesPerMonth[b] ??= {})[c] = entriesN / months;
        (ev.entries[b] ??= {})[c] = entriesN;
      }
      if (n === 0) continue;
      totals.exposureMonths += n;
      const leaving = ex.home + ex.sgoCao + ex.adoption + ex.other;
      (parameters.exitProbability[b] ??= {})[c] = leaving / n;
      (ev.exposureMonths[b] ??= {})[c] = n;
      (ev.exits[b] ??= {})[c] = leaving;
      for (const j of CATEGORIES) {
        const k = x.moves[b][c][j];
        if (k === 0) continue;
        totals.moves += k;
        ((parameters.moveProbability[b] ??= {})[c] ??= {})[j] = k / n;
        ((ev.moves[b] ??= {})[c] ??= {})[j] = k;
      }
    }
  }
  // A band × category with no exposure in the window (a small council, a rare placement) would leave a child who gets
  // there with no way out but ageing: it borrows the category's exit rate over all ages instead. Exits only: moves are
  // too age-specific to borrow (supported accommodation is for 16–17-year-olds). No evidence is given for these cells,
  // so the engine keeps them fixed when it draws parameter uncertainty.
  const borrowedExitRates: string[] = [];
  for (const c of CATEGORIES) {
    let exposure = 0;
    let leaving = 0;
    for (const b of AGE_BANDS) {
      const ex = x.exits[b][c];
      exposure += x.exposure[b][c];
      leaving += ex.home + ex.sgoCao + ex.adoption + ex.other;
    }
    if (exposure === 0) continue;
    for (const b of AGE_BANDS) {
      if (x.exposure[b][c] > 0) continue;
      (parameters.exitProbability[b] ??= {})[c] = leaving / exposure;
      borrowedExitRates.push(`${b} ${c}`);
    }
  }
  return {
    window: { from: monthFromIndex(f), to: monthFromIndex(t), months },
    parameters,
    tables: {
      exposureMonths: x.exposure,
      exitsByReason: x.exits,
      moves: x.moves,
      entries: x.entries,
      uascEntries: x.uascEntries,
      totals,
      borrowedExitRates,
      monthlyEntries: { from: monthFromIndex(f), counts: [] },
      monthlyExits: { from: monthFromIndex(f), exits: [], expected: [] },
      entryDriftTest: null,
      entryTrendTest: null,
      entryLevel: null,
      exitDriftTest: null,
      exitTrendTest: null,
      exitLevel: null,
      groups: null,
    },
  };
}
