/** Small categorical draws outside the hot loop (UASC arrival ages and placements, the added initial UASC). */

/** Cumulative shares for a small categorical draw (UASC ages and placements). */
export function cumulative(weights: number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  const out = Float64Array.from(weights, (w) => (acc += total > 0 ? w / total : 0));
  if (out.length) out[out.length - 1] = 1;
  return out;
}

/** The first index whose cumulative share reaches u (binary search). */
export function pick(cum: Float64Array, u: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u > cum[mid]!) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
