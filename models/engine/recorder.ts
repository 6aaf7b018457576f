/**
 * The recorder: each run's end-of-month values (step 6) go into per-batch buffers, flushed every RECORD_BATCH runs
 * month by month into summaries whose size does not grow with the number of runs.
 *
 * Why batches: the histograms and sketches of one month then take the whole batch while they are in cache (recording
 * run by run touched ~240 scattered histogram rows and sketches every month). Each sketch still sees its values in run
 * order, so the results are bit-identical to adding them one by one.
 */
import {
  CountSeries,
  type CountSeriesState,
  LogSketch,
  type LogSketchState,
  SKETCH_COARSE,
  SketchSeries,
} from '../summary.js';
import { SignedSketch, type SignedSketchState } from '../signed-sketch.js';
import { IN_HOUSE, NC, RECORD_BATCH } from './constants.js';
import type { World } from './world.js';

// rows of the count buffer: the categories and the total, then these series
const C_MOVES = NC + 1;
const C_EXITS = NC + 2;
const C_ENTRIES = NC + 3;
const C_HOUSEHOLDS = NC + 4;
const C_PLACES = NC + 5;
const C_OVERFLOW = NC + 6;
const C_UASC = NC + 7;
const C_TRANSFERS = NC + 8;
const C_SPONT = NC + 9;
const C_REFERRED = NC + 10;
const C_SP = NC + 11;
const C_SP_STARTS = NC + 12;

export interface RecorderConfig {
  horizon: number;
  runs: number;
  /** financial year of each month (0 = the first) and the number of financial years */
  fyOf: Int32Array;
  nFY: number;
  /** pounds for one child for the month at £1 a week */
  charge: Float64Array;
  /** categories whose monthly cost gets a sketch of its own (triangular costs, or inflation drawn per run) */
  sketched: boolean[];
  budgets: (number | undefined)[];
  /** per financial year: is the budget net of UASC grant income? */
  budgetNet: boolean[];
  /** a category's own charge by month where it has its own inflation (costs.inflationByCategory), else null */
  ownCharge: (Float64Array | null)[];
  capacityOn: boolean;
  uascOn: boolean;
  /** Staying Put: pounds a week for one young person, charged like in-house fostering (null: off) */
  stayingPutWeekly: number | null;
  /**
   * Staying Put's monthly cost gets a sketch of its own: its charge varies between runs (inflation drawn per run and
   * in-house fostering without its own rate), so a count × one charge would not be each run's cost
   */
  stayingPutSketched: boolean;
  grantOn: boolean;
  collectRunTotals: boolean;
}

/** What happened in one month of one run, besides the end-of-month counts in the world. */
export interface MonthFlows {
  moves: number;
  exits: number;
  entries: number;
  overflow: number;
  households: number;
  places: number;
  transfers: number;
  spontaneous: number;
  referred: number;
  uascThreshold: number;
  /** young people Staying Put at the end of the month, and those who started this month */
  stayingPut: number;
  stayingPutStarts: number;
  /** UASC grant income for the month */
  grant: number;
}

/**
 * A recorder's summaries as plain data (JSON-safe): what a shard of runs sends to be merged. The per-run totals are
 * those of the shard's runs [from, to) only.
 */
export interface RecorderState {
  /** the count series in the recorder's order (populations, flows, carers, UASC), then the overflow total */
  counts: CountSeriesState[];
  onRota: number[];
  costSketch: (LogSketchState[] | null)[];
  costTotal: LogSketchState[];
  fySketch: LogSketchState[];
  fyCatSketch: LogSketchState[];
  overBudget: number[];
  /** Staying Put and UASC grant: the grant by month, and per financial year Staying Put, grant and net */
  money: {
    grantMonthly: LogSketchState[] | null;
    /** Staying Put's cost by month, where it has a sketch (RecorderConfig.stayingPutSketched) */
    stayingPutMonthly: LogSketchState[] | null;
    fyStayingPut: LogSketchState[];
    fyGrant: LogSketchState[];
    fyNet: SignedSketchState[];
  };
  runTotals: {
    from: number;
    to: number;
    financialYears: number[][];
    horizonPopulation: number[][];
    overflowTotal: number[];
  } | null;
}

