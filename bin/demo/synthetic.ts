/**
 * A synthetic, Peterborough-sized SSDA903 history generated from known parameters (pure: the randomness is passed in).
 *
 * The generator runs the engine's monthly chain at child level, with real dates: in each month a child in care at the
 * start of the month (age in completed months at the start, from its birth month) leaves, moves category or stays,
 * with the event on a random day of the month; a child leaves at its 18th birthday; non-UASC entrants arrive
 * Poisson(entriesPerMonth) by band × category with an age uniform over the band's months; UASC arrive by their own
 * yearly rates. It then writes what councils return: per collection year, every episode open during the year (DEC blank
 * while open at 31 March), with legal-status changes and same-category carer changes as extra episodes, respite
 * short breaks, and a little of the mess real returns have (docs/DOMAIN.md §7): a few duplicate rows, overlapping episodes,
 * episodes left open, and one code retired that year.
 *
 * Sizes and drift follow docs/DOMAIN.md §6: about 350–370 in care, 170–210 starts a year, in-house fostering rising from
 * about 38% to 46% of the stock by 2015, residential from about 7% to 11% in 2016/17, UASC arrivals peaking in 2016.
 * The parameters are constant from 2016/17 on, so a 24-month window ending March 2018 has one known truth.
 */
import {
  AGE_BANDS,
  BAND_START_MONTHS,
  CATEGORIES,
  CARE_LEAVING_AGE_MONTHS,
  ageBandIndex,
  bandEndMonths,
  type AgeBand,
  type Category,
} from '#models/placement';
import { daysInMonthIndex, financialYearLabel, monthFromIndex, monthIndex } from '#models/calendar';
import type { Parameters } from '#models/scenario';
import type { RawEpisode } from '#models/ingest/ssda903/raw';

/** The seed of the committed demo data: change it and the demo (and every figure quoted from it) changes. */
export const DEMO_SEED = 913;

export interface Random {
  /** uniform in (0, 1) */
  next(): number;
}

export interface DemoOptions {
  /** first and last collection year written (start years): 2013 = 2013/14 */
  firstYear?: number;
  lastYear?: number;
  /** years simulated before the first written one, so that the stock is settled */
  burnInYears?: number;
  /** multiplies every entry rate (benchmarks: a bigger council) */
  entryMultiplier?: number;
  /** false: the same parameters every year (recovery tests) */
  drift?: boolean;
  /** false: no duplicates, overlaps, stale open episodes or retired code */
  mess?: boolean;
}

export interface DemoKnown {
  description: string;
  /** engine-format parameters in force in each collection year ("2013/14" → …) */
  byCollectionYear: Record<string, Parameters>;
  /** UASC arrivals per month by collection year */
  uascArrivalsPerMonth: Record<string, number>;
  exitReasonShares: Record<string, Record<string, number>>;
  mess: string[];
}

export interface DemoData {
  /** stacked multi-year tables with a YEAR column (the collection year's end year, 2018 = 2017/18) */
  header: string;
  episodes: string;
  uasc: string;
  known: DemoKnown;
  /** the true stock at each 31 March written, by category (for checks) */
  truth: Record<string, Record<Category, number>>;
}

// ---------- the known parameters ----------

