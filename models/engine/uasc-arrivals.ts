/**
 * Step 5: UASC arrivals. threshold(t) = round(rate in force on the month's last day × child population). Spontaneous
 * arrivals always arrive, except that from 24 August 2022 those that would take the count above the threshold are
 * referred on; then NTS transfers arrive only while the UASC count is below the threshold and never take it above.
 */
import { type Category, categoryIndex } from '../placement.js';
import { monthEndDate } from '../calendar.js';
import { PoissonTable, childSeed, uniform } from '../random.js';
import type { Scenario } from '../scenario.js';
import { childPopulationAt, rateInForce, referralRuleApplies, uascThreshold } from '../uasc.js';
import { cumulative, pick } from './categorical.js';
import { ENTRANT_BASE, IN_HOUSE, LAST_MONTH_IN_CARE, MONTH_SLOTS, S_UASC, UASC_OFFSET } from './constants.js';
import type { RunInputs } from './inputs.js';
import type { World } from './world.js';

export class UascArrivals {
  /** this run's threshold by month */
  threshold: Int32Array;
  /** the threshold at the point (central) values of the inputs, for the result */
  readonly pointThreshold: Int32Array;
  private readonly referral: Uint8Array;
  /** the threshold rate in force on each month's last day (fixed: computed once) */
  private readonly rateByMonth: Float64Array;
  private readonly ageYears: number[];
  private readonly ageCum: Float64Array;
  private readonly placeCats: number[];
  private readonly placeCum: Float64Array;
  private spontTable!: PoissonTable;
  private tablesMade = false;
  private transferTable!: PoissonTable;
  /** the month's results (set by `month`) */
  transfers = 0;
  spontaneous = 0;
  referred = 0;
  overflow = 0;

  constructor(uasc: NonNullable<Scenario['uasc']>, horizon: number, start: number, inputs: RunInputs) {
    this.referral = new Uint8Array(horizon);
    this.rateByMonth = new Float64Array(horizon);
    for (let t = 0; t < horizon; t++) {
      const end = monthEndDate(start + t);
      this.referral[t] = referralRuleApplies(end) ? 1 : 0;
      this.rateByMonth[t] = rateInForce(uasc.thresholds, end);
    }
    this.threshold = this.thresholds(inputs, new Int32Array(horizon));
    this.pointThreshold = this.threshold;
    this.ageYears = Object.keys(uasc.arrivalAge).map(Number);
    this.ageCum = cumulative(Object.values(uasc.arrivalAge) as number[]);
    this.placeCats = (Object.keys(uasc.arrivalPlacement) as Category[]).map((c) => categoryIndex[c]);
    this.placeCum = cumulative(Object.values(uasc.arrivalPlacement) as number[]);
    this.configureRates(inputs);
  }

  /**
   * threshold(t) = round(rate in force on the month's last day × child population), into `out`. The population grows
   * by one month's factor at a time (computed per run when the population is a range, so no power per month): it
   * differs from childPopulationAt's power by rounding (~1e-14 relative), which an integer threshold cannot show.
   */
  private thresholds(inputs: RunInputs, out: Int32Array): Int32Array {
    const monthly = (1 + inputs.childPopulationGrowth) ** (1 / 12);
    let population = childPopulationAt(inputs.childPopulationBase, inputs.childPopulationGrowth, 0);
    for (let t = 0; t < out.length; t++) {
      population *= monthly;
      out[t] = uascThreshold(this.rateByMonth[t]!, population);
    }
    return out;
  }

  /** Per run, when the child population is a range (into an array of its own: the point threshold stays). */
  configurePopulation(inputs: RunInputs): void {
    if (this.threshold === this.pointThreshold) this.threshold = new Int32Array(this.threshold.length);
    this.thresholds(inputs, this.threshold);
  }

  /** Once, or per run when the arrival rates are ranges. */
  configureRates(inputs: RunInputs): void {
    if (this.tablesMade) {
      this.spontTable.reset(inputs.spontaneousPerMonth);
      this.transferTable.reset(inputs.transfersPerMonth);
      return;
    }
    this.spontTable = new PoissonTable(inputs.spontaneousPerMonth);
    this.transferTable = new PoissonTable(inputs.transfersPerMonth);
    this.tablesMade = true;
  }

  /** the council's own NTS transfer draw of the month (set by `draw`) */
  private ownTransfers = 0;

  /**
   * Step 5's draws for month t: the spontaneous arrivals (those the referral rule sends on are counted apart) and the
   * council's own NTS transfers. Returns the transfers the council could take without going above its threshold —
   * what a regional rota may send it (models/region/).
   */
  draw(world: World, t: number, streams: Int32Array): number {
    const thr = this.threshold[t]!;
    const m = this.spontTable.sample(uniform(streams, S_UASC));
    this.ownTransfers = this.transferTable.sample(uniform(streams, S_UASC));
    const spontaneous = this.referral[t] ? Math.min(m, Math.max(0, thr - world.uascCount)) : m;
    this.referred = m - spontaneous;
    this.spontaneous = spontaneous;
    return Math.max(0, thr - world.uascCount - spontaneous);
  }

  /**
   * The month's arrivals after `draw`: the spontaneous ones and the transfers — the council's own draw, or `offered`
   * by a regional rota — never taking the count above the threshold; each with its own stream, age and placement. An
   * arrival into in-house fostering with no free place (`places`, Infinity when capacity is off) overflows. Returns
   * the number of arrivals.
   */
  place(
    world: World,
    t: number,
    runMix: number,
    places: number,
    agencyAvailability: number,
    offered: number = this.ownTransfers,
  ): number {
    const thr = this.threshold[t]!;
    const spontaneous = this.spontaneous;
    const transfers = Math.min(offered, Math.max(0, thr - world.uascCount - spontaneous));
    this.transfers = transfers;
    const arrivals = spontaneous + transfers;
    let overflow = 0;
    let entered = 0;
    for (let k = 0; k < arrivals && k < UASC_OFFSET; k++) {
      const ch = world.alloc();
      world.seed(ch, childSeed(runMix, ENTRANT_BASE + t * MONTH_SLOTS + UASC_OFFSET + k));
      const years = this.ageYears[pick(this.ageCum, uniform(world.st, ch))]!;
      const ageEnd = Math.min(LAST_MONTH_IN_CARE, years * 12 + Math.floor(uniform(world.st, ch) * 12));
      world.birth[ch] = t + 1 - ageEnd;
      world.uasc[ch] = 1;
      world.uascCount++;
      world.evM[ch] = -1;
      const k0 = this.placeCats[pick(this.placeCum, uniform(world.st, ch))]!;
      if (k0 === IN_HOUSE && world.counts[IN_HOUSE]! >= places) {
        overflow++;
        world.place(ch, world.overflowDestination(ch, agencyAvailability));
      } else world.place(ch, k0);
      world.schedule(ch, t + 1);
      entered++;
    }
    this.overflow = overflow;
    return entered;
  }
}