/**
 * A shard's summary that cannot be merged into this scenario's (another scenario's, or of an older shape): the same
 * summaries would be refused on every retry, so the job is failed at once (functions/jobs/shards.ts) and run again.
 */
export class ShardMismatch extends Error {
  override readonly name = 'ShardMismatch';
}

export class Recorder {
  readonly pop: CountSeries[]; // by category, then the total at NC
  readonly uascCount: CountSeries;
  readonly transfers: CountSeries;
  readonly spontaneous: CountSeries;
  readonly referred: CountSeries;
  readonly households: CountSeries;
  readonly places: CountSeries;
  readonly overflow: CountSeries;
  readonly overflowTotal: CountSeries;
  readonly moves: CountSeries;
  readonly entries: CountSeries;
  readonly exits: CountSeries;
  /** runs on the rota (UASC count below the threshold after the month's arrivals), by month */
  readonly onRota: Float64Array;
  readonly costSketch: (SketchSeries | null)[];
  readonly costTotal: SketchSeries;
  readonly fySketch: LogSketch[];
  readonly fyCatSketch: LogSketch[];
  readonly overBudget: Float64Array;
  readonly stayingPut: CountSeries;
  readonly stayingPutStarts: CountSeries;
  readonly grantMonthly: SketchSeries | null;
  /** Staying Put's cost by month, run by run, where its charge varies between runs (else null: count × charge) */
  readonly stayingPutMonthly: SketchSeries | null;
  readonly fyStayingPut: LogSketch[];
  readonly fyGrant: LogSketch[];
  /** gross − grant income can be below zero (more grant than cost): a sketch of either sign */
  readonly fyNet: SignedSketch[];
  readonly runTotals: {
    financialYears: Float64Array[];
    horizonPopulation: Int32Array[];
    overflowTotal: Int32Array;
  } | null;

  private readonly H: number;
  private readonly nFY: number;
  private readonly fyOf: Int32Array;
  /** pounds for one child for the month at £1 a week (rewritten in place per run when inflation is drawn) */
  readonly charge: Float64Array;
  private readonly triangular: boolean[];
  private readonly budgets: (number | undefined)[];
  private readonly capacityOn: boolean;
  private readonly uascOn: boolean;
  private readonly fyTotal: Float64Array;
  private readonly fyCat: Float64Array;
  private readonly countSeries: CountSeries[];
  private readonly countActive: boolean[];
  private readonly cOverflowTotal: number;
  private readonly cStride: number;
  private readonly triSlot: Int32Array;
  private readonly fTotal: number;
  private readonly fFY: number;
  private readonly fStride: number;
  private readonly cbuf: Int32Array;
  private readonly fbuf: Float64Array;
  private batched = 0;
  /** this run's rows in the buffers */
  private cb = 0;
  private fb = 0;
  private overflowRun = 0;
  private readonly budgetNet: boolean[];
  private readonly ownCharge: (Float64Array | null)[];
  private readonly spWeekly: number | null;
  private readonly grantOn: boolean;
  private readonly fySp: Float64Array;
  private readonly fyGr: Float64Array;
  /**
   * Staying Put and grant values: the grant by month at 0, then per financial year (Staying Put, grant, net), then
   * Staying Put's cost by month at xSp when it has a sketch
   */
  private readonly xStride: number;
  private readonly xSp: number;
  private readonly xbuf: Float64Array;
  private xb = 0;

