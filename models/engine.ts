/**
 * The Monte Carlo forecast engine.
 *
 * Semantics (the README states them too; tests pin them). Monthly steps; in month t:
 *  0. Capacity (when not null): households join Poisson(recruitmentPerYear/12) and leave
 *     Binomial(households, householdLossPerYear/12); in-house places = floor(households × placesPerHousehold).
 *  1. Every child in care at the start of the month, in its age band at the start of the month, makes one categorical
 *     draw: exit with exitProbability, move to j with moveProbability[..][j], else stay. Moves into in-house fostering
 *     are resolved after the month's exits and other moves: with no free place the child goes to agency fostering with
 *     probability agencyAvailability, else to residential, and counts as overflow.
 *  2. The child ages one month; at 216 months (18) it leaves care.
 *  3. Non-UASC entrants arrive: Poisson(entriesPerMonth[band][category] × entries.multiplier), each with an age drawn
 *     uniformly over the months of its band (its age at the end of the month). They are in the end-of-month count and
 *     face no exit that month. An entrant into in-house fostering with no free place overflows as in step 1.
 *  4. Capacity: when places are below occupancy the excess children (chosen at random) move to agency fostering; when
 *     places are free, each agency-fostered child moves in-house with stepAcrossProbability (up to the free places).
 *  5. UASC: threshold(t) = round(rate in force on the month's last day × child population). Spontaneous arrivals always
 *     arrive, except that from 24 August 2022 those that would take the count above the threshold are referred on;
 *     then NTS transfers arrive only while the UASC count is below the threshold and never take it above.
 *  6. A child in a placement at the end of the month is charged for the whole month: weekly cost × days / 7, at prices
 *     of the financial year containing costs.priceBase, × (1 + inflation) for each later financial year. A cost given
 *     as {min, mode, max} is triangular, drawn once per placement spell and kept while the spell lasts.
 *
 * How it is fast: the monthly categorical draw of step 1 is never simulated month by month. A child whose exit-or-move
 * hazard is q per month waits a Geometric(q) number of months (one uniform), so each child costs a draw only when
 * something happens to it: an exit, a move, a new age band (hazards change), or its 18th birthday. Events sit in a
 * bucket queue by month. Summaries go into histograms and sketches whose size does not grow with the number of runs.
 *
 * Common random numbers: each child has its own random stream keyed by (seed, run, child serial) — initial children by
 * position, entrants by (month, order of arrival) — and run-level events (households, entries, UASC, capacity choices)
 * have their own streams. Two scenarios run with the same seed meet the same randomness wherever their paths agree.
 */
import {
  AGE_BANDS,
  AGE_BAND_COUNT,
  BAND_START_MONTHS,
  CARE_LEAVING_AGE_MONTHS,
  CATEGORIES,
  CATEGORY_COUNT,
  ageBandIndex,
  bandEndMonths,
  categoryIndex,
  type Category,
} from './placement.js';
import { financialYearLabel, financialYearStart, monthEndDate, monthFromIndex, monthIndex } from './calendar.js';
import { isTriangular, monthlyChargePerWeeklyPound, weeklyCostMean } from './costs.js';
import { AliasTable, BinomialTable, PoissonTable, Rng, streamSeed, triangularInverse, uniform } from './random.js';
import type { Scenario } from './scenario.js';
import type { FinancialYearCost, ForecastResult, Quantiles, ScalarQuantiles, Series } from './result.js';
import { CountSeries, LogSketch, SketchSeries } from './summary.js';
import { childPopulationAt, rateInForce, referralRuleApplies, uascThreshold } from './uasc.js';

export interface SimulateOptions {
  /** called about 100 times over a simulation */
  onProgress?: (runsDone: number, runs: number) => void;
  /** keep per-run totals (FY costs, horizon counts) so variants can be paired run by run */
  collectRunTotals?: boolean;
  /** polled with the progress callback; true stops the simulation with SimulationCancelled */
  shouldCancel?: () => boolean;
  /** called at the end of every month of every run (tests and diagnostics; slows the engine) */
  onMonthEnd?: (run: number, month: number, state: MonthEndState) => void;
}

/** The end-of-month state of one run, as seen by `onMonthEnd`. The arrays are reused: copy what you keep. */
export interface MonthEndState {
  counts: Int32Array; // by category, in CATEGORIES order
  places: number;
  households: number;
  overflow: number;
  uascCount: number;
  uascThreshold: number;
  transfers: number;
  spontaneous: number;
  referredOn: number;
  monthCost: number;
}

export class SimulationCancelled extends Error {
  constructor() {
    super('simulation cancelled');
    this.name = 'SimulationCancelled';
  }
}

const NC = CATEGORY_COUNT;
const NB = AGE_BAND_COUNT;
const IN_HOUSE = categoryIndex.inHouseFoster;
const AGENCY = categoryIndex.agencyFoster;
const RESIDENTIAL = categoryIndex.residential;
const LAST_MONTH_IN_CARE = CARE_LEAVING_AGE_MONTHS - 1; // age 215 at the start of a month: leaves at its end