/** Share of non-UASC entries by age band (assumption, close to national starts by age). */
const ENTRY_BAND_SHARE: Record<AgeBand, number> = { '0': 0.2, '1-4': 0.18, '5-9': 0.18, '10-15': 0.32, '16-17': 0.12 };
/** Category entered, by band (assumption). */
const ENTRY_CATEGORY_SHARE: Record<AgeBand, Partial<Record<Category, number>>> = {
  '0': { inHouseFoster: 0.45, agencyFoster: 0.2, kinship: 0.15, withParents: 0.05, other: 0.15 },
  '1-4': { inHouseFoster: 0.5, agencyFoster: 0.25, kinship: 0.15, withParents: 0.05, other: 0.05 },
  '5-9': { inHouseFoster: 0.5, agencyFoster: 0.3, kinship: 0.12, residential: 0.03, withParents: 0.05 },
  '10-15': { inHouseFoster: 0.4, agencyFoster: 0.3, kinship: 0.08, residential: 0.15, other: 0.04, secure: 0.03 },
  '16-17': { inHouseFoster: 0.25, agencyFoster: 0.25, residential: 0.15, supported: 0.3, other: 0.05 },
};
/** Non-UASC starts per month: 178 a year, in the 175–210 of docs/DOMAIN.md §3. */
const ENTRIES_PER_MONTH = 14.8;
const EXIT_BY_BAND: Record<AgeBand, number> = { '0': 0.065, '1-4': 0.06, '5-9': 0.03, '10-15': 0.022, '16-17': 0.036 };
const EXIT_CATEGORY_FACTOR: Partial<Record<Category, number>> = {
  kinship: 1.3,
  residential: 0.6,
  supported: 1.2,
  withParents: 2,
  secure: 1.5,
  other: 1.5,
};
/** Monthly moves by band: from → to (assumption; step-down from residential, adoption placements for the young). */
const MOVES: Record<AgeBand, Partial<Record<Category, Partial<Record<Category, number>>>>> = {
  '0': {
    inHouseFoster: { placedForAdoption: 0.02, agencyFoster: 0.004 },
    agencyFoster: { placedForAdoption: 0.012, inHouseFoster: 0.006 },
    kinship: { placedForAdoption: 0.005 },
    other: { inHouseFoster: 0.1, agencyFoster: 0.04 },
  },
  '1-4': {
    inHouseFoster: { placedForAdoption: 0.015, agencyFoster: 0.005 },
    agencyFoster: { placedForAdoption: 0.01, inHouseFoster: 0.006 },
    kinship: { placedForAdoption: 0.004, inHouseFoster: 0.004 },
    withParents: { inHouseFoster: 0.02 },
    other: { inHouseFoster: 0.08 },
  },
  '5-9': {
    inHouseFoster: { agencyFoster: 0.005, residential: 0.001 },
    agencyFoster: { inHouseFoster: 0.005, residential: 0.002 },
    kinship: { inHouseFoster: 0.004 },
    residential: { agencyFoster: 0.02, inHouseFoster: 0.01 },
    withParents: { inHouseFoster: 0.02 },
  },
  '10-15': {
    inHouseFoster: { agencyFoster: 0.006, residential: 0.003 },
    agencyFoster: { inHouseFoster: 0.004, residential: 0.005 },
    kinship: { inHouseFoster: 0.004, residential: 0.002 },
    residential: { agencyFoster: 0.02, inHouseFoster: 0.008, secure: 0.003 },
    secure: { residential: 0.15 },
    other: { inHouseFoster: 0.05, residential: 0.03 },
    withParents: { inHouseFoster: 0.02 },
  },
  '16-17': {
    inHouseFoster: { supported: 0.02, agencyFoster: 0.004 },
    agencyFoster: { supported: 0.025, residential: 0.004 },
    kinship: { supported: 0.01 },
    residential: { supported: 0.03, agencyFoster: 0.01 },
    secure: { residential: 0.15 },
    other: { supported: 0.05 },
  },
};
/** Drift (docs/DOMAIN.md §6): entries shift from agency to in-house fostering until 2015, residential rises from 2016/17. */
function driftOf(year: number): { toInHouse: number; residential: number } {
  if (year <= 2013) return { toInHouse: -0.04, residential: 0.7 };
  if (year === 2014) return { toInHouse: 0.04, residential: 0.7 };
  if (year === 2015) return { toInHouse: 0.1, residential: 0.8 };
  return { toInHouse: 0.1, residential: 1.1 };
}
const UASC_PER_MONTH: Record<number, number> = { 2013: 0.2, 2014: 0.4, 2015: 1.6, 2016: 2.2, 2017: 1.6 };
const uascRate = (year: number): number => UASC_PER_MONTH[year] ?? (year < 2013 ? 0.1 : 0.6);

export const EXIT_REASON_SHARES: Record<string, Array<[string, number]>> = {
  placedForAdoption: [
    ['E11', 0.9],
    ['E12', 0.05],
    ['E45', 0.05],
  ],
  kinship: [
    ['E45', 0.45],
    ['E41', 0.15],
    ['E4A', 0.3],
    ['E8', 0.1],
  ],
  withParents: [
    ['E4A', 0.85],
    ['E4B', 0.1],
    ['E8', 0.05],
  ],
  default: [
    ['E4A', 0.4],
    ['E4B', 0.15],
    ['E13', 0.05],
    ['E46', 0.1],
    ['E41', 0.05],
    ['E8', 0.15],
    ['E3', 0.05],
    ['E5', 0.05],
  ],
};