  constructor(c: RecorderConfig) {
    const H = c.horizon;
    this.H = H;
    this.nFY = c.nFY;
    this.fyOf = c.fyOf;
    this.charge = c.charge;
    this.triangular = c.sketched;
    this.budgets = c.budgets;
    this.capacityOn = c.capacityOn;
    this.uascOn = c.uascOn;
    const nFY = c.nFY;
    this.pop = Array.from({ length: NC + 1 }, () => new CountSeries(H));
    this.uascCount = new CountSeries(H);
    this.transfers = new CountSeries(H);
    this.spontaneous = new CountSeries(H);
    this.referred = new CountSeries(H);
    this.households = new CountSeries(H);
    this.places = new CountSeries(H);
    this.overflow = new CountSeries(H);
    this.overflowTotal = new CountSeries(1);
    this.moves = new CountSeries(H);
    this.entries = new CountSeries(H);
    this.exits = new CountSeries(H);
    this.onRota = new Float64Array(H);
    // a category's monthly cost at 0.1% (SKETCH_COARSE): up to 540 sketches whose fine bins would not fit the cache
    this.costSketch = c.sketched.map((t) => (t ? new SketchSeries(H, SKETCH_COARSE) : null));
    this.costTotal = new SketchSeries(H);
    this.fyTotal = new Float64Array(nFY);
    this.fyCat = new Float64Array(nFY * NC);
    this.fySketch = Array.from({ length: nFY }, () => new LogSketch());
    this.fyCatSketch = Array.from({ length: nFY * NC }, () => new LogSketch());
    this.overBudget = new Float64Array(nFY);
    this.budgetNet = c.budgetNet;
    this.ownCharge = c.ownCharge;
    this.spWeekly = c.stayingPutWeekly;
    this.grantOn = c.grantOn;
    this.stayingPut = new CountSeries(H);
    this.stayingPutStarts = new CountSeries(H);
    this.grantMonthly = c.grantOn ? new SketchSeries(H) : null;
    this.stayingPutMonthly = c.stayingPutWeekly !== null && c.stayingPutSketched ? new SketchSeries(H) : null;
    this.fyStayingPut = Array.from({ length: nFY }, () => new LogSketch());
    this.fyGrant = Array.from({ length: nFY }, () => new LogSketch());
    this.fyNet = Array.from({ length: nFY }, () => new SignedSketch());
    this.fySp = new Float64Array(nFY);
    this.fyGr = new Float64Array(nFY);
    this.xSp = H + 3 * nFY;
    this.xStride = this.xSp + (this.stayingPutMonthly ? H : 0);
    this.xbuf = new Float64Array(RECORD_BATCH * this.xStride);
    this.runTotals = c.collectRunTotals
      ? {
          financialYears: Array.from({ length: nFY }, () => new Float64Array(c.runs)),
          horizonPopulation: Array.from({ length: NC + 1 }, () => new Int32Array(c.runs)),
          overflowTotal: new Int32Array(c.runs),
        }
      : null;

    // the order of the rows C_MOVES.. above
    this.countSeries = [
      ...this.pop,
      this.moves,
      this.exits,
      this.entries,
      this.households,
      this.places,
      this.overflow,
      this.uascCount,
      this.transfers,
      this.spontaneous,
      this.referred,
      this.stayingPut,
      this.stayingPutStarts,
    ];
    this.countActive = this.countSeries.map((_, i) =>
      i >= C_SP ? c.stayingPutWeekly !== null : i < C_HOUSEHOLDS || (i < C_UASC ? c.capacityOn : c.uascOn),
    );
    this.cOverflowTotal = this.countSeries.length * H; // one value per run
    this.cStride = this.cOverflowTotal + 1;
    // costs by month, only where a sketch is kept: the i-th triangular category at i × H, the total after them;
    // then per financial year: by category at f × (NC + 1) + k, the total at + NC
    this.triSlot = new Int32Array(NC).fill(-1);
    let nTri = 0;
    for (let k = 0; k < NC; k++) if (c.sketched[k]) this.triSlot[k] = nTri++;
    this.fTotal = nTri * H;
    this.fFY = (nTri + 1) * H;
    this.fStride = this.fFY + nFY * (NC + 1);
    this.cbuf = new Int32Array(RECORD_BATCH * this.cStride);
    this.fbuf = new Float64Array(RECORD_BATCH * this.fStride);
  }