const KIND_TRANSITION = 0;
const KIND_LEAVE = 2;

// Stream index spaces under a run seed: initial children 0..; entrants and UASC arrivals above ENTRANT_BASE;
// run-level streams above RUN_STREAM_BASE.
const ENTRANT_BASE = 1 << 24;
const MONTH_SLOTS = 1 << 13; // up to 4,096 entrants and 4,096 UASC arrivals a month
const UASC_OFFSET = 1 << 12;
const RUN_STREAM_BASE = 1 << 30;
const S_HOUSEHOLDS = 0;
const S_ENTRIES = 1;
const S_UASC = 2;
const S_CAPACITY = 3;
const S_PARAMS = 4;

const BAND_OF_AGE = Uint8Array.from({ length: CARE_LEAVING_AGE_MONTHS }, (_, a) => ageBandIndex(a));
const BAND_END = Int32Array.from({ length: NB }, (_, b) => bandEndMonths(b));
/** survival table length: one more than the widest band (72 months) */
const SURV = 73;

/** The rates of one run in flat arrays: cell = band × NC + category. */
interface Rates {
  exit: Float64Array; // NB*NC
  move: Float64Array; // NB*NC*NC
  entry: Float64Array; // NB*NC (per month, multiplier applied)
}

interface RateTables {
  q: Float64Array;
  /** survival[cell * SURV + n] = (1 − q)^n: the chance of no event in n months in this cell */
  survival: Float64Array;
  /** 1 / log2(1 − q), for a first guess at the waiting time */
  invLog2: Float64Array;
  outStart: Int32Array;
  outLen: Int32Array;
  outCum: Float64Array;
  outTarget: Int8Array;
  entryAlias: AliasTable;
  entryTable: PoissonTable;
}

function pointRates(s: Scenario): Rates {
  const exit = new Float64Array(NB * NC);
  const move = new Float64Array(NB * NC * NC);
  const entry = new Float64Array(NB * NC);
  const m = s.entries.multiplier;
  AGE_BANDS.forEach((band, b) => {
    CATEGORIES.forEach((cat, c) => {
      exit[b * NC + c] = s.parameters.exitProbability[band]?.[cat] ?? 0;
      entry[b * NC + c] = (s.parameters.entriesPerMonth[band]?.[cat] ?? 0) * m;
      const mv = s.parameters.moveProbability[band]?.[cat];
      if (mv) CATEGORIES.forEach((to, j) => (move[(b * NC + c) * NC + j] = to === cat ? 0 : (mv[to] ?? 0)));
    });
  });
  return { exit, move, entry };
}

/**
 * Parameter uncertainty: each run draws its rates from posteriors given the evidence, centred on the scenario's own
 * rates (so user overrides keep their meaning). Per band × category with exposure E, exits e and moves m_j, the
 * outcome shares are Dirichlet(e, m_1, …, E − e − Σm); entries per month are Gamma(count)/months. Each drawn value
 * is the scenario's rate × (draw / posterior mean); a rate with no events behind it stays as given.
 */
function drawRates(s: Scenario, point: Rates, rng: Rng): Rates {
  const ev = s.parameters.evidence;
  if (!ev) return point;
  const exit = Float64Array.from(point.exit);
  const move = Float64Array.from(point.move);
  const entry = Float64Array.from(point.entry);
  AGE_BANDS.forEach((band, b) => {
    CATEGORIES.forEach((cat, c) => {
      const cell = b * NC + c;
      const entries = ev.entries[band]?.[cat] ?? 0;
      if (entries > 0 && point.entry[cell]! > 0) entry[cell] = point.entry[cell]! * (rng.gamma(entries) / entries);
      const exposure = ev.exposureMonths[band]?.[cat] ?? 0;
      if (exposure <= 0) return;
      const exits = ev.exits[band]?.[cat] ?? 0;
      const moves = CATEGORIES.map((to) => ev.moves[band]?.[cat]?.[to] ?? 0);
      const events = exits + moves.reduce((a, v) => a + v, 0);
      const stay = Math.max(0, exposure - events);
      const gExit = rng.gamma(exits);
      const gMoves = moves.map((m) => rng.gamma(m));
      const gStay = rng.gamma(stay);
      const total = gExit + gMoves.reduce((a, v) => a + v, 0) + gStay;
      if (total <= 0) return;
      let sum = 0;
      if (exits > 0 && point.exit[cell]! > 0) exit[cell] = point.exit[cell]! * (gExit / total) / (exits / exposure);
      sum += exit[cell]!;
      for (let j = 0; j < NC; j++) {
        const mj = moves[j]!;
        const k = cell * NC + j;
        if (mj > 0 && point.move[k]! > 0) move[k] = point.move[k]! * (gMoves[j]! / total) / (mj / exposure);
        sum += move[k]!;
      }
      if (sum > 1) {
        // a draw in the far tail: keep the categorical draw valid
        exit[cell] = exit[cell]! / sum;
        for (let j = 0; j < NC; j++) move[cell * NC + j] = move[cell * NC + j]! / sum;
      }
    });
  });
  return { exit, move, entry };
}