export function demoParameters(year: number, drift = true, entryMultiplier = 1): Parameters {
  const d = drift ? driftOf(year) : driftOf(2016);
  const p: Parameters = { entriesPerMonth: {}, exitProbability: {}, moveProbability: {} };
  for (const b of AGE_BANDS) {
    const shares = { ...ENTRY_CATEGORY_SHARE[b] };
    if (shares.inHouseFoster !== undefined && shares.agencyFoster !== undefined) {
      const shift = Math.max(-shares.inHouseFoster, Math.min(shares.agencyFoster, d.toInHouse));
      shares.inHouseFoster += shift;
      shares.agencyFoster -= shift;
    }
    if (shares.residential !== undefined) shares.residential *= d.residential;
    const sum = Object.values(shares).reduce((a, v) => a + (v ?? 0), 0);
    const e: Partial<Record<Category, number>> = {};
    for (const [c, s] of Object.entries(shares) as Array<[Category, number]>)
      e[c] = (ENTRIES_PER_MONTH * entryMultiplier * ENTRY_BAND_SHARE[b] * s) / sum;
    p.entriesPerMonth[b] = e;
    const x: Partial<Record<Category, number>> = {};
    for (const c of CATEGORIES)
      x[c] = c === 'placedForAdoption' ? 0.12 : EXIT_BY_BAND[b] * (EXIT_CATEGORY_FACTOR[c] ?? 1);
    p.exitProbability[b] = x;
    const m: Partial<Record<Category, Partial<Record<Category, number>>>> = {};
    for (const [from, tos] of Object.entries(MOVES[b]) as Array<[Category, Partial<Record<Category, number>>]>) {
      const row: Partial<Record<Category, number>> = {};
      for (const [to, q] of Object.entries(tos) as Array<[Category, number]>)
        row[to] = to === 'residential' ? q * d.residential : q;
      m[from] = row;
    }
    p.moveProbability[b] = m;
  }
  return p;
}

// ---------- the simulation ----------

/** An episode as the demo writes it: the 903 fields of a read episode, without where it was read from. */
type Ep = Pick<RawEpisode, 'start' | 'end' | 'rne' | 'ls' | 'place' | 'provider' | 'rec'>;