  startRun(): void {
    this.fyTotal.fill(0);
    this.fyCat.fill(0);
    this.fySp.fill(0);
    this.fyGr.fill(0);
    this.overflowRun = 0;
    this.xb = this.batched * this.xStride;
    this.cb = this.batched * this.cStride;
    this.fb = this.batched * this.fStride;
  }

  /** Step 6: the end-of-month counts and the month's charge. Returns the month's cost. */
  month(t: number, world: World, m: MonthFlows): number {
    const H = this.H;
    const cbuf = this.cbuf;
    const fbuf = this.fbuf;
    const cb = this.cb;
    const fb = this.fb;
    const charge = this.charge[t]!;
    const f = this.fyOf[t]!;
    let total = 0;
    let monthCost = 0;
    for (let k = 0; k < NC; k++) {
      const n = world.counts[k]!;
      total += n;
      cbuf[cb + k * H + t] = n;
      const own = this.ownCharge[k];
      const cost = world.spellCost[k]! * (own ? own[t]! : charge);
      monthCost += cost;
      this.fyCat[f * NC + k]! += cost;
      if (this.triangular[k]) fbuf[fb + this.triSlot[k]! * H + t] = cost;
    }
    cbuf[cb + NC * H + t] = total;
    if (this.spWeekly !== null) {
      // Staying Put: its own line, and part of the gross cost; priced like in-house fostering
      const own = this.ownCharge[IN_HOUSE];
      const spCost = m.stayingPut * this.spWeekly * (own ? own[t]! : charge);
      monthCost += spCost;
      this.fySp[f]! += spCost;
      if (this.stayingPutMonthly) this.xbuf[this.xb + this.xSp + t] = spCost;
      cbuf[cb + C_SP * H + t] = m.stayingPut;
      cbuf[cb + C_SP_STARTS * H + t] = m.stayingPutStarts;
    }
    if (this.grantOn) {
      this.xbuf[this.xb + t] = m.grant;
      this.fyGr[f]! += m.grant;
    }
    fbuf[fb + this.fTotal + t] = monthCost;
    this.fyTotal[f]! += monthCost;
    cbuf[cb + C_MOVES * H + t] = m.moves;
    cbuf[cb + C_EXITS * H + t] = m.exits;
    cbuf[cb + C_ENTRIES * H + t] = m.entries;
    if (this.capacityOn) {
      cbuf[cb + C_HOUSEHOLDS * H + t] = Math.max(0, m.households);
      cbuf[cb + C_PLACES * H + t] = Math.max(0, m.places);
      cbuf[cb + C_OVERFLOW * H + t] = m.overflow;
      this.overflowRun += m.overflow;
    }
    if (this.uascOn) {
      if (world.uascCount < m.uascThreshold) this.onRota[t]!++;
      cbuf[cb + C_UASC * H + t] = world.uascCount;
      cbuf[cb + C_TRANSFERS * H + t] = m.transfers;
      cbuf[cb + C_SPONT * H + t] = m.spontaneous;
      cbuf[cb + C_REFERRED * H + t] = m.referred;
    }
    return monthCost;
  }

  /** The end of run r: financial-year totals, the budget test, run totals; flushes a full batch. */
  endRun(r: number, world: World, lastRun: boolean): void {
    const fbuf = this.fbuf;
    for (let f = 0; f < this.nFY; f++) {
      const o = this.fb + this.fFY + f * (NC + 1);
      fbuf[o + NC] = this.fyTotal[f]!;
      const net = this.fyTotal[f]! - this.fyGr[f]!;
      const x = this.xb + this.H + 3 * f;
      this.xbuf[x] = this.fySp[f]!;
      this.xbuf[x + 1] = this.fyGr[f]!;
      this.xbuf[x + 2] = net;
      const b = this.budgets[f];
      if (b !== undefined && (this.budgetNet[f] ? net : this.fyTotal[f]!) > b) this.overBudget[f]!++;
      for (let k = 0; k < NC; k++) fbuf[o + k] = this.fyCat[f * NC + k]!;
      if (this.runTotals) this.runTotals.financialYears[f]![r] = this.fyTotal[f]!;
    }
    if (this.runTotals) {
      let total = 0;
      for (let k = 0; k < NC; k++) {
        this.runTotals.horizonPopulation[k]![r] = world.counts[k]!;
        total += world.counts[k]!;
      }
      this.runTotals.horizonPopulation[NC]![r] = total;
      this.runTotals.overflowTotal[r] = this.overflowRun;
    }
    this.cbuf[this.cb + this.cOverflowTotal] = this.overflowRun;
    this.batched++;
    if (this.batched === RECORD_BATCH || lastRun) this.flush();
  }