function buildTables(r: Rates): RateTables {
  const q = new Float64Array(NB * NC);
  const survival = new Float64Array(NB * NC * SURV);
  const invLog2 = new Float64Array(NB * NC);
  const outStart = new Int32Array(NB * NC);
  const outLen = new Int32Array(NB * NC);
  const cum: number[] = [];
  const target: number[] = [];
  for (let cell = 0; cell < NB * NC; cell++) {
    let total = r.exit[cell]!;
    for (let j = 0; j < NC; j++) total += r.move[cell * NC + j]!;
    total = Math.min(1, total);
    q[cell] = total;
    invLog2[cell] = total > 0 && total < 1 ? 1 / Math.log2(1 - total) : 0;
    let sv = 1;
    for (let n = 0; n < SURV; n++) {
      survival[cell * SURV + n] = sv;
      sv *= 1 - total;
    }
    outStart[cell] = cum.length;
    if (total > 0) {
      let acc = 0;
      if (r.exit[cell]! > 0) {
        acc += r.exit[cell]! / total;
        cum.push(acc);
        target.push(-1);
      }
      for (let j = 0; j < NC; j++) {
        const p = r.move[cell * NC + j]!;
        if (p > 0) {
          acc += p / total;
          cum.push(acc);
          target.push(j);
        }
      }
      cum[cum.length - 1] = 1; // guard against rounding: the last outcome takes the remainder
    }
    outLen[cell] = cum.length - outStart[cell]!;
  }
  let entryTotal = 0;
  for (let cell = 0; cell < NB * NC; cell++) entryTotal += r.entry[cell]!;
  return {
    q,
    survival,
    invLog2,
    outStart,
    outLen,
    outCum: Float64Array.from(cum),
    outTarget: Int8Array.from(target),
    entryAlias: new AliasTable(r.entry),
    entryTable: new PoissonTable(entryTotal),
  };
}

/** Cumulative shares for a small categorical draw (UASC ages and placements). */
function cumulative(weights: number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  const out = Float64Array.from(weights, (w) => (acc += total > 0 ? w / total : 0));
  if (out.length) out[out.length - 1] = 1;
  return out;
}

/** The first index whose cumulative share reaches u (binary search). */
function pick(cum: Float64Array, u: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u > cum[mid]!) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HIW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** log2(x) for 0 < x ≤ 1 to about 1e-4, from the IEEE-754 bits (a first guess only: callers correct it exactly). */
function fastLog2(x: number): number {
  F64[0] = x;
  const hi = U32[HIW]!;
  const e = (hi >>> 20) - 1023;
  U32[HIW] = (hi & 0x000fffff) | 0x3ff00000;
  const m = F64[0]!;
  return e + (-1.7417939 + (2.8212026 + (-1.4699568 + (0.44717955 - 0.056570851 * m) * m) * m) * m);
}

/**
 * The children of one run, struct-of-arrays, reused across runs. Slots are recycled through a free list.
 */
class World {
  cap = 0;
  birth = new Int32Array(0); // month index (relative to the forecast start) in which age = 0
  cat = new Uint8Array(0);
  uasc = new Uint8Array(0);
  st = new Int32Array(0); // the child's random stream
  wcost = new Float64Array(0); // weekly cost of the current placement spell (price-base prices)
  evM = new Int32Array(0); // month of the scheduled event, -1 if none
  evK = new Uint8Array(0);
  nxt = new Int32Array(0);
  prv = new Int32Array(0);
  pos = new Int32Array(0); // position in lists[cat]
  free = new Int32Array(0);
  freeTop = 0;
  top = 0;
  lists: Int32Array[] = [];
  counts = new Int32Array(NC);
  spellCost = new Float64Array(NC);
  bucket: Int32Array;
  uascCount = 0;

  /** monthly event probability and survival tables per cell (set per run) */
  q: Float64Array = new Float64Array(NB * NC);
  survival: Float64Array = new Float64Array(NB * NC * SURV);
  invLog2: Float64Array = new Float64Array(NB * NC);
  private readonly fixedCost = new Float64Array(NC);
  private readonly triMin = new Float64Array(NC);
  private readonly triMode = new Float64Array(NC);
  private readonly triMax = new Float64Array(NC);
  private readonly tri = new Uint8Array(NC);

  constructor(
    readonly horizon: number,
    costs: (import('./scenario.js').WeeklyCost | undefined)[],
  ) {
    this.bucket = new Int32Array(horizon + 1);
    costs.forEach((cost, k) => {
      if (isTriangular(cost)) {
        this.tri[k] = 1;
        this.triMin[k] = cost.min;
        this.triMode[k] = cost.mode;
        this.triMax[k] = cost.max;
      } else this.fixedCost[k] = cost ?? 0;
    });
    this.grow(1024);
  }

