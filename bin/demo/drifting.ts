/**
 * A synthetic history with KNOWN entry-rate drift and sibling groups (the calibration tests and
 * `npm run calibrate -- --synthetic`). The monthly chain is the engine's own: in each month a child in care at its
 * start makes one categorical draw (exit, move, stay) with the demo's fixed rates (bin/demo/synthetic.ts, the
 * parameters of 2016/17), leaves at 18, and entrants arrive at the month's end. What differs from the engine's
 * default assumptions is what the issue asks the model to learn:
 * - the log of the entry rate takes a random walk with `driftSdPerYear` (monthly steps of sd σ/√12) over the written
 *   years (constant during the burn-in);
 * - optionally (`exitDriftSdPerYear`), the log of one multiplier of every exit rate takes a random walk too;
 * - entries arrive in groups: Poisson(rate / mean size) groups a month, each of a size drawn from `groupSizes`; a
 *   group shares its category, and each child's age band is drawn from that category's entry shares.
 * Other kinds of history, for calibration (docs/uncertainty.md, "Other kinds of history"): a steady trend in the entry
 * rate (`entryTrendPerYear`), a step change (`entryStep`), both on top of the walk (set its sd to 0 for neither), and
 * the council's size (`entryMultiplier`); and a steady trend in every exit rate (`exitTrendPerYear`: children leave
 * care faster or slower year on year), on top of the exit walk. Neither trend nor the step makes a draw.
 * Output: cleaned children (what ingest would produce), no UASC, and the known values; `ssda903OfHistory` writes
 * them as SSDA903 returns (`npm run demo-data -- --drifting --out DIR`).
 */
import {
  AGE_BANDS,
  BAND_START_MONTHS,
  CATEGORIES,
  CARE_LEAVING_AGE_MONTHS,
  ageBandIndex,
  bandEndMonths,
} from '#models/placement';
import type { AgeBand, Category } from '#models/placement';
import { daysInMonthIndex, monthEndDate, monthFromIndex, monthIndex } from '#models/calendar';
import type { CleanChild, CleanEpisode, Dataset } from '#models/dataset';
import { estimateFromChildren } from '#models/estimate';
import { qualityReport } from '#models/ingest/quality';
import { Rng, normalQuantile } from '#models/random';
import { lastFullMonth, stockAt } from '#models/stock';
import { demoParameters } from './synthetic.js';

export interface DriftingOptions {
  seed?: number;
  /** first written month and number of written years */
  start?: string;
  years?: number;
  burnInYears?: number;
  /** sd of the log entry rate's change over a year (0: a fixed rate) */
  driftSdPerYear?: number;
  /** sd of the log exit rates' change over a year (0, the default: fixed exit rates) */
  exitDriftSdPerYear?: number;
  /** share of groups by size */
  groupSizes?: Record<number, number>;
  /** write each entry's group size on its first episode, as ingest does with home postcodes */
  recordGroups?: boolean;
  /** multiplies every entry rate: the council's size (0.15 about 50 in care, 4 about 1,400; 1 about 350) */
  entryMultiplier?: number;
  /**
   * a steady trend in the entry rate over the written years, as a share a year (−0.15: starts fall 15% a year,
   * rate × 0.85^(t/12) in written month t), on top of the walk; 0, the default: none
   */
  entryTrendPerYear?: number;
  /** a step change: from the first written month `month` ('yyyy-mm') on, the entry rate × `factor` (1.4: +40%) */
  entryStep?: { month: string; factor: number };
  /**
   * a steady trend in every exit rate over the written years, as a share a year (0.1: each exit probability × 1.1^(t/12)
   * in written month t, capped so exit + moves ≤ 1), on top of the exit walk; 0, the default: none
   */
  exitTrendPerYear?: number;
}

export interface DriftingHistory {
  children: CleanChild[];
  period: { start: string; end: string };
  known: {
    driftSdPerYear: number;
    exitDriftSdPerYear: number;
    groupSizes: Record<number, number>;
    meanGroupSize: number;
    dispersion: number;
  };
  /** the entry-rate factor in force in each written month: the walk exp(x) × the trend × the step */
  rateFactor: number[];
  /** the exit rates' factor in force in each written month: the exit walk exp(x) × the exit trend */
  exitFactor: number[];
}