  /** The summaries of the runs recorded, as plain data; `runs` is the range they were (for the per-run totals). */
  toState(runs: { from: number; to: number }): RecorderState {
    if (this.batched !== 0) throw new Error('the recorder has runs not yet flushed: end the last run first');
    const rt = this.runTotals;
    return {
      counts: [...this.countSeries, this.overflowTotal].map((c) => c.toState()),
      onRota: Array.from(this.onRota),
      costSketch: this.costSketch.map((c) => (c ? c.toState() : null)),
      costTotal: this.costTotal.toState(),
      fySketch: this.fySketch.map((c) => c.toState()),
      fyCatSketch: this.fyCatSketch.map((c) => c.toState()),
      overBudget: Array.from(this.overBudget),
      money: {
        grantMonthly: this.grantMonthly ? this.grantMonthly.toState() : null,
        stayingPutMonthly: this.stayingPutMonthly ? this.stayingPutMonthly.toState() : null,
        fyStayingPut: this.fyStayingPut.map((c) => c.toState()),
        fyGrant: this.fyGrant.map((c) => c.toState()),
        fyNet: this.fyNet.map((c) => c.toState()),
      },
      runTotals: rt
        ? {
            ...runs,
            financialYears: rt.financialYears.map((a) => Array.from(a.subarray(runs.from, runs.to))),
            horizonPopulation: rt.horizonPopulation.map((a) => Array.from(a.subarray(runs.from, runs.to))),
            overflowTotal: Array.from(rt.overflowTotal.subarray(runs.from, runs.to)),
          }
        : null,
    };
  }