  private grow(n: number): void {
    const old = this.cap;
    const g = <T extends Int32Array | Uint8Array | Float64Array>(a: T, C: new (n: number) => T): T => {
      const b = new C(n);
      b.set(a);
      return b;
    };
    this.birth = g(this.birth, Int32Array);
    this.cat = g(this.cat, Uint8Array);
    this.uasc = g(this.uasc, Uint8Array);
    this.st = g(this.st, Int32Array);
    this.wcost = g(this.wcost, Float64Array);
    this.evM = g(this.evM, Int32Array);
    this.evK = g(this.evK, Uint8Array);
    this.nxt = g(this.nxt, Int32Array);
    this.prv = g(this.prv, Int32Array);
    this.pos = g(this.pos, Int32Array);
    this.free = g(this.free, Int32Array);
    this.lists = Array.from({ length: NC }, (_, k) => g(this.lists[k] ?? new Int32Array(0), Int32Array));
    this.cap = n;
    void old;
  }

  reset(): void {
    this.bucket.fill(-1);
    this.counts.fill(0);
    this.spellCost.fill(0);
    this.freeTop = 0;
    this.top = 0;
    this.uascCount = 0;
  }

  alloc(): number {
    if (this.freeTop > 0) return this.free[--this.freeTop]!;
    if (this.top === this.cap) this.grow(this.cap * 2);
    return this.top++;
  }

  addToCat(c: number, k: number): void {
    this.cat[c] = k;
    const n = this.counts[k]!;
    this.lists[k]![n] = c;
    this.pos[c] = n;
    this.counts[k] = n + 1;
    this.spellCost[k]! += this.wcost[c]!;
  }

  removeFromCat(c: number): void {
    const k = this.cat[c]!;
    const i = this.pos[c]!;
    const n = this.counts[k]! - 1;
    const list = this.lists[k]!;
    const last = list[n]!;
    list[i] = last;
    this.pos[last] = i;
    this.counts[k] = n;
    this.spellCost[k] = n === 0 ? 0 : this.spellCost[k]! - this.wcost[c]!;
  }

  /** Start a new placement spell in category k (draws the spell's weekly cost from the child's stream). */
  place(c: number, k: number): void {
    this.wcost[c] = this.tri[k]
      ? triangularInverse(this.triMin[k]!, this.triMode[k]!, this.triMax[k]!, uniform(this.st, c))
      : this.fixedCost[k]!;
    this.addToCat(c, k);
  }

  push(c: number, t: number, kind: number): void {
    const head = this.bucket[t]!;
    this.evM[c] = t;
    this.evK[c] = kind;
    this.nxt[c] = head;
    this.prv[c] = -1;
    if (head >= 0) this.prv[head] = c;
    this.bucket[t] = c;
  }

  unlink(c: number): void {
    const t = this.evM[c]!;
    if (t < 0) return;
    const p = this.prv[c]!;
    const n = this.nxt[c]!;
    if (p >= 0) this.nxt[p] = n;
    else this.bucket[t] = n;
    if (n >= 0) this.prv[n] = p;
    this.evM[c] = -1;
  }

  /**
   * Schedule the child's next event from month t0, the first month whose draw is not yet made. One uniform U is
   * drawn and the event falls in the first month whose survival — the product of (1 − q) over the months from t0,
   * band by band — is at or below U. P(no event in k months) = survival(k), which is exactly the monthly categorical
   * chain, at one draw per event instead of one per month (and no logarithm: survivals come from a table).
   */
  schedule(c: number, t0: number): void {
    const H = this.horizon;
    if (t0 >= H) return;
    const birth = this.birth[c]!;
    const leaveT = birth + LAST_MONTH_IN_CARE;
    const lastT = leaveT < H - 1 ? leaveT : H - 1;
    const q = this.q;
    const survival = this.survival;
    let band = BAND_OF_AGE[t0 - birth]!;
    let cell = band * NC + this.cat[c]!;
    let t = t0;
    let u = -1; // drawn when first needed
    let alive = 1; // survival up to month t
    while (t <= lastT) {
      const bandLast = birth + BAND_END[band]! - 1;
      const segEnd = bandLast < lastT ? bandLast : lastT;
      if (q[cell]! > 0) {
        if (u < 0) u = uniform(this.st, c);
        const n = segEnd - t + 1;
        const base = cell * SURV;
        const target = u / alive; // event in the k-th month of the segment: first k with survival(k) ≤ target
        if (survival[base + n]! <= target) {
          // k ≈ log(target) / log(1 − q) from a fast logarithm, then made exact against the table
          let k = Math.ceil(fastLog2(target) * this.invLog2[cell]!);
          if (k < 1) k = 1;
          else if (k > n) k = n;
          while (k > 1 && survival[base + k - 1]! <= target) k--;
          while (survival[base + k]! > target) k++;
          this.push(c, t + k - 1, KIND_TRANSITION);
          return;
        }
        alive *= survival[base + n]!;
      }
      t = segEnd + 1;
      band++;
      cell += NC;
    }
    if (leaveT < H) this.push(c, leaveT, KIND_LEAVE);
  }