interface Kid {
  birth: number;
  cat: Category;
  episodes: CleanEpisode[];
  key: string;
}

const pickIndex = (cum: number[], u: number): number => {
  let i = 0;
  while (i < cum.length - 1 && u > cum[i]!) i++;
  return i;
};
const sumOf = (r: Partial<Record<Category, number>>): number =>
  Object.values(r).reduce((a: number, v) => a + (v ?? 0), 0);
const cumulativeOf = (w: number[]): number[] => {
  const total = w.reduce((a, b) => a + b, 0);
  let acc = 0;
  return w.map((v) => (acc += v / total));
};

export function generateDriftingHistory(options: DriftingOptions = {}): DriftingHistory {
  const rng = new Rng(options.seed ?? 1);
  const sigma = options.driftSdPerYear ?? 0.2;
  const sigmaExit = options.exitDriftSdPerYear ?? 0;
  const groupSizes = options.groupSizes ?? { 1: 0.72, 2: 0.18, 3: 0.07, 4: 0.03 };
  const years = options.years ?? 10;
  const first = monthIndex(options.start ?? '2010-04');
  const last = first + 12 * years - 1;
  const simStart = first - 12 * (options.burnInYears ?? 18);
  const params = demoParameters(2016, false, options.entryMultiplier ?? 1);
  // the trend and the step are deterministic (no draw): with neither, the same history draw for draw as before
  const trendPerMonth = Math.log(1 + (options.entryTrendPerYear ?? 0)) / 12;
  if (!Number.isFinite(trendPerMonth)) throw new RangeError('entryTrendPerYear: must be above −1');
  const stepAt = options.entryStep ? monthIndex(options.entryStep.month) : Number.POSITIVE_INFINITY;
  const stepFactor = options.entryStep?.factor ?? 1;
  const fixedFactor = (m: number): number =>
    m < first ? 1 : Math.exp(trendPerMonth * (m - first)) * (m >= stepAt ? stepFactor : 1);
  const exitTrendPerMonth = Math.log(1 + (options.exitTrendPerYear ?? 0)) / 12;
  if (!Number.isFinite(exitTrendPerMonth)) throw new RangeError('exitTrendPerYear: must be above −1');

  // entry cells (band × category) and, per category, the bands
  const cells: Array<{ b: number; c: Category; w: number }> = [];
  AGE_BANDS.forEach((band, b) => {
    for (const c of CATEGORIES) {
      const w = params.entriesPerMonth[band]?.[c] ?? 0;
      if (w > 0) cells.push({ b, c, w });
    }
  });
  const lambda = cells.reduce((a, x) => a + x.w, 0);
  const cellCum = cumulativeOf(cells.map((x) => x.w));
  const bandCum = new Map<Category, number[]>();
  for (const c of CATEGORIES) {
    const w = AGE_BANDS.map((band) => params.entriesPerMonth[band]?.[c] ?? 0);
    if (w.some((v) => v > 0)) bandCum.set(c, cumulativeOf(w));
  }
  const sizeList = Object.keys(groupSizes).map(Number);
  const sizeCum = cumulativeOf(sizeList.map((s) => groupSizes[s]!));
  const meanSize =
    sizeList.reduce((a, s) => a + s * groupSizes[s]!, 0) / sizeList.reduce((a, s) => a + groupSizes[s]!, 0);
  const m2 =
    sizeList.reduce((a, s) => a + s * s * groupSizes[s]!, 0) / sizeList.reduce((a, s) => a + groupSizes[s]!, 0);

  const all: Kid[] = [];
  let inCare: Kid[] = [];
  let serial = 0;
  let x = 0;
  let xExit = 0; // the log of the exit rates' multiplier
  const rateFactor: number[] = [];
  const exitFactors: number[] = [];
  const day = (m: number, from = 1): string =>
    `${monthFromIndex(m)}-${String(Math.min(daysInMonthIndex(m), from + Math.floor(rng.next() * (daysInMonthIndex(m) - from + 1)))).padStart(2, '0')}`;

  for (let m = simStart; m <= last; m++) {
    // the exit rates' walk over the written years (no draw at all when it is off: the same history as before)
    if (sigmaExit > 0 && m >= first) xExit += (sigmaExit / Math.sqrt(12)) * normalQuantile(rng.next());
    const exitFactor = Math.exp(xExit + (m >= first ? exitTrendPerMonth * (m - first) : 0));
    if (m >= first) exitFactors.push(exitFactor);
    // the month's draws for children in care at its start
    const still: Kid[] = [];
    for (const k of inCare) {
      const age = m - k.birth - 1;
      const ep = k.episodes[k.episodes.length - 1]!;
      const startDay = ep.start.slice(0, 7) === monthFromIndex(m) ? Number(ep.start.slice(8, 10)) : 1;
      if (age >= CARE_LEAVING_AGE_MONTHS - 1) {
        ep.end = day(m, startDay);
        ep.reasonEnded = 'E8';
        continue;
      }
      const band = AGE_BANDS[ageBandIndex(age)] as AgeBand;
      const u = rng.next();
      const moveRates = params.moveProbability[band]?.[k.cat] ?? {};
      const exitRate = (params.exitProbability[band]?.[k.cat] ?? 0) * exitFactor;
      // capped so exit + moves ≤ 1 (only a far-tail factor reaches the cap: other histories are the same draw for draw)
      let acc = exitFactor > 1 ? Math.min(exitRate, Math.max(0, 1 - sumOf(moveRates))) : exitRate;
      if (u < acc) {
        ep.end = day(m, startDay);
        ep.reasonEnded = 'E4A';
        continue;
      }
      for (const [to, q] of Object.entries(moveRates) as Array<[Category, number]>) {
        acc += q;
        if (u < acc) {
          const date = day(m, startDay);
          ep.end = date;
          ep.reasonEnded = 'X1';
          k.episodes.push({ start: date, end: null, category: to, place: '', legalStatus: 'C2', reasonEnded: null });
          k.cat = to;
          break;
        }
      }
      still.push(k);
    }
    inCare = still;
    // entries, in groups, at the drifting rate
    if (m >= first) {
      x += (sigma / Math.sqrt(12)) * normalQuantile(rng.next());
      rateFactor.push(Math.exp(x) * fixedFactor(m));
    }
    const groups = rng.poisson((lambda * Math.exp(x) * fixedFactor(m)) / meanSize);
    for (let g = 0; g < groups; g++) {
      const size = sizeList[pickIndex(sizeCum, rng.next())]!;
      const lead = cells[pickIndex(cellCum, rng.next())]!;
      const date = day(m);
      for (let j = 0; j < size; j++) {
        const b = j === 0 ? lead.b : pickIndex(bandCum.get(lead.c)!, rng.next());
        const width = bandEndMonths(b) - BAND_START_MONTHS[b]!;
        const ageEnd = Math.min(CARE_LEAVING_AGE_MONTHS - 2, BAND_START_MONTHS[b]! + Math.floor(rng.next() * width));
        const ep: CleanEpisode = {
          start: date,
          end: null,
          category: lead.c,
          place: '',
          legalStatus: 'C2',
          reasonEnded: null,
        };
        if (options.recordGroups) ep.entryGroupSize = size;
        const kid: Kid = { birth: m - ageEnd, cat: lead.c, episodes: [ep], key: `G${++serial}` };
        all.push(kid);
        inCare.push(kid);
      }
    }
  }

  const periodStart = `${monthFromIndex(first)}-01`;
  const periodEnd = monthEndDate(last);
  const children: CleanChild[] = [];
  for (const k of all) {
    const episodes = k.episodes.filter((e) => e.end === null || e.end >= periodStart);
    if (episodes.length === 0) continue;
    children.push({ key: k.key, birthMonth: monthFromIndex(k.birth), episodes });
  }
  return {
    children,
    period: { start: periodStart, end: periodEnd },
    known: {
      driftSdPerYear: sigma,
      exitDriftSdPerYear: sigmaExit,
      groupSizes,
      meanGroupSize: meanSize,
      dispersion: m2 / meanSize,
    },
    rateFactor,
    exitFactor: exitFactors,
  };
}

