/**
 * In-house carer capacity (steps 0, 1's deferred moves in, and 4 of the engine's semantics): households join and
 * leave, places follow, and children are moved out when places fall short or step across into free places.
 */
import { BinomialTable, PoissonTable, uniform } from '../random.js';
import { AGENCY, IN_HOUSE, S_CAPACITY, S_HOUSEHOLDS } from './constants.js';
import type { RunInputs } from './inputs.js';
import type { World } from './world.js';

type Capacity = Pick<
  RunInputs,
  | 'inHouseHouseholds'
  | 'placesPerHousehold'
  | 'recruitmentPerYear'
  | 'householdLossPerYear'
  | 'stepAcrossProbability'
  | 'agencyAvailability'
>;

export class Carers {
  households = 0;
  places = 0;
  agencyAvailability = 1;
  private cap!: Capacity;
  private recruitTable!: PoissonTable;
  private tablesMade = false;
  private lossTable!: BinomialTable;
  private stepAcrossTable!: BinomialTable;

  constructor(cap: Capacity) {
    this.configure(cap);
  }

  /** Set the capacity inputs (once, or per run when some are ranges). */
  configure(cap: Capacity): void {
    this.cap = { ...cap };
    if (this.tablesMade) {
      // per run (inputs drawn): the same tables refilled
      this.recruitTable.reset(cap.recruitmentPerYear / 12);
      this.lossTable.reset(cap.householdLossPerYear / 12);
      this.stepAcrossTable.reset(cap.stepAcrossProbability);
    } else {
      this.recruitTable = new PoissonTable(cap.recruitmentPerYear / 12);
      this.lossTable = new BinomialTable(cap.householdLossPerYear / 12);
      this.stepAcrossTable = new BinomialTable(cap.stepAcrossProbability);
      this.tablesMade = true;
    }
    this.agencyAvailability = cap.agencyAvailability;
  }

  /** beds held by young people Staying Put with in-house carers: not open to children in care */
  held = 0;

  startRun(): void {
    this.held = 0;
    this.households = this.cap.inHouseHouseholds;
    this.places = Math.floor(this.households * this.cap.placesPerHousehold);
  }

  /** Staying Put beds changed: the places open to children follow at once. */
  hold(held: number): void {
    this.held = held;
    this.places = Math.floor(this.households * this.cap.placesPerHousehold) - held;
  }

  /** Step 0: households join Poisson(recruitment / 12) and leave Binomial(households, loss / 12). */
  month(streams: Int32Array): void {
    const joins = this.recruitTable.sample(uniform(streams, S_HOUSEHOLDS));
    const losses = this.lossTable.sample(this.households, uniform(streams, S_HOUSEHOLDS));
    this.households += joins - losses;
    this.places = Math.floor(this.households * this.cap.placesPerHousehold) - this.held;
  }

  /**
   * Step 1's moves into in-house fostering, after the month's exits have freed places: with no free place the child
   * overflows. Returns the number that overflowed.
   */
  placeMovesIn(world: World, t: number): number {
    let overflow = 0;
    for (let i = 0; i < world.pendingN; i++) {
      const ch = world.pendingIds[i]!;
      if (world.counts[IN_HOUSE]! < this.places) world.place(ch, IN_HOUSE);
      else {
        overflow++;
        world.place(ch, world.overflowDestination(ch, this.agencyAvailability));
      }
      world.schedule(ch, t + 1);
    }
    return overflow;
  }

  /**
   * Step 4: when places are below occupancy the excess children (chosen at random) move to agency fostering; when
   * places are free, each agency-fostered child moves in-house with stepAcrossProbability (up to the free places).
   * Returns the number of moves.
   */
  rebalance(world: World, t: number, streams: Int32Array): number {
    let moves = 0;
    let excess = world.counts[IN_HOUSE]! - Math.max(0, this.places);
    while (excess-- > 0) {
      const ch = world.lists[IN_HOUSE]![Math.floor(uniform(streams, S_CAPACITY) * world.counts[IN_HOUSE]!)]!;
      world.removeFromCat(ch);
      world.place(ch, AGENCY);
      world.unlink(ch);
      world.schedule(ch, t + 1);
      moves++;
    }
    const freePlaces = this.places - world.counts[IN_HOUSE]!;
    if (freePlaces > 0 && this.cap.stepAcrossProbability > 0 && world.counts[AGENCY]! > 0) {
      const n = Math.min(freePlaces, this.stepAcrossTable.sample(world.counts[AGENCY]!, uniform(streams, S_CAPACITY)));
      for (let i = 0; i < n; i++) {
        const ch = world.lists[AGENCY]![Math.floor(uniform(streams, S_CAPACITY) * world.counts[AGENCY]!)]!;
        world.removeFromCat(ch);
        world.place(ch, IN_HOUSE);
        world.unlink(ch);
        world.schedule(ch, t + 1);
        moves++;
      }
    }
    return moves;
  }
}