  removeChild(c: number): void {
    if (this.uasc[c]) this.uascCount--;
    this.removeFromCat(c);
    this.unlink(c);
    this.free[this.freeTop++] = c;
  }
}

/** Expand the scenario's initial list (which may carry `count`) to one entry per child. */
function expandInitial(s: Scenario): { ageMonths: number; category: number; uasc: boolean }[] {
  const out: { ageMonths: number; category: number; uasc: boolean }[] = [];
  for (const c of s.initial) for (let i = 0; i < c.count; i++) out.push({ ageMonths: c.ageMonths, category: categoryIndex[c.category], uasc: c.uasc });
  return out;
}

export function simulate(scenario: Scenario, options: SimulateOptions = {}): ForecastResult {
  const started = performance.now();
  const s = scenario;
  const H = s.horizonMonths;
  const R = s.runs;
  const start = monthIndex(s.start);
  const months = Array.from({ length: H }, (_, t) => monthFromIndex(start + t));

  // --- per-month constants
  const charge = Float64Array.from({ length: H }, (_, t) => monthlyChargePerWeeklyPound(start + t, s.costs.priceBase, s.costs.annualInflation));
  const fyStart0 = financialYearStart(start);
  const fyOf = Int32Array.from({ length: H }, (_, t) => financialYearStart(start + t) - fyStart0);
  const nFY = fyOf[H - 1]! + 1;
  const fyMonths = new Int32Array(nFY);
  for (let t = 0; t < H; t++) fyMonths[fyOf[t]!]!++;
  const fyLabels = Array.from({ length: nFY }, (_, f) => financialYearLabel(fyStart0 + f));
  const budgets = fyLabels.map((l) => s.budgets[l]);

  const costs = CATEGORIES.map((c) => s.costs.weekly[c]);
  const triangular = costs.map((c) => isTriangular(c));

  const uascOn = s.uasc !== null;
  const threshold = new Int32Array(H);
  const referral = new Uint8Array(H);
  if (s.uasc) {
    for (let t = 0; t < H; t++) {
      const end = monthEndDate(start + t);
      threshold[t] = uascThreshold(rateInForce(s.uasc.thresholds, end), childPopulationAt(s.childPopulation.base, s.childPopulation.annualGrowth, t + 1));
      referral[t] = referralRuleApplies(end) ? 1 : 0;
    }
  }
  const uascAgeYears = s.uasc ? Object.keys(s.uasc.arrivalAge).map(Number) : [];
  const uascAgeCum = cumulative(s.uasc ? (Object.values(s.uasc.arrivalAge) as number[]) : []);
  const uascPlaceCats = s.uasc ? (Object.keys(s.uasc.arrivalPlacement) as Category[]).map((c) => categoryIndex[c]) : [];
  const uascPlaceCum = cumulative(s.uasc ? (Object.values(s.uasc.arrivalPlacement) as number[]) : []);
  const spontTable = new PoissonTable(s.uasc?.spontaneousPerMonth ?? 0);
  const transferTable = new PoissonTable(s.uasc?.transfersPerMonthWhenOnRota ?? 0);

  const cap = s.capacity;
  const capacityOn = cap !== null;
  const recruitTable = new PoissonTable(cap ? cap.recruitmentPerYear / 12 : 0);
  const lossTable = new BinomialTable(cap ? cap.householdLossPerYear / 12 : 0);
  const stepAcrossTable = new BinomialTable(cap ? cap.stepAcrossProbability : 0);

  const point = pointRates(s);
  const pointTables = buildTables(point);
  let tables = pointTables;
  const paramsUncertain = s.uncertainty.parameters && s.parameters.evidence !== undefined;

  const initial = expandInitial(s);
  const world = new World(H, costs);
  const runStreams = new Int32Array(5);
  const pending = { ids: new Int32Array(256), n: 0 };

  // --- summaries (sizes independent of R)
  const pop = Array.from({ length: NC + 1 }, () => new CountSeries(H)); // NC = total
  const uascCountS = new CountSeries(H);
  const transfersS = new CountSeries(H);
  const spontS = new CountSeries(H);
  const referredS = new CountSeries(H);
  const householdsS = new CountSeries(H);
  const placesS = new CountSeries(H);
  const overflowS = new CountSeries(H);
  const overflowTotalS = new CountSeries(1);
  const movesS = new CountSeries(H);
  const entriesS = new CountSeries(H);
  const exitsS = new CountSeries(H);
  const onRota = new Float64Array(H);
  const costSketch = CATEGORIES.map((_, k) => (triangular[k] ? new SketchSeries(H) : null));
  const costTotal = new SketchSeries(H);
  const fyTotal = new Float64Array(nFY);
  const fyCat = new Float64Array(nFY * NC);
  const fySketch = Array.from({ length: nFY }, () => new LogSketch());
  const fyCatSketch = Array.from({ length: nFY * NC }, () => new LogSketch());
  const overBudget = new Float64Array(nFY);
  const runTotals = options.collectRunTotals
    ? {
        financialYears: Array.from({ length: nFY }, () => new Float64Array(R)),
        horizonPopulation: Array.from({ length: NC + 1 }, () => new Int32Array(R)),
        overflowTotal: new Int32Array(R),
      }
    : null;

  const progressEvery = Math.max(1, Math.floor(R / 100));
  const onMonthEnd = options.onMonthEnd;

  for (let r = 0; r < R; r++) {
    const runSeed = streamSeed(s.seed, r);
    for (let k = 0; k < 5; k++) runStreams[k] = streamSeed(runSeed, RUN_STREAM_BASE + k);
    if (paramsUncertain) {
      const rng = new Rng(runStreams[S_PARAMS]!);
      tables = buildTables(drawRates(s, point, rng));
    }
    world.q = tables.q;
    world.survival = tables.survival;
    world.invLog2 = tables.invLog2;
    world.reset();
    fyTotal.fill(0);
    fyCat.fill(0);
    let households = cap ? cap.inHouseHouseholds : 0;
    let places = cap ? Math.floor(households * cap.placesPerHousehold) : 0;
    let overflowRun = 0;

    // initial stock
    for (let i = 0; i < initial.length; i++) {
      const ch = initial[i]!;
      const c = world.alloc();
      world.st[c] = streamSeed(runSeed, i);
      world.birth[c] = -ch.ageMonths;
      world.uasc[c] = ch.uasc ? 1 : 0;
      if (ch.uasc) world.uascCount++;
      world.evM[c] = -1;
      world.place(c, ch.category);
      world.schedule(c, 0);
    }

    for (let t = 0; t < H; t++) {
      let moves = 0;
      let exits = 0;
      let entries = 0;
      let overflow = 0;

      // 0. carer households
      if (cap) {
        const joins = recruitTable.sample(uniform(runStreams, S_HOUSEHOLDS));
        const losses = lossTable.sample(households, uniform(runStreams, S_HOUSEHOLDS));
        households += joins - losses;
        places = Math.floor(households * cap.placesPerHousehold);
      }

      // 1–2. the month's draws (only children with an event this month), ageing out at 18
      pending.n = 0;
      let c: number;
      while ((c = world.bucket[t]!) >= 0) {
        const nx = world.nxt[c]!;
        world.bucket[t] = nx;
        if (nx >= 0) world.prv[nx] = -1;
        world.evM[c] = -1;
        const kind = world.evK[c]!;
        if (kind === KIND_LEAVE) {
          world.removeChild(c);
          exits++;
          continue;
        }
        const age = t - world.birth[c]!;
        const cell = BAND_OF_AGE[age]! * NC + world.cat[c]!;
        const u = uniform(world.st, c);
        let o = tables.outStart[cell]!;
        const end = o + tables.outLen[cell]! - 1;
        while (o < end && u > tables.outCum[o]!) o++;
        const to = tables.outTarget[o]!;
        if (to < 0 || age === LAST_MONTH_IN_CARE) {
          if (to >= 0) moves++;
          world.removeChild(c);
          exits++;
          continue;
        }
        moves++;
        world.removeFromCat(c);
        if (to === IN_HOUSE && capacityOn) {
          if (pending.n === pending.ids.length) {
            const b = new Int32Array(pending.n * 2);
            b.set(pending.ids);
            pending.ids = b;
          }
          pending.ids[pending.n++] = c;
          continue;
        }
        world.place(c, to);
        world.schedule(c, t + 1);
      }
      // moves into in-house fostering, after the month's exits have freed places
      for (let i = 0; i < pending.n; i++) {
        const ch = pending.ids[i]!;
        if (world.counts[IN_HOUSE]! < places) world.place(ch, IN_HOUSE);
        else {
          overflow++;
          world.place(ch, cap!.agencyAvailability >= 1 || uniform(world.st, ch) < cap!.agencyAvailability ? AGENCY : RESIDENTIAL);
        }
        world.schedule(ch, t + 1);
      }

      // 3. non-UASC entrants
      const nEntries = tables.entryTable.sample(uniform(runStreams, S_ENTRIES));
      for (let k = 0; k < nEntries && k < UASC_OFFSET; k++) {
        const ch = world.alloc();
        world.st[ch] = streamSeed(runSeed, ENTRANT_BASE + t * MONTH_SLOTS + k);
        const cell = tables.entryAlias.sample(uniform(world.st, ch));
        const band = (cell / NC) | 0;
        const k0 = cell - band * NC;
        const lo = BAND_START_MONTHS[band]!;
        const width = bandEndMonths(band) - lo;
        world.birth[ch] = t + 1 - (lo + Math.min(width - 1, Math.floor(uniform(world.st, ch) * width)));
        world.uasc[ch] = 0;
        world.evM[ch] = -1;
        if (k0 === IN_HOUSE && capacityOn && world.counts[IN_HOUSE]! >= places) {
          overflow++;
          world.place(ch, cap!.agencyAvailability >= 1 || uniform(world.st, ch) < cap!.agencyAvailability ? AGENCY : RESIDENTIAL);
        } else world.place(ch, k0);
        world.schedule(ch, t + 1);
        entries++;
      }

      // 4. capacity: places below occupancy, then step-across into free places
      if (cap) {
        let excess = world.counts[IN_HOUSE]! - Math.max(0, places);
        while (excess-- > 0) {
          const ch = world.lists[IN_HOUSE]![Math.floor(uniform(runStreams, S_CAPACITY) * world.counts[IN_HOUSE]!)]!;
          world.removeFromCat(ch);
          world.place(ch, AGENCY);
          world.unlink(ch);
          world.schedule(ch, t + 1);
          moves++;
        }
        const freePlaces = places - world.counts[IN_HOUSE]!;
        if (freePlaces > 0 && cap.stepAcrossProbability > 0 && world.counts[AGENCY]! > 0) {
          const n = Math.min(freePlaces, stepAcrossTable.sample(world.counts[AGENCY]!, uniform(runStreams, S_CAPACITY)));
          for (let i = 0; i < n; i++) {
            const ch = world.lists[AGENCY]![Math.floor(uniform(runStreams, S_CAPACITY) * world.counts[AGENCY]!)]!;
            world.removeFromCat(ch);
            world.place(ch, IN_HOUSE);
            world.unlink(ch);
            world.schedule(ch, t + 1);
            moves++;
          }
        }
      }

      // 5. UASC arrivals
      let transfers = 0;
      let spontaneous = 0;
      let referred = 0;
      if (uascOn) {
        const thr = threshold[t]!;
        const m = spontTable.sample(uniform(runStreams, S_UASC));
        const n = transferTable.sample(uniform(runStreams, S_UASC));
        spontaneous = referral[t] ? Math.min(m, Math.max(0, thr - world.uascCount)) : m;
        referred = m - spontaneous;
        transfers = Math.min(n, Math.max(0, thr - world.uascCount - spontaneous));
        const arrivals = spontaneous + transfers;
        for (let k = 0; k < arrivals && k < UASC_OFFSET; k++) {
          const ch = world.alloc();
          world.st[ch] = streamSeed(runSeed, ENTRANT_BASE + t * MONTH_SLOTS + UASC_OFFSET + k);
          const years = uascAgeYears[pick(uascAgeCum, uniform(world.st, ch))]!;
          const ageEnd = Math.min(LAST_MONTH_IN_CARE, years * 12 + Math.floor(uniform(world.st, ch) * 12));
          world.birth[ch] = t + 1 - ageEnd;
          world.uasc[ch] = 1;
          world.uascCount++;
          world.evM[ch] = -1;
          const k0 = uascPlaceCats[pick(uascPlaceCum, uniform(world.st, ch))]!;
          if (k0 === IN_HOUSE && capacityOn && world.counts[IN_HOUSE]! >= places) {
            overflow++;
            world.place(ch, cap!.agencyAvailability >= 1 || uniform(world.st, ch) < cap!.agencyAvailability ? AGENCY : RESIDENTIAL);
          } else world.place(ch, k0);
          world.schedule(ch, t + 1);
          entries++;
        }
        if (world.uascCount < thr) onRota[t]!++;
      }

      // 6. end-of-month counts and the month's charge
      let total = 0;
      const f = fyOf[t]!;
      let monthCost = 0;
      for (let k = 0; k < NC; k++) {
        const n = world.counts[k]!;
        total += n;
        pop[k]!.add(t, n);
        const cost = world.spellCost[k]! * charge[t]!;
        monthCost += cost;
        fyCat[f * NC + k]! += cost;
        if (triangular[k]) costSketch[k]!.add(t, cost);
      }
      pop[NC]!.add(t, total);
      costTotal.add(t, monthCost);
      fyTotal[f]! += monthCost;
      movesS.add(t, moves);
      exitsS.add(t, exits);
      entriesS.add(t, entries);
      if (cap) {
        householdsS.add(t, Math.max(0, households));
        placesS.add(t, Math.max(0, places));
        overflowS.add(t, overflow);
        overflowRun += overflow;
      }
      if (uascOn) {
        uascCountS.add(t, world.uascCount);
        transfersS.add(t, transfers);
        spontS.add(t, spontaneous);
        referredS.add(t, referred);
      }
      if (onMonthEnd)
        onMonthEnd(r, t, {
          counts: world.counts,
          places,
          households,
          overflow,
          uascCount: world.uascCount,
          uascThreshold: threshold[t]!,
          transfers,
          spontaneous,
          referredOn: referred,
          monthCost,
        });
    }

    // end of run
    for (let f = 0; f < nFY; f++) {
      fySketch[f]!.add(fyTotal[f]!);
      const b = budgets[f];
      if (b !== undefined && fyTotal[f]! > b) overBudget[f]!++;
      for (let k = 0; k < NC; k++) fyCatSketch[f * NC + k]!.add(fyCat[f * NC + k]!);
      if (runTotals) runTotals.financialYears[f]![r] = fyTotal[f]!;
    }
    if (runTotals) {
      let total = 0;
      for (let k = 0; k < NC; k++) {
        runTotals.horizonPopulation[k]![r] = world.counts[k]!;
        total += world.counts[k]!;
      }
      runTotals.horizonPopulation[NC]![r] = total;
      runTotals.overflowTotal[r] = overflowRun;
    }
    overflowTotalS.add(0, overflowRun);
    for (const series of [...pop, uascCountS, transfersS, spontS, referredS, householdsS, placesS, overflowS, overflowTotalS, movesS, entriesS, exitsS]) series.endRun();

    if ((r + 1) % progressEvery === 0 || r + 1 === R) {
      options.onProgress?.(r + 1, R);
      if (options.shouldCancel?.()) throw new SimulationCancelled();
    }
  }

  // --- assemble the result
  const seriesNames: Series[] = [...CATEGORIES, 'total'];
  const population = Object.fromEntries(seriesNames.map((name, k) => [name, pop[k]!.summary()])) as Record<Series, Quantiles>;
  const monthly = {} as Record<Series, Quantiles>;
  CATEGORIES.forEach((name, k) => {
    monthly[name] = triangular[k] ? costSketch[k]!.summary() : pop[k]!.summary((t) => weeklyCostMean(costs[k]) * charge[t]!);
  });
  monthly.total = costTotal.summary();

  const financialYears: FinancialYearCost[] = fyLabels.map((label, f) => {
    const byCategory = Object.fromEntries(CATEGORIES.map((name, k) => [name, fyCatSketch[f * NC + k]!.scalar()])) as Record<Category, ScalarQuantiles>;
    const fy: FinancialYearCost = { label, months: fyMonths[f]!, partial: fyMonths[f]! < 12, ...fySketch[f]!.scalar(), byCategory };
    const b = budgets[f];
    if (b !== undefined) {
      fy.budget = b;
      fy.pOverBudget = overBudget[f]! / R;
    }
    return fy;
  });

  const warnings: string[] = [];
  CATEGORIES.forEach((name, k) => {
    if (costs[k] === undefined && (population[name].mean.some((v) => v > 0)))
      warnings.push(`costs.weekly.${name} is not given: children in ${name} are costed at £0`);
  });
  for (const label of Object.keys(s.budgets)) {
    if (!fyLabels.includes(label)) warnings.push(`budgets.${label} is outside the forecast horizon and was not used`);
  }

  const result: ForecastResult = {
    scenarioName: s.name,
    months,
    runs: R,
    seed: s.seed,
    population,
    cost: { monthly, financialYears, priceBase: s.costs.priceBase },
    inHouse: cap
      ? {
          capacity: placesS.summary(),
          households: householdsS.summary(),
          occupancy: population.inHouseFoster,
          overflow: overflowS.summary(),
          overflowTotal: scalarFromCounts(overflowTotalS),
        }
      : null,
    uasc: s.uasc
      ? {
          count: uascCountS.summary(),
          threshold: Array.from(threshold),
          pOnRota: Array.from(onRota, (v) => v / R),
          transfers: transfersS.summary(),
          spontaneous: spontS.summary(),
          referredOn: referredS.summary(),
        }
      : null,
    moves: movesS.summary(),
    entries: entriesS.summary(),
    exits: exitsS.summary(),
    warnings,
    elapsedMs: Math.round(performance.now() - started),
  };
  if (runTotals) {
    result.runTotals = {
      financialYears: runTotals.financialYears.map((a) => Array.from(a)),
      horizonPopulation: Object.fromEntries(seriesNames.map((name, k) => [name, Array.from(runTotals.horizonPopulation[k]!)])) as Record<Series, number[]>,
      overflowTotal: Array.from(runTotals.overflowTotal),
    };
  }
  return result;
}

function scalarFromCounts(series: CountSeries): ScalarQuantiles {
  const q = series.summary();
  return {
    mean: q.mean[0]!,
    sd: series.sd(0),
    p5: q.p5[0]!,
    p10: q.p10[0]!,
    p25: q.p25[0]!,
    p50: q.p50[0]!,
    p75: q.p75[0]!,
    p90: q.p90[0]!,
    p95: q.p95[0]!,
  };
}