interface Child {
  id: string;
  sex: string;
  dob: string;
  birthIndex: number;
  uascUntil: string | null;
  episodes: Ep[];
  category: Category | null;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const dateIn = (monthIdx: number, day: number): string => `${monthFromIndex(monthIdx)}-${pad(day)}`;
const dmy = (iso: string): string => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

function pick<T>(rng: Random, items: ReadonlyArray<readonly [T, number]>): T {
  const total = items.reduce((a, [, w]) => a + w, 0);
  let u = rng.next() * total;
  for (const [v, w] of items) {
    u -= w;
    if (u <= 0) return v;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
}

function poisson(rng: Random, mean: number): number {
  if (mean <= 0) return 0;
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  const u = rng.next();
  while (u > cdf && k < 1000) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

/** A 903 placement code and provider for a category. */
function placeFor(rng: Random, c: Category, ageMonths: number): { place: string; provider: string } {
  switch (c) {
    case 'inHouseFoster':
      return {
        place: pick(rng, [
          ['U4', 0.5],
          ['U6', 0.45],
          ['U5', 0.05],
        ] as const),
        provider: pick(rng, [
          ['PR1', 0.95],
          ['PR2', 0.05],
        ] as const),
      };
    case 'agencyFoster':
      return {
        place: pick(rng, [
          ['U4', 0.45],
          ['U6', 0.55],
        ] as const),
        provider: pick(rng, [
          ['PR4', 0.8],
          ['PR5', 0.2],
        ] as const),
      };
    case 'kinship':
      return {
        place: pick(rng, [
          ['U1', 0.4],
          ['U3', 0.6],
        ] as const),
        provider: 'PR1',
      };
    case 'residential':
      return {
        place: pick(rng, [
          ['K2', 0.8],
          ['R1', 0.1],
          ['S1', 0.1],
        ] as const),
        provider: pick(rng, [
          ['PR4', 0.85],
          ['PR1', 0.15],
        ] as const),
      };
    case 'supported':
      return {
        place: pick(rng, [
          ['H5', 0.7],
          ['P2', 0.3],
        ] as const),
        provider: pick(rng, [
          ['PR4', 0.7],
          ['PR1', 0.3],
        ] as const),
      };
    case 'withParents':
      return { place: 'P1', provider: 'PR0' };
    case 'placedForAdoption':
      return {
        place: pick(rng, [
          ['A4', 0.4],
          ['A6', 0.6],
        ] as const),
        provider: 'PR1',
      };
    case 'secure':
      return {
        place:
          ageMonths >= 180
            ? pick(rng, [
                ['K1', 0.6],
                ['R5', 0.4],
              ] as const)
            : 'K1',
        provider: 'PR1',
      };
    case 'other':
      return {
        place:
          ageMonths < 12
            ? 'R3'
            : pick(rng, [
                ['T4', 0.4],
                ['R2', 0.3],
                ['Z1', 0.3],
              ] as const),
        provider: pick(rng, [
          ['PR3', 0.5],
          ['PR4', 0.5],
        ] as const),
      };
  }
}

function birthdayIn(dob: string, monthIdx: number): string {
  const day = Math.min(Number(dob.slice(8, 10)), daysInMonthIndex(monthIdx));
  return dateIn(monthIdx, day);
}

export function generateDemo(rng: Random, options: DemoOptions = {}): DemoData {
  const firstYear = options.firstYear ?? 2013;
  const lastYear = options.lastYear ?? 2017;
  const burnIn = options.burnInYears ?? 10;
  const drift = options.drift ?? true;
  const mult = options.entryMultiplier ?? 1;
  const simStart = monthIndex(`${firstYear - burnIn}-04`);
  const simEnd = monthIndex(`${lastYear + 1}-03`);
  const children: Child[] = [];
  const inCare: Child[] = [];
  let serial = 100000;
  const paramsByYear = new Map<number, Parameters>();
  const paramsFor = (year: number): Parameters => {
    let p = paramsByYear.get(year);
    if (!p) {
      p = demoParameters(Math.max(year, firstYear), drift, mult);
      paramsByYear.set(year, p);
    }
    return p;
  };
  const newEpisode = (c: Child, start: string, cat: Category, rne: string, ls: string, ageMonths: number) => {
    const { place, provider } = placeFor(rng, cat, ageMonths);
    c.episodes.push({ start, end: null, rne, ls, place, provider, rec: null });
    c.category = cat;
  };
  const close = (c: Child, date: string, rec: string) => {
    const last = c.episodes[c.episodes.length - 1] as Ep;
    last.end = date;
    last.rec = rec;
  };

  for (let m = simStart; m <= simEnd; m++) {
    const year = Math.floor(m / 12) - (m % 12 >= 3 ? 0 : 1);
    const params = paramsFor(year);
    const days = daysInMonthIndex(m);
    const still: Child[] = [];
    for (const c of inCare) {
      const age = m - c.birthIndex - 1;
      const cat = c.category as Category;
      const last = c.episodes[c.episodes.length - 1] as Ep;
      const firstDay = last.start.slice(0, 7) === monthFromIndex(m) ? Number(last.start.slice(8, 10)) + 1 : 1;
      const dayAfterStart = (): number =>
        Math.min(days, firstDay + Math.floor(rng.next() * Math.max(1, days - firstDay + 1)));
      if (age >= CARE_LEAVING_AGE_MONTHS - 1) {
        close(
          c,
          birthdayIn(c.dob, m),
          pick(rng, [
            ['E17', 0.2],
            ['E5', 0.5],
            ['E8', 0.3],
          ] as const),
        );
        c.category = null;
        continue;
      }
      const band = AGE_BANDS[ageBandIndex(age)] as AgeBand;
      const u = rng.next();
      let acc = params.exitProbability[band]?.[cat] ?? 0;
      if (u < acc) {
        close(
          c,
          dateIn(m, dayAfterStart()),
          pick(rng, EXIT_REASON_SHARES[cat] ?? (EXIT_REASON_SHARES.default as Array<[string, number]>)),
        );
        c.category = null;
        continue;
      }
      let moved = false;
      for (const [to, q] of Object.entries(params.moveProbability[band]?.[cat] ?? {}) as Array<[Category, number]>) {
        acc += q;
        if (u < acc) {
          const day = dateIn(m, dayAfterStart());
          close(c, day, 'X1');
          newEpisode(c, day, to, rng.next() < 0.8 ? 'P' : 'B', rng.next() < 0.2 ? 'C2' : last.ls, age);
          moved = true;
          break;
        }
      }
      if (!moved) {
        // Episodes that are not category changes: a legal-status change, a new carer in the same category.
        const v = rng.next();
        if (v < 0.012 && last.ls !== 'C2') {
          const day = dateIn(m, dayAfterStart());
          close(c, day, 'X1');
          c.episodes.push({ ...last, start: day, end: null, rne: 'L', ls: 'C2', rec: null });
        } else if (v < 0.022) {
          const day = dateIn(m, dayAfterStart());
          close(c, day, 'X1');
          newEpisode(c, day, cat, 'P', last.ls, age);
        }
      }
      still.push(c);
    }
    inCare.length = 0;
    inCare.push(...still);
    // Entrants: non-UASC by band × category, then UASC.
    // An entrant's age is its age at the end of the month, as the engine draws it: born in month m − age.
    const arrive = (ageMonths: number, cat: Category, uasc: boolean) => {
      const birthIndex = m - ageMonths;
      const birthDay = 1 + Math.floor(rng.next() * daysInMonthIndex(birthIndex));
      const dob = dateIn(birthIndex, birthDay);
      const firstDay = ageMonths === 0 ? birthDay : 1; // a newborn enters care on or after its birth
      const start = dateIn(m, firstDay + Math.floor(rng.next() * (days - firstDay + 1)));
      const c: Child = {
        id: String(++serial),
        sex: rng.next() < 0.55 || uasc ? '1' : '2',
        dob,
        birthIndex,
        uascUntil: uasc ? birthdayIn(dob, birthIndex + CARE_LEAVING_AGE_MONTHS) : null,
        episodes: [],
        category: null,
      };
      newEpisode(c, start, cat, 'S', uasc || rng.next() < 0.45 ? 'V2' : 'C1', ageMonths);
      children.push(c);
      inCare.push(c);
    };
    for (const b of AGE_BANDS) {
      const bi = AGE_BANDS.indexOf(b);
      const lo = BAND_START_MONTHS[bi] as number;
      const hi = bandEndMonths(bi);
      for (const [cat, mean] of Object.entries(params.entriesPerMonth[b] ?? {}) as Array<[Category, number]>) {
        const n = poisson(rng, mean);
        for (let k = 0; k < n; k++) arrive(lo + Math.floor(rng.next() * (hi - lo)), cat, false);
      }
    }
    const nUasc = poisson(rng, uascRate(year) * mult);
    for (let k = 0; k < nUasc; k++) {
      const years = pick(rng, [
        [15, 0.2],
        [16, 0.4],
        [17, 0.4],
      ] as const);
      const ageMonths = Math.min(CARE_LEAVING_AGE_MONTHS - 1, years * 12 + Math.floor(rng.next() * 12));
      arrive(ageMonths, ageMonths >= 192 && rng.next() < 0.6 ? 'supported' : 'agencyFoster', true);
    }
    // Respite: short breaks for disabled children, in the return but not in the stock.
    const nRespite = poisson(rng, 0.3 * mult);
    for (let k = 0; k < nRespite; k++) {
      const ageMonths = 60 + Math.floor(rng.next() * 120);
      const birthIndex = m - ageMonths - 1;
      const dob = dateIn(birthIndex, 1 + Math.floor(rng.next() * daysInMonthIndex(birthIndex)));
      const startDay = 1 + Math.floor(rng.next() * (days - 4));
      children.push({
        id: String(++serial),
        sex: rng.next() < 0.6 ? '1' : '2',
        dob,
        birthIndex,
        uascUntil: null,
        episodes: [
          {
            start: dateIn(m, startDay),
            end: dateIn(m, startDay + 1 + Math.floor(rng.next() * 3)),
            rne: 'S',
            ls: 'V3',
            place: 'U4',
            provider: 'PR1',
            rec: 'E8',
          },
        ],
        category: null,
      });
    }
  }
  return writeReturns(rng, children, firstYear, lastYear, options.mess ?? true, drift, mult);
}

// ---------- the returns ----------

const ETHNIC = [
  ['WBRI', 0.7],
  ['WOTH', 0.1],
  ['MWBC', 0.06],
  ['AOTH', 0.05],
  ['BAFR', 0.04],
  ['OOTH', 0.05],
] as const;

function writeReturns(
  rng: Random,
  children: Child[],
  firstYear: number,
  lastYear: number,
  mess: boolean,
  drift: boolean,
  mult: number,
): DemoData {
  const headerRows: string[] = ['YEAR,CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB'];
  const episodeRows: string[] = [
    'YEAR,CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN',
  ];
  const uascRows: string[] = ['YEAR,CHILD,SEX,DOB,DUC'];
  const messLog: string[] = [];
  const ethnic = new Map<string, string>();
  const cin = new Map<string, string>();
  for (const c of children) {
    ethnic.set(c.id, pick(rng, ETHNIC));
    cin.set(
      c.id,
      pick(rng, [
        ['N1', 0.6],
        ['N4', 0.1],
        ['N5', 0.15],
        ['N8', 0.1],
        ['N2', 0.05],
      ] as const),
    );
  }
  // The mess, chosen once: which episodes are duplicated, overlapped, left open, or carry a retired code.
  const multiEpisode = children.filter((c) => c.episodes.length >= 2 && c.episodes[0]!.ls !== 'V3');
  const chosen = (n: number, from: Child[]): Child[] => {
    const out: Child[] = [];
    for (let i = 0; i < n && from.length > 0; i++) out.push(from[Math.floor(rng.next() * from.length)] as Child);
    return out;
  };
  const inWindow = (e: Ep, y: number): boolean =>
    e.start <= `${y + 1}-03-31` && (e.end === null || e.end >= `${y}-04-01`);
  const lastYearEnd = `${lastYear + 1}-03-31`;
  const overlapOf = new Map<Ep, number>();
  const openOf = new Set<Ep>();
  const duplicateOf = new Set<Ep>();
  let retired: { ep: Ep; year: number } | null = null;
  if (mess) {
    const candidates = multiEpisode.filter((c) =>
      c.episodes.some(
        (e, i) =>
          i + 1 < c.episodes.length && e.end !== null && e.end >= `${firstYear + 1}-04-01` && e.end <= lastYearEnd,
      ),
    );
    for (const c of chosen(3, candidates)) {
      const i = c.episodes.findIndex(
        (e, k) =>
          k + 1 < c.episodes.length && e.end !== null && e.end >= `${firstYear + 1}-04-01` && e.end <= lastYearEnd,
      );
      const e = c.episodes[i] as Ep;
      if (overlapOf.has(e)) continue;
      overlapOf.set(e, 1 + Math.floor(rng.next() * 5));
      messLog.push(
        `overlap: an episode ends a few days after the next one starts (repaired by ending it at the next start)`,
      );
    }
    for (const c of chosen(2, candidates)) {
      const e = c.episodes.find(
        (x, k) =>
          k + 1 < c.episodes.length && x.end !== null && x.end >= `${firstYear + 1}-04-01` && x.end <= lastYearEnd,
      ) as Ep;
      if (overlapOf.has(e) || openOf.has(e)) continue;
      openOf.add(e);
      messLog.push(
        `open episode: an episode is left with no DEC in the year it ended, although the next one started (repaired as an overlap)`,
      );
    }
    for (const c of chosen(
      3,
      multiEpisode.filter((x) => x.episodes.some((e) => inWindow(e, lastYear))),
    )) {
      const e = c.episodes.find((x) => inWindow(x, lastYear)) as Ep;
      if (duplicateOf.has(e)) continue;
      duplicateOf.add(e);
      messLog.push(`duplicate: one ${financialYearLabel(lastYear)} episode row appears twice (the later row kept)`);
    }
    // A retired code on a row that a later year returns again, so that dropping it loses nothing.
    const y = Math.max(2015, firstYear + 1);
    outer: for (const c of children) {
      for (const e of c.episodes) {
        if (
          e.ls !== 'V3' &&
          ['U4', 'U6'].includes(e.place) &&
          inWindow(e, y - 1) &&
          inWindow(e, y) &&
          inWindow(e, y + 1) &&
          y + 1 <= lastYear &&
          !overlapOf.has(e) &&
          !openOf.has(e) &&
          !duplicateOf.has(e)
        ) {
          retired = { ep: e, year: y };
          messLog.push(
            `retired code: one ${financialYearLabel(y)} row has PLACE Q2 (valid only to 2014/15) for an episode returned again in ${financialYearLabel(y + 1)}`,
          );
          break outer;
        }
      }
    }
  }
  const truth: Record<string, Record<Category, number>> = {};
  for (let y = firstYear; y <= lastYear; y++) {
    const yStart = `${y}-04-01`;
    const yEnd = `${y + 1}-03-31`;
    const yearCol = String(y + 1);
    const stock = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
    for (const c of children) {
      const eps = c.episodes.filter((e) => inWindow(e, y));
      if (eps.length === 0) continue;
      headerRows.push([yearCol, c.id, c.sex, dmy(c.dob), ethnic.get(c.id), '', '', ''].join(','));
      if (c.uascUntil !== null && c.uascUntil >= yStart)
        uascRows.push([yearCol, c.id, c.sex, dmy(c.dob), dmy(c.uascUntil)].join(','));
      for (const e of eps) {
        let dec = e.end !== null && e.end <= yEnd ? e.end : null;
        if (dec !== null && overlapOf.has(e)) {
          const d = new Date(`${dec}T00:00:00Z`);
          d.setUTCDate(d.getUTCDate() + (overlapOf.get(e) as number));
          const shifted = d.toISOString().slice(0, 10);
          if (shifted <= yEnd) dec = shifted;
        }
        if (dec !== null && openOf.has(e)) dec = null;
        const rec = dec === null ? '' : (e.rec ?? '');
        const place = retired && retired.ep === e && retired.year === y ? 'Q2' : e.place;
        const rpc = e.rne === 'P' || e.rne === 'B' ? 'CARPL' : '';
        const row = [
          yearCol,
          c.id,
          dmy(e.start),
          e.rne,
          e.ls,
          cin.get(c.id),
          place,
          e.provider,
          dec === null ? '' : dmy(dec),
          rec,
          rpc,
          '',
          '',
          '',
        ].join(',');
        episodeRows.push(row);
        if (y === lastYear && duplicateOf.has(e)) episodeRows.push(row);
        if (e.ls !== 'V3' && e.start <= yEnd && (e.end === null || e.end > yEnd)) {
          stock[categoryOfEpisode(e)]++;
        }
      }
    }
    truth[financialYearLabel(y)] = stock;
  }
  const byCollectionYear: Record<string, Parameters> = {};
  const uascArrivalsPerMonth: Record<string, number> = {};
  for (let y = firstYear; y <= lastYear; y++) {
    byCollectionYear[financialYearLabel(y)] = demoParameters(y, drift, mult);
    uascArrivalsPerMonth[financialYearLabel(y)] = uascRate(y) * mult;
  }
  return {
    header: headerRows.join('\n') + '\n',
    episodes: episodeRows.join('\n') + '\n',
    uasc: uascRows.join('\n') + '\n',
    known: {
      description:
        'Parameters the demo data were generated from (engine format, per collection year; constant from 2016/17). Non-UASC entries only; UASC arrivals by year below. Respite short breaks (LS V3) about 0.3 a month, not in the stock.',
      byCollectionYear,
      uascArrivalsPerMonth,
      exitReasonShares: Object.fromEntries(
        Object.entries(EXIT_REASON_SHARES).map(([k, v]) => [k, Object.fromEntries(v)]),
      ),
      mess: messLog,
    },
    truth,
  };
}

function categoryOfEpisode(e: Ep): Category {
  // Kept local so the generator does not depend on the reader it is used to test.
  const map: Record<string, Category> = {
    U1: 'kinship',
    U3: 'kinship',
    K2: 'residential',
    R1: 'residential',
    S1: 'residential',
    H5: 'supported',
    P2: 'supported',
    P1: 'withParents',
    A4: 'placedForAdoption',
    A6: 'placedForAdoption',
    K1: 'secure',
    R5: 'secure',
    R3: 'other',
    T4: 'other',
    R2: 'other',
    Z1: 'other',
  };
  if (e.place === 'U4' || e.place === 'U5' || e.place === 'U6')
    return e.provider === 'PR1' || e.provider === 'PR2' ? 'inHouseFoster' : 'agencyFoster';
  return map[e.place] ?? 'other';
}
