/**
 * Staying Put (docs/DOMAIN.md §9): a young person who turns 18 in in-house foster care (and, with `fromAgency`, in agency
 * foster care) stays on with the carer with probability `share`, drawn from the young person's own stream, for
 * `months` month-ends starting with the month of the 18th birthday. Staying Put young people are care leavers: they
 * are not in the counts of children in care; they are counted here and costed in their own line (weekly × days / 7 at
 * in-house fostering's inflation). A young person staying with an in-house carer keeps that carer's bed, so the
 * in-house places open to children fall by one from the moment they turn 18 until they move on.
 */
import { uniform } from '../random.js';
import type { Scenario } from '../scenario.js';
import { AGENCY, IN_HOUSE } from './constants.js';
import type { World } from './world.js';

type Settings = NonNullable<Scenario['stayingPut']>;

export class StayingPut {
  /** young people Staying Put at the end of the month */
  count = 0;
  /** of them, those holding an in-house carer's bed */
  held = 0;
  /** started this month */
  starts = 0;
  readonly weekly: number;
  private readonly endsAll: Int32Array;
  private readonly endsHeld: Int32Array;

  constructor(
    private readonly sp: Settings,
    horizon: number,
  ) {
    this.weekly = sp.weekly;
    this.endsAll = new Int32Array(horizon + sp.months + 1);
    this.endsHeld = new Int32Array(horizon + sp.months + 1);
  }

  startRun(): void {
    this.count = 0;
    this.held = 0;
    this.starts = 0;
    this.endsAll.fill(0);
    this.endsHeld.fill(0);
  }

  /** The start of month t: spells that have run their months end. */
  monthStart(t: number): void {
    this.count -= this.endsAll[t]!;
    this.held -= this.endsHeld[t]!;
    this.starts = 0;
  }

  /** After the month's events: those who turned 18 in foster care this month (world.agedOut) may stay on. */
  ageOut(world: World, t: number): void {
    const share = this.sp.share;
    for (let i = 0; i < world.agedOutN; i++) {
      const c = world.agedOut[i]!;
      const k = world.cat[c]!;
      const inHouse = k === IN_HOUSE;
      if (!inHouse && !(this.sp.fromAgency && k === AGENCY)) continue;
      if (share <= 0 || (share < 1 && uniform(world.st, c) >= share)) continue;
      this.count++;
      this.starts++;
      this.endsAll[t + this.sp.months]!++;
      if (inHouse) {
        this.held++;
        this.endsHeld[t + this.sp.months]!++;
      }
    }
  }
}