  /**
   * Add a shard's summaries (see RecorderState). Histograms, sketch bins and counters add, so the summaries equal
   * those of recording every run here; the per-run totals go to their runs' places.
   */
  merge(s: RecorderState): void {
    const series = [...this.countSeries, this.overflowTotal];
    if (
      s.counts.length !== series.length ||
      s.costSketch.length !== this.costSketch.length ||
      s.fySketch.length !== this.nFY ||
      s.fyCatSketch.length !== this.fyCatSketch.length
    )
      throw new ShardMismatch('the shard summary is of another scenario');
    // Every summary this recorder keeps must come from every shard, and nothing else: a part one shard lacks (a summary
    // of an older shape, stored before the part existed) cannot be made up, and skipping it would give a figure of some
    // runs only beside the year's of all (the grant by month of one shard's runs, months no longer adding to the
    // year). So a missing or extra part is refused, never skipped: the merge fails and the job is to be run again.
    const money = s.money as Partial<RecorderState['money']> | undefined;
    if (!money) throw new ShardMismatch('the shard summary has no Staying Put or UASC grant figures (an older shape)');
    const part = (name: string, mine: unknown, theirs: unknown): void => {
      if ((mine === null) !== (theirs === null || theirs === undefined))
        throw new ShardMismatch(
          mine === null
            ? `the shard summary has ${name} this scenario does not have (another scenario)`
            : `the shard summary has no ${name} (a summary of an older shape, or of another scenario)`,
        );
    };
    part('UASC grant by month', this.grantMonthly, money.grantMonthly);
    part('Staying Put cost by month', this.stayingPutMonthly, money.stayingPutMonthly);
    for (const [name, theirs] of [
      ['Staying Put by financial year', money.fyStayingPut],
      ['UASC grant by financial year', money.fyGrant],
      ['net cost by financial year', money.fyNet],
    ] as const)
      if (theirs?.length !== this.nFY)
        throw new ShardMismatch(`the shard summary's ${name} is not of this scenario's ${this.nFY} financial years`);
    // the net of a summary from before it was signed read every negative year as £0: not a figure to merge
    if (money.fyNet!.some((n) => !('pos' in n)))
      throw new ShardMismatch(
        'the shard summary has no signed net cost by financial year (a summary of an older shape)',
      );
    series.forEach((c, i) => c.merge(s.counts[i]!));
    s.onRota.forEach((v, t) => (this.onRota[t]! += v));
    this.costSketch.forEach((c, k) => {
      const other = s.costSketch[k];
      if ((c === null) !== (other === null || other === undefined))
        throw new ShardMismatch('the shard summary is of another scenario');
      if (c && other) c.merge(other);
    });
    this.costTotal.merge(s.costTotal);
    this.fySketch.forEach((c, f) => c.merge(s.fySketch[f]!));
    this.fyCatSketch.forEach((c, i) => c.merge(s.fyCatSketch[i]!));
    s.overBudget.forEach((v, f) => (this.overBudget[f]! += v));
    // both present or both absent (checked above)
    if (this.grantMonthly && s.money.grantMonthly) this.grantMonthly.merge(s.money.grantMonthly);
    if (this.stayingPutMonthly && s.money.stayingPutMonthly) this.stayingPutMonthly.merge(s.money.stayingPutMonthly);
    this.fyStayingPut.forEach((c, f) => c.merge(s.money.fyStayingPut[f]!));
    this.fyGrant.forEach((c, f) => c.merge(s.money.fyGrant[f]!));
    this.fyNet.forEach((c, f) => c.merge(s.money.fyNet[f]!));
    const rt = this.runTotals;
    if (rt && s.runTotals) {
      const { from } = s.runTotals;
      rt.financialYears.forEach((a, f) => a.set(s.runTotals!.financialYears[f]!, from));
      rt.horizonPopulation.forEach((a, k) => a.set(s.runTotals!.horizonPopulation[k]!, from));
      rt.overflowTotal.set(s.runTotals.overflowTotal, from);
    }
  }

  private flush(): void {
    const nb = this.batched;
    if (nb === 0) return;
    const H = this.H;
    const cStride = this.cStride;
    const fStride = this.fStride;
    for (let i = 0; i < this.countSeries.length; i++) {
      if (this.countActive[i]) this.countSeries[i]!.addRuns(this.cbuf, i * H, cStride, nb);
      else this.countSeries[i]!.endRuns(nb);
    }
    this.overflowTotal.addRuns(this.cbuf, this.cOverflowTotal, cStride, nb);
    for (let k = 0; k < NC; k++)
      if (this.triangular[k]) this.costSketch[k]!.addRuns(this.fbuf, this.triSlot[k]! * H, fStride, nb);
    this.costTotal.addRuns(this.fbuf, this.fTotal, fStride, nb);
    for (let f = 0; f < this.nFY; f++) {
      const o = this.fFY + f * (NC + 1);
      this.fySketch[f]!.addStrided(this.fbuf, o + NC, fStride, nb);
      for (let k = 0; k < NC; k++) this.fyCatSketch[f * NC + k]!.addStrided(this.fbuf, o + k, fStride, nb);
      const x = H + 3 * f;
      if (this.spWeekly !== null) this.fyStayingPut[f]!.addStrided(this.xbuf, x, this.xStride, nb);
      if (this.grantOn || this.spWeekly !== null) {
        this.fyGrant[f]!.addStrided(this.xbuf, x + 1, this.xStride, nb);
        this.fyNet[f]!.addStrided(this.xbuf, x + 2, this.xStride, nb);
      }
    }
    if (this.grantMonthly) this.grantMonthly.addRuns(this.xbuf, 0, this.xStride, nb);
    if (this.stayingPutMonthly) this.stayingPutMonthly.addRuns(this.xbuf, this.xSp, this.xStride, nb);
    this.batched = 0;
  }
}
