/**
 * The NTS regional rota (seed 002: the Eastern Region's councils agreed a rota for the children who arrive in the
 * region; a council above its threshold "comes off the rota altogether", so councils with few UASC are on duty more
 * often). The region's transfers in a month go one by one, in rota order, to the next council that can take one
 * without going above its own threshold; the rota's place is kept from month to month. What no council can take is
 * not placed in the region.
 */
export class Rota {
  /** the council whose turn is next */
  private next = 0;

  constructor(private readonly councils: number) {}

  /** a new run starts the rota at the first council */
  reset(): void {
    this.next = 0;
  }

  /**
   * Place `n` transfers: council i can take `room[i] - given[i]` more. Adds to `given` and returns how many could not
   * be placed anywhere.
   */
  allocate(n: number, room: Int32Array, given: Int32Array): number {
    const N = this.councils;
    for (let k = 0; k < n; k++) {
      let found = -1;
      for (let j = 0; j < N; j++) {
        const i = (this.next + j) % N;
        if (room[i]! > given[i]!) {
          found = i;
          break;
        }
      }
      if (found < 0) return n - k;
      given[found]!++;
      this.next = (found + 1) % N;
    }
    return 0;
  }
}