/** The history as a Dataset (what an ingest of it would store), estimated over the last `windowMonths`. */
export function datasetOfHistory(h: DriftingHistory, windowMonths = 24): Dataset {
  const lastMonth = lastFullMonth(h.period.end);
  const from = Math.max(monthIndex(lastMonth) - windowMonths + 1, monthIndex(h.period.start.slice(0, 7)));
  const at = stockAt(h.children, h.period.end);
  return {
    format: 'records',
    period: h.period,
    counts: {
      children: h.children.length,
      episodes: h.children.reduce((n, c) => n + c.episodes.length, 0),
      rowsRead: 0,
      rowsDropped: 0,
    },
    children: h.children,
    stock: at.stock,
    initial: at.initial,
    estimate: estimateFromChildren(h.children, monthFromIndex(from), lastMonth, {
      historyFrom: h.period.start.slice(0, 7),
    }),
    quality: qualityReport([], []),
  };
}

/** A placement code and provider for each category (any that ingest reads back as that category). */
const PLACE_OF: Record<Category, readonly [string, string]> = {
  inHouseFoster: ['U4', 'PR1'],
  agencyFoster: ['U4', 'PR4'],
  kinship: ['U3', 'PR1'],
  residential: ['K2', 'PR4'],
  supported: ['H5', 'PR4'],
  withParents: ['P1', 'PR0'],
  placedForAdoption: ['A4', 'PR1'],
  secure: ['K1', 'PR1'],
  other: ['R3', 'PR1'],
};

