/**
 * UASC grant income (docs/DOMAIN.md §9, docs/COUNCILS.md): the Home Office pays a daily rate for each UASC in care, by age
 * group, from a dated schedule. A month's income for a child is the sum over the month's days of the rate in force
 * that day for the child's age group (the age in whole months at the end of the month: under 16 is < 192 months).
 * Where a dated entry has a `higher` rate, every UASC is paid that flat daily rate in months when the council's UASC
 * count is at or above round(`share` × its child population) — the population of the run, as the NTS threshold's, when
 * it is a range. Grant amounts are cash: no inflation.
 */
import { daysInMonthIndex, monthFromIndex } from '../calendar.js';
import type { Scenario } from '../scenario.js';
import { childPopulationAt } from '../uasc.js';
import { uncertainMean } from '../uncertain.js';
import { NC } from './constants.js';
import type { RunInputs } from './inputs.js';
import type { World } from './world.js';

type Grant = NonNullable<Scenario['uascGrant']>;
type Rate = Grant['rates'][number];

const SIXTEEN_MONTHS = 192;

function rateOn(rates: readonly Rate[], iso: string): Rate | undefined {
  let r: Rate | undefined;
  for (const x of rates) if (x.from <= iso) r = x;
  return r;
}

export class UascGrant {
  /** pounds for the whole month for one child, by month: under 16, 16–17, and the higher rate's (when it applies) */
  readonly under16: Float64Array;
  readonly over16: Float64Array;
  readonly higherUnder16: Float64Array;
  readonly higherOver16: Float64Array;
  /** UASC count at or above which the higher rate applies in the month (Infinity: no higher rate) */
  readonly higherFrom: Float64Array;
  /** the months with a higher rate in force on their last day, and its share of the child population */
  private readonly higherMonths: number[] = [];
  private readonly higherShares: number[] = [];
  /** this month's income (set by `month`) */
  income = 0;

  constructor(grant: Grant, s: Scenario, start: number) {
    const H = s.horizonMonths;
    this.under16 = new Float64Array(H);
    this.over16 = new Float64Array(H);
    this.higherUnder16 = new Float64Array(H);
    this.higherOver16 = new Float64Array(H);
    this.higherFrom = new Float64Array(H).fill(Infinity);
    for (let t = 0; t < H; t++) {
      const m = monthFromIndex(start + t);
      const days = daysInMonthIndex(start + t);
      let hasHigher = false;
      for (let d = 1; d <= days; d++) {
        const r = rateOn(grant.rates, `${m}-${String(d).padStart(2, '0')}`);
        if (!r) continue;
        this.under16[t]! += r.dailyUnder16;
        this.over16[t]! += r.daily16to17;
        this.higherUnder16[t]! += r.higher ? r.higher.daily : r.dailyUnder16;
        this.higherOver16[t]! += r.higher ? r.higher.daily : r.daily16to17;
        if (r.higher && d === days) {
          hasHigher = true;
          this.higherMonths.push(t);
          this.higherShares.push(r.higher.share);
        }
      }
      if (!hasHigher) this.higherFrom[t] = Infinity;
    }
    // the line at the population's central values (a range is drawn per run: configurePopulation)
    this.lines(uncertainMean(s.childPopulation.base), uncertainMean(s.childPopulation.annualGrowth));
  }

  /** does a higher rate apply in any month (else the population does not matter) */
  get hasHigherRate(): boolean {
    return this.higherMonths.length > 0;
  }

  /** Per run, when the child population is a range: the line at the run's own population (as the NTS threshold's). */
  configurePopulation(inputs: RunInputs): void {
    this.lines(inputs.childPopulationBase, inputs.childPopulationGrowth);
  }

  private lines(base: number, growth: number): void {
    for (let i = 0; i < this.higherMonths.length; i++) {
      const t = this.higherMonths[i]!;
      this.higherFrom[t] = Math.round(this.higherShares[i]! * childPopulationAt(base, growth, t + 1));
    }
  }

  /** The month's grant income for the UASC in care at the end of month t. */
  month(world: World, t: number): number {
    let young = 0;
    let old = 0;
    for (let k = 0; k < NC; k++) {
      const list = world.lists[k]!;
      for (let i = 0, n = world.counts[k]!; i < n; i++) {
        const c = list[i]!;
        if (!world.uasc[c]) continue;
        if (t + 1 - world.birth[c]! < SIXTEEN_MONTHS) young++;
        else old++;
      }
    }
    const higher = world.uascCount >= this.higherFrom[t]!;
    this.income = higher
      ? young * this.higherUnder16[t]! + old * this.higherOver16[t]!
      : young * this.under16[t]! + old * this.over16[t]!;
    return this.income;
  }
}
