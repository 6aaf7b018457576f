/**
 * Capacity a region commissions together: block-contracted residential beds and a shared fostering hub. Any member
 * council uses a free shared place for a new residential (or agency-foster) placement before it buys a spot
 * placement; once every shared place is taken, placements are spot-purchased as before.
 *
 * What a shared place changes is the price, not the child's path: a child in a shared bed is a residential placement
 * (its moves and exits follow the residential rates), charged the shared weekly cost instead of its spot cost while
 * the spell lasts. So a council's numbers in a region with shared capacity are exactly its numbers without it, and
 * the saving is exact run by run: spot cost avoided − the block cost of the places, occupied or not.
 *
 * Places are handed out at the end of each month (after the month's arrivals), to the placements that started that
 * month, the councils taking turns to go first month by month so that no council always has first pick.
 */
import { AGENCY, RESIDENTIAL } from '../engine/constants.js';
import type { World } from '../engine/world.js';

/** One pool of shared places for one category (residential beds, or foster places). */
export class SharedPool {
  /** per council: the spell id of the child's shared placement, by child slot (0 = none) */
  private readonly sharedSpell: Int32Array[];
  /** per council: the spot weekly cost the shared place replaced, by child slot */
  private readonly spotCost: Float64Array[];
  /** this month's results */
  occupied = 0;
  /** pounds avoided this month: Σ (spot − shared weekly cost) × the council's charge, over children in shared places */
  avoided = 0;

  constructor(
    councils: number,
    readonly category: number,
    readonly weeklyCost: number,
  ) {
    this.sharedSpell = Array.from({ length: councils }, () => new Int32Array(1024));
    this.spotCost = Array.from({ length: councils }, () => new Float64Array(1024));
  }

  private ensure(i: number, cap: number): void {
    if (this.sharedSpell[i]!.length >= cap) return;
    const s = new Int32Array(cap);
    s.set(this.sharedSpell[i]!);
    this.sharedSpell[i] = s;
    const c = new Float64Array(cap);
    c.set(this.spotCost[i]!);
    this.spotCost[i] = c;
  }

  /**
   * The month's reconciliation. `places`: shared places this month. `spellsBefore[i]`: council i's spell counter at the
   * start of the month (spells above it started this month). `charge[i]`: council i's charge for £1 a week this month.
   */
  month(worlds: readonly World[], places: number, spellsBefore: Int32Array, charge: Float64Array, t: number): void {
    const N = worlds.length;
    const k = this.category;
    let occupied = 0;
    // who is still in a shared place: a child keeps it while its spell in this category lasts
    for (let i = 0; i < N; i++) {
      const w = worlds[i]!;
      this.ensure(i, w.cap);
      const shared = this.sharedSpell[i]!;
      const list = w.lists[k]!;
      for (let j = 0, n = w.counts[k]!; j < n; j++) {
        const c = list[j]!;
        if (shared[c] === w.spell[c]) occupied++;
      }
    }
    // free places go to this month's new spot placements, the councils taking turns to go first
    let free = places - occupied;
    for (let step = 0; step < N && free > 0; step++) {
      const i = (t + step) % N;
      const w = worlds[i]!;
      const shared = this.sharedSpell[i]!;
      const spot = this.spotCost[i]!;
      const list = w.lists[k]!;
      const before = spellsBefore[i]!;
      for (let j = 0, n = w.counts[k]!; j < n && free > 0; j++) {
        const c = list[j]!;
        if (w.spell[c]! <= before || shared[c] === w.spell[c]) continue;
        shared[c] = w.spell[c]!;
        spot[c] = w.wcost[c]!;
        w.spellCost[k]! += this.weeklyCost - w.wcost[c]!;
        w.wcost[c] = this.weeklyCost;
        occupied++;
        free--;
      }
    }
    // the saving of the children in shared places this month
    let avoided = 0;
    for (let i = 0; i < N; i++) {
      const w = worlds[i]!;
      const shared = this.sharedSpell[i]!;
      const spot = this.spotCost[i]!;
      const list = w.lists[k]!;
      let weekly = 0;
      for (let j = 0, n = w.counts[k]!; j < n; j++) {
        const c = list[j]!;
        if (shared[c] === w.spell[c]) weekly += spot[c]! - this.weeklyCost;
      }
      avoided += weekly * charge[i]!;
    }
    this.occupied = occupied;
    this.avoided = avoided;
  }
}

export const SHARED_RESIDENTIAL = RESIDENTIAL;
export const SHARED_FOSTER = AGENCY;