const dmy = (iso: string): string => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/**
 * The history as SSDA903 returns, stacked with a YEAR column as data/demo is (`header.csv`, `episodes.csv`): per
 * collection year every episode open during it, DEC blank while open at 31 March, RNE S for the first and P for the
 * others, legal status C2. The history must start on 1 April (collection years). A birth day is made up from the
 * child's key (the 1st for a child entering in its birth month), since the generator keeps birth months only. No
 * UASC, no respite, no mess: what ingest reads back is the history itself (tests/unit/drifting-903.test.ts).
 */
export function ssda903OfHistory(h: DriftingHistory): { header: string; episodes: string } {
  if (h.period.start.slice(5) !== '04-01') throw new RangeError('the history must start on 1 April');
  const firstYear = Number(h.period.start.slice(0, 4));
  const lastYear = Number(h.period.end.slice(0, 4)) - (h.period.end.slice(5) >= '04-01' ? 0 : 1);
  const header = ['YEAR,CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB'];
  const episodes = [
    'YEAR,CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN',
  ];
  for (let y = firstYear; y <= lastYear; y++) {
    const yStart = `${y}-04-01`;
    const yEnd = `${y + 1}-03-31`;
    for (const c of h.children) {
      const eps = c.episodes.filter((e) => e.start <= yEnd && (e.end === null || e.end >= yStart));
      if (eps.length === 0) continue;
      const n = Number(c.key.replace(/\D/g, ''));
      const bornInEntryMonth = c.episodes[0]!.start.slice(0, 7) === c.birthMonth;
      const dobDay = bornInEntryMonth ? 1 : 1 + ((n * 37) % 28);
      const id = String(100000 + n);
      header.push(
        `${y + 1},${id},${n % 2 === 0 ? 1 : 2},${dmy(`${c.birthMonth}-${String(dobDay).padStart(2, '0')}`)},WBRI,,,`,
      );
      for (const e of eps) {
        const first = e === c.episodes[0];
        const [place, provider] =
          e.category === 'supported' && y >= 2025 ? (['K3', 'PR4'] as const) : PLACE_OF[e.category];
        const closed = e.end !== null && e.end <= yEnd;
        episodes.push(
          [
            y + 1,
            id,
            dmy(e.start),
            first ? 'S' : 'P',
            'C2',
            'N1',
            place,
            provider,
            closed ? dmy(e.end!) : '',
            closed ? (e.reasonEnded ?? 'E8') : '',
            first ? '' : 'CARPL',
            '',
            '',
            '',
          ].join(','),
        );
      }
    }
  }
  return { header: `${header.join('\n')}\n`, episodes: `${episodes.join('\n')}\n` };
}
