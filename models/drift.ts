/**
 * Entry-rate drift and sibling groups, estimated from a history of monthly non-UASC entry counts (and, where ingest
 * read them, the sizes of groups that started together). Pure functions; models/estimate.ts calls them.
 *
 * Drift (a local-level model): the log of the entry rate takes a random walk with variance q a year; counts are
 * Poisson around the rate, inflated by the sibling-group dispersion φ = E[S²]/E[S]. Over QUARTERLY counts N_i, the
 * change of log N over k quarters has variance k·q/4 + φ(1/N_i + 1/N_{i+k}) (the walk plus the counts' noise, by the
 * delta method). q̂ fits the noise-corrected mean squared changes at lags 1..K (a variogram; longer lags carry more of
 * the walk against the same noise), cut at 0; sdPerYear = √q̂. Uncentred: a steady trend counts as drift, since the
 * forecast cannot know it will continue. Fewer than 8 full quarters of history: the stated prior below instead.
 *
 * Only where the data show drift: cut at 0, the variogram of a steady rate is biased up (on 8–16 quarters of a fixed
 * rate it finds 0.1–0.4 a year), so two tests of the quarterly counts against a constant rate decide first, each at
 * half the level (Bonferroni): Pearson's dispersion test (`dispersionTest`) and its one-degree-of-freedom component
 * along a straight line in time (`trendTest`), which sees a steady rise or fall that the dispersion test, spread over
 * n − 1 degrees of freedom, misses in 8–12 quarters; both with the group dispersion φ in the noise. Not supported: no
 * drift, and the basis says so. Shown: the larger of two sizes of the walk, the variogram's and the trend's (the walk
 * that would show, on average, the trend component the counts show: `trendWalkSd`), and at least the stated prior.
 *
 * The level (`entryLevel`): where there is drift, the rate now is not the window's mean (which lags a year behind it
 * on a 24-month window), so the window's rates are scaled to the level the drift model itself filters at the end of
 * the history (a Kalman filter of the walk through the quarterly counts).
 *
 * Exit drift (`estimateExitDrift`): the same walk on the log of one multiplier of every exit rate, tested and sized
 * the same way on quarterly exits against the exits fixed rates would give (the two tests, the variogram and the
 * trend's walk), and its level at the end of the history (`exitLevel`); where neither test finds more than binomial
 * noise, none, and its basis says so (no prior: the issue asks for it only where data support it).
 *
 * Groups: from group sizes read at ingest where there are any (a group of size s is s entries with size s, so groups
 * of size s = entries with size s ÷ s); otherwise from the dispersion of monthly counts by successive differences,
 * φ̂ = Σ(N_t − N_{t−1})² / Σ(N_t + N_{t−1}) (differences remove a slow drift), read as 1 + Geometric sizes with
 * P(S = k) ∝ ρ^(k−1), ρ = (φ − 1)/(φ + 1) (which has E[S²]/E[S] = φ), cut at 8.
 */

/** Stated prior for the drift with too little history: sd of the log entry rate's change over a year. */
export const PRIOR_DRIFT_SD_PER_YEAR = 0.1;
export const PRIOR_DRIFT_BASIS =
  'prior (too little history to estimate): 0.10 a year — Peterborough starts per 10,000 moved −12% and −5% in consecutive years (docs/uncertainty.md)';
const MIN_QUARTERS = 8;
const MAX_GROUP = 8;

export interface DriftEstimate {
  sdPerYear: number;
  se?: number;
  basis: string;
}

export interface GroupEstimate {
  /** share of groups by size, "1".."8" */
  sizes: Record<string, number>;
  meanSize: number;
  /** E[S²]/E[S]: the variance-to-mean ratio the groups give monthly counts */
  dispersion: number;
  basis: string;
}

/** The outcome of a dispersion test: Pearson's X² on df degrees of freedom and its upper-tail p-value. */
export interface DispersionTest {
  statistic: number;
  df: number;
  p: number;
}

export interface EntryDriftEstimate extends DriftEstimate {
  /** the test of quarter-to-quarter variation beyond Poisson × group noise (with `trend`, decides whether to fit a drift) */
  test?: DispersionTest;
  /** the test of a steady rise or fall against a constant rate (`trendTest`) */
  trend?: DispersionTest;
}

/**
 * The level of the dispersion tests (entries and exits) below which the data are taken to show drift. For entries it
 * is shared by two tests (dispersion and trend), each at half of it.
 */
export const DRIFT_TEST_LEVEL = 0.05;

/**
 * Pearson's dispersion test of counts against what a model without drift expects of them: X² = Σ (o_i − e_i)² / (φ e_i)
 * on n − 1 degrees of freedom (one level fitted from the same counts), p-value by Wilson–Hilferty. φ is the counts'
 * variance-to-mean ratio without drift (1 for Poisson, the group dispersion for entries that come in sibling groups).
 */
export function dispersionTest(observed: readonly number[], expected: readonly number[], phi = 1): DispersionTest {
  const statistic = observed.reduce((a, o, i) => a + (o - expected[i]!) ** 2 / (phi * expected[i]!), 0);
  const df = observed.length - 1;
  return { statistic, df, p: chiSquareUpper(statistic, df) };
}

/**
 * The trend component of the dispersion test against a constant rate: of X² = Σ (N_i − N̄)² / (φ N̄), the part along a
 * straight line in time, X²_T = (Σ (i − ī)(N_i − N̄))² / (φ N̄ Σ (i − ī)²), on 1 degree of freedom (the least-squares
 * slope of the counts over its standard error under a constant rate, squared); p = 2(1 − Φ(√X²_T)). It concentrates on
 * the alternative a steady rise or fall makes, and a random walk mostly looks like one over a few years. The entries'
 * case of `trendTestAgainst` (every quarter expects the mean).
 */
export function trendTest(counts: readonly number[], phi = 1): DispersionTest {
  return trendTestAgainst(counts, constantAt(counts), phi);
}

/**
 * The trend component of Pearson's X² of counts o_i against what a model without drift expects of them, e_i (fitted
 * to the same counts: Σ o = Σ e): the score test of a log-linear trend o_i ~ e_i·exp(a + b·i) at b = 0,
 * X²_T = (Σ (i − ī)(o_i − e_i))² / (φ Σ e_i (i − ī)²) with ī = Σ i e_i / Σ e_i, on 1 degree of freedom. With every
 * e_i the mean it is `trendTest`; for exits e_i are the exits fixed rates give each quarter's exposure, so a stock
 * that grows or shrinks is not taken for a trend in the rates.
 */
export function trendTestAgainst(observed: readonly number[], expected: readonly number[], phi = 1): DispersionTest {
  const { mid, sxx } = weightedTime(expected);
  let sxy = 0;
  observed.forEach((o, i) => {
    sxy += (i - mid) * (o - expected[i]!);
  });
  const statistic = sxx > 0 ? (sxy * sxy) / (phi * sxx) : 0;
  return { statistic, df: 1, p: 2 * (1 - normalCdf(Math.sqrt(statistic))) };
}

/** ī = Σ i e_i / Σ e_i and Σ e_i (i − ī)² (0 when Σ e ≤ 0): the trend test's time axis, weighted by what is expected. */
function weightedTime(expected: readonly number[]): { mid: number; sxx: number } {
  let total = 0;
  let first = 0;
  expected.forEach((e, i) => {
    total += e;
    first += i * e;
  });
  if (!(total > 0)) return { mid: 0, sxx: 0 };
  const mid = first / total;
  let sxx = 0;
  expected.forEach((e, i) => {
    sxx += e * (i - mid) ** 2;
  });
  return { mid, sxx };
}

const constantAt = (counts: readonly number[]): number[] => {
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  return counts.map(() => mean);
};

/**
 * Whether two tests (dispersion and trend) show drift: either below half the level (Bonferroni: at most the level in
 * all). The same rule for entries and exits.
 */
export const driftShown = (dispersion: DispersionTest, trend: DispersionTest): boolean =>
  Math.min(dispersion.p, trend.p) < DRIFT_TEST_LEVEL / 2;
/** Whether the entries' two tests show drift (`driftShown`). */
export const entryDriftShown = driftShown;

const describeTest = (t: DispersionTest): string =>
  `X² ${t.statistic.toFixed(1)} on ${t.df} df, p ${t.p < 0.001 ? '< 0.001' : t.p.toFixed(3)}`;
const rounded = (t: DispersionTest): DispersionTest => ({ statistic: round4(t.statistic), df: t.df, p: round4(t.p) });

/**
 * Drift from monthly counts (oldest first); `dispersion` φ from the groups (1 = Poisson).
 *
 * Whether the data show drift: the quarterly counts N_i against a constant rate, X² = Σ (N_i − N̄)² / (φ N̄) (a
 * constant rate's quarterly counts have variance φ × their mean), and its trend component X²_T (`trendTest`), each at
 * 2.5%. The constant is the right null: it is what the engine does without drift, and a trend counts as drift, so
 * fitting one would hide what the forecast must carry. Shown: the variogram's estimate or, where it is larger, the walk
 * the trend component implies (`trendWalkSd`: noise taken off a short or small history's quarter-to-quarter changes
 * can leave nothing of a fall the trend test sees), and the stated prior where both find less.
 * Otherwise no drift: on the demo data and on generated steady histories that calibrates better than the smaller of
 * the variogram and the prior (docs/uncertainty.md has the figures).
 * Under 8 quarters, or a quarter with no entries (too few to fit on the log scale): the stated prior.
 */
export function estimateDrift(monthly: readonly number[], dispersion = 1): EntryDriftEstimate {
  const quarters = quarterSums(monthly);
  if (quarters.length < MIN_QUARTERS || quarters.some((n) => n <= 0))
    return { sdPerYear: PRIOR_DRIFT_SD_PER_YEAR, basis: PRIOR_DRIFT_BASIS };
  const phi = Number.isFinite(dispersion) && dispersion > 1 ? dispersion : 1;
  const mean = quarters.reduce((a, b) => a + b, 0) / quarters.length;
  const test = dispersionTest(
    quarters,
    quarters.map(() => mean),
    phi,
  );
  const trend = trendTest(quarters, phi);
  const tested = `vs a constant rate, each at 2.5%: trend ${describeTest(trend)}; dispersion ${describeTest(test)}`;
  const tests = { test: rounded(test), trend: rounded(trend) };
  if (!entryDriftShown(test, trend))
    return {
      sdPerYear: 0,
      ...tests,
      basis: `no entry drift: not supported by the data (${quarters.length} quarters of entries, ${tested})`,
    };
  const v = variogram(
    quarters.map((n) => Math.log(n)),
    quarters.map((n) => phi / n),
  );
  const byTrend = trendWalkSd(quarters, phi, trend.statistic);
  if (Math.max(v.sd, byTrend) < PRIOR_DRIFT_SD_PER_YEAR)
    return {
      sdPerYear: PRIOR_DRIFT_SD_PER_YEAR,
      ...tests,
      basis: `the stated prior ${PRIOR_DRIFT_SD_PER_YEAR.toFixed(2)} a year: ${quarters.length} quarters of entries show drift, the variogram (${v.lags} lags, net of noise) ${v.sd.toFixed(3)}, the trend ${byTrend.toFixed(3)} (${tested})`,
    };
  if (byTrend > v.sd)
    return {
      sdPerYear: round4(byTrend),
      ...tests,
      basis: `estimated from ${quarters.length} quarters of entries (random walk on the log rate, sized by the trend it shows; the variogram, net of noise, ${v.sd.toFixed(3)} over ${v.lags} lags; ${tested})`,
    };
  return {
    sdPerYear: round4(v.sd),
    se: round4(v.se),
    ...tests,
    basis: `estimated from ${quarters.length} quarters of entries (random walk on the log rate, variogram over ${v.lags} lags, net of Poisson and group noise; ${tested})`,
  };
}

/**
 * The walk that shows, on average, the trend the quarterly counts show (sd of the log rate a year): the trend test's
 * own moment. For a random walk x with variance q a quarter, Σ (i − ī) x_i = Σ_j e_j s_j with s_j = Σ_{i ≥ j} (i − ī),
 * so by the delta method E[X²_T] ≈ 1 + N̄ q c / (φ S_xx), with c = Σ_{j=1}^{n−1} s_j² and S_xx = Σ (i − ī)²; hence
 * q̂ = (X²_T − 1) φ S_xx / (N̄ c), cut at 0. The variogram sees the walk through the quarter-to-quarter changes, which
 * a short or noisy history buries in noise; this sees it through its slow part, which a steady rise or fall is made of.
 * The entries' case of `trendWalkSdAgainst`.
 */
export function trendWalkSd(quarters: readonly number[], phi: number, trendStatistic: number): number {
  return trendWalkSdAgainst(constantAt(quarters), phi, trendStatistic);
}

/**
 * `trendWalkSd` where quarter i expects e_i (`trendTestAgainst`): a walk x on the log of the rate multiplies e_i by
 * e^{x_i} ≈ 1 + x_i, so Σ (i − ī)(o_i − e_i) gains Σ_j e_j s_j with s_j = Σ_{i ≥ j} (i − ī) e_i, and
 * E[X²_T] ≈ 1 + q c / (φ S) with c = Σ s_j², S = Σ e_i (i − ī)²: q̂ = (X²_T − 1) φ S / c, cut at 0.
 */
export function trendWalkSdAgainst(expected: readonly number[], phi: number, trendStatistic: number): number {
  const { mid, sxx } = weightedTime(expected);
  let c = 0;
  let s = 0;
  for (let j = expected.length - 1; j >= 1; j--) {
    s += (j - mid) * expected[j]!;
    c += s * s;
  }
  if (!(sxx > 0) || c <= 0) return 0;
  const q = (Math.max(0, trendStatistic - 1) * phi * sxx) / c;
  return Math.sqrt(4 * q);
}

/** A rate's level at the end of the history, filtered under the drift model (`entryLevel`, `exitLevel`). */
export interface DriftLevel {
  /** the level's mean ÷ the window's mean rate: what the window's rates are multiplied by */
  factor: number;
  /** sd of the log level at the end of the history (the filter's posterior) */
  sd: number;
  /** quarters filtered */
  quarters: number;
}
/** The entry rate's level at the end of the history (`entryLevel`). */
export type EntryLevel = DriftLevel;

/**
 * The level of the entry rate at the end of a history (monthly counts, oldest first), under the drift model itself:
 * the log of the quarterly rate a random walk with variance σ²/4 a quarter, each quarter's log count that level plus
 * noise of variance φ/λ (Poisson × groups, by the delta method; λ the quarter's count predicted from the quarters
 * before). The Kalman filter through every full quarter counted back from the latest month (`filterLevel`, started
 * from the first quarter alone) gives the log level's mean a and variance P at the last one, and the level's mean is
 * exp(a + P/2). `factor` is that level ÷ the mean quarterly count over the last `windowMonths` months (the months the
 * rates were counted over): the window's mean lags the level by half the window where the rate moves.
 * Null where there is no walk (σ = 0: the window's mean is then the level's estimate), or no full quarter, or a
 * quarter or the window with no entries.
 */
export function entryLevel(
  monthly: readonly number[],
  sdPerYear: number,
  dispersion: number,
  windowMonths: number,
): EntryLevel | null {
  return levelAgainst(monthly, null, sdPerYear, dispersion, windowMonths);
}

/**
 * The level of the exit rates' multiplier at the end of a history, as `entryLevel` for the exits (other than at 18)
 * against those fixed rates give (`estimateExitDrift`'s series): the log of one multiplier of every exit rate a random
 * walk, each quarter's log(exits ÷ expected) that level plus noise 1/λ (λ = the quarter's expected exits × the level
 * predicted), filtered through every full quarter. `factor` is the level ÷ the window's own multiplier (its exits ÷ its
 * expected exits over the last `windowMonths` months): what every exit rate of the window is multiplied by. Null where
 * there is no walk, no full quarter, or a quarter or the window with no exits or none expected.
 */
export function exitLevel(
  exits: readonly number[],
  expected: readonly number[],
  sdPerYear: number,
  windowMonths: number,
): DriftLevel | null {
  return levelAgainst(exits, expected, sdPerYear, 1, windowMonths);
}

/** `entryLevel` (expected null: the rate is the count itself) and `exitLevel` (the multiplier of what is expected). */
function levelAgainst(
  monthly: readonly number[],
  expectedMonthly: readonly number[] | null,
  sdPerYear: number,
  dispersion: number,
  windowMonths: number,
): DriftLevel | null {
  const quarters = quarterSums(monthly);
  const expected = expectedMonthly ? quarterSums(expectedMonthly) : quarters.map(() => 1);
  if (!(sdPerYear > 0) || quarters.length === 0 || quarters.some((n) => n <= 0) || expected.some((x) => !(x > 0)))
    return null;
  const w = Math.min(Math.max(1, Math.round(windowMonths)), monthly.length);
  let inWindow = 0;
  // the window in the filter's units: its quarters (entries), or the exits fixed rates give it (exits)
  let expectedInWindow = expectedMonthly ? 0 : w / 3;
  for (let m = monthly.length - w; m < monthly.length; m++) {
    inWindow += monthly[m]!;
    if (expectedMonthly) expectedInWindow += expectedMonthly[m]!;
  }
  if (inWindow <= 0 || expectedInWindow <= 0) return null;
  const phi = Number.isFinite(dispersion) && dispersion > 1 ? dispersion : 1;
  const { a, P } = filterLevel(quarters, expected, (sdPerYear * sdPerYear) / 4, phi);
  return {
    factor: round4(Math.exp(a + P / 2) / (inWindow / expectedInWindow)),
    sd: round4(Math.sqrt(P)),
    quarters: quarters.length,
  };
}

/**
 * The Kalman filter of a local level x (the log of observed ÷ expected, a random walk with variance q a quarter)
 * through quarterly counts o_i, each log(o_i / e_i) the level plus noise φ/λ_i with λ_i = e_i·exp(x̂) the count
 * predicted, corrected first for its own bias (E[log o] ≈ log λ − φ/(2λ)); started from the first quarter alone.
 * Returns the last quarter's mean a and variance P of x.
 */
function filterLevel(
  observed: readonly number[],
  expected: readonly number[],
  q: number,
  phi: number,
): { a: number; P: number } {
  let a = Math.log(observed[0]! / expected[0]!) + phi / (2 * observed[0]!);
  let P = phi / observed[0]!;
  for (let i = 1; i < observed.length; i++) {
    const predicted = P + q;
    const lambda = expected[i]! * Math.exp(a);
    const noise = phi / lambda;
    const gain = predicted / (predicted + noise);
    a += gain * (Math.log(observed[i]! / expected[i]!) + phi / (2 * lambda) - a);
    P = (1 - gain) * predicted;
  }
  return { a, P };
}

/** Full quarters counted back from the latest month (oldest first). */
function quarterSums(monthly: readonly number[]): number[] {
  const quarters: number[] = [];
  for (let end = monthly.length; end - 3 >= 0; end -= 3)
    quarters.unshift(monthly[end - 1]! + monthly[end - 2]! + monthly[end - 3]!);
  return quarters;
}

/**
 * The variogram fit of a random walk's variance q a year from quarterly log values with known noise variances:
 * at lag k quarters, E[(y_{i+k} − y_i)²] = k·q/4 + noise_i + noise_{i+k}; the noise-corrected means V_k are fitted
 * by k·q/4 (least squares through the origin) over lags 1..K, cut at 0.
 */
function variogram(logs: readonly number[], noise: readonly number[]): { sd: number; se: number; lags: number } {
  const K = Math.max(1, Math.min(8, Math.floor(logs.length / 3)));
  const perLag: number[] = [];
  let num = 0;
  let den = 0;
  for (let k = 1; k <= K; k++) {
    let v = 0;
    let n = 0;
    for (let i = 0; i + k < logs.length; i++) {
      v += (logs[i + k]! - logs[i]!) ** 2 - (noise[i]! + noise[i + k]!);
      n++;
    }
    v /= n;
    perLag.push((4 * v) / k);
    num += k * v;
    den += k * k;
  }
  const q = Math.max(0, (4 * num) / den);
  const sd = Math.sqrt(q);
  // a rough standard error of q from the spread of the per-lag estimates (they are correlated: an underestimate)
  const m = perLag.reduce((a, b) => a + b, 0) / perLag.length;
  const seVar = perLag.length > 1 ? Math.sqrt(perLag.reduce((a, b) => a + (b - m) ** 2, 0) / (perLag.length - 1)) : q;
  const se = sd > 0 ? Math.min(seVar / (2 * sd), Math.sqrt(seVar)) : Math.sqrt(seVar);
  return { sd, se, lags: K };
}

export interface ExitDriftEstimate extends DriftEstimate {
  /** the test of quarter-to-quarter variation beyond binomial noise (with `trend`, decides whether to fit a drift) */
  test?: DispersionTest;
  /** the test of a steady rise or fall of the exit rates against fixed rates (`trendTestAgainst`) */
  trend?: DispersionTest;
}

/**
 * Drift of the exit rates, from monthly exits (other than at 18) and the exits expected in each month at rates held
 * fixed over the same history (Σ over band × category of the month's exposure × the cell's exit rate over the whole
 * history), oldest first. One multiplier on every cell's exit rate takes a random walk on its log.
 *
 * Whether the data support it: the entries' two tests (`driftShown`), of the quarterly exits E_i against the expected
 * ones X_i (scaled so Σ E = Σ X: the rates are fitted to the same history), each at 2.5%: Pearson's
 * X² = Σ (E_i − X_i)² / X_i on n − 1 degrees of freedom (p by Wilson–Hilferty) and its component along a straight
 * line in time (`trendTestAgainst`, 1 df), which sees children leaving steadily faster or slower. Neither (or under 8
 * quarters): no exit drift, and the basis says why (no prior: the issue asks for it only where data support it).
 * Otherwise the larger of two sizes of the walk: the variogram of log(E_i / X_i), net of each quarter's binomial noise
 * ≈ 1/E_i, and the walk that would show the trend the exits show (`trendWalkSdAgainst`).
 */
export function estimateExitDrift(exits: readonly number[], expected: readonly number[]): ExitDriftEstimate {
  const e = quarterSums(exits);
  const x = quarterSums(expected);
  if (e.length < MIN_QUARTERS)
    return {
      sdPerYear: 0,
      basis: `no exit drift: ${e.length} full quarters of history, at least ${MIN_QUARTERS} needed to test for it`,
    };
  if (e.some((n) => n <= 0) || x.some((n) => n <= 0))
    return { sdPerYear: 0, basis: 'no exit drift: a quarter with no exits (too few to test for drift)' };
  const scale = e.reduce((a, b) => a + b, 0) / x.reduce((a, b) => a + b, 0);
  const xs = x.map((v) => v * scale);
  const test = dispersionTest(e, xs);
  const trend = trendTestAgainst(e, xs);
  const tested = `${e.length} quarters of exits against fixed rates, each at 2.5%: trend ${describeTest(trend)}; dispersion ${describeTest(test)}`;
  const tests = { test: rounded(test), trend: rounded(trend) };
  if (!driftShown(test, trend))
    return { sdPerYear: 0, ...tests, basis: `no exit drift: not supported by the data (${tested})` };
  const v = variogram(
    e.map((n, i) => Math.log(n / xs[i]!)),
    e.map((n) => 1 / n),
  );
  const byTrend = trendWalkSdAgainst(xs, 1, trend.statistic);
  if (byTrend > v.sd)
    return {
      sdPerYear: round4(byTrend),
      ...tests,
      basis: `estimated from ${e.length} quarters of exits (random walk on the log of the exit rates, sized by the trend it shows; the variogram, net of binomial noise, ${v.sd.toFixed(3)} over ${v.lags} lags; ${tested})`,
    };
  return {
    sdPerYear: round4(v.sd),
    se: round4(v.se),
    ...tests,
    basis: `estimated from ${e.length} quarters of exits (random walk on the log of the exit rates, variogram over ${v.lags} lags, net of binomial noise; ${tested})`,
  };
}

/** P(χ²_df > x) by the Wilson–Hilferty approximation (good to about 0.01 in p for df ≥ 5). */
export function chiSquareUpper(x: number, df: number): number {
  if (x <= 0) return 1;
  const h = 2 / (9 * df);
  const z = ((x / df) ** (1 / 3) - (1 - h)) / Math.sqrt(h);
  return 1 - normalCdf(z);
}

/** Φ(z), by erfc's rational approximation (Abramowitz and Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const tail = 0.5 * poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? 1 - tail : tail;
}

/** Group sizes from sizes read at ingest: `entriesBySize[s]` = entries whose group had size s. */
export function groupsFromSizes(entriesBySize: ReadonlyMap<number, number>): GroupEstimate | null {
  let known = 0;
  const groups = new Map<number, number>();
  for (const [s, n] of entriesBySize) {
    const size = Math.min(MAX_GROUP, Math.max(1, Math.round(s)));
    known += n;
    groups.set(size, (groups.get(size) ?? 0) + n / size);
  }
  if (known === 0) return null;
  const total = [...groups.values()].reduce((a, b) => a + b, 0);
  const sizes: Record<string, number> = {};
  let m1 = 0;
  let m2 = 0;
  for (const [s, g] of [...groups].sort((a, b) => a[0] - b[0])) {
    sizes[String(s)] = round4(g / total);
    m1 += (s * g) / total;
    m2 += (s * s * g) / total;
  }
  return {
    sizes,
    meanSize: round4(m1),
    dispersion: round4(m2 / m1),
    basis: `sibling groups read at ingest (same start day, same home postcode): ${Math.round(total)} groups, ${known} children`,
  };
}

/** Group sizes from the dispersion of monthly counts (no group sizes known). Null when counts are not over-dispersed. */
export function groupsFromDispersion(monthly: readonly number[]): GroupEstimate | null {
  let num = 0;
  let den = 0;
  for (let t = 1; t < monthly.length; t++) {
    num += (monthly[t]! - monthly[t - 1]!) ** 2;
    den += monthly[t]! + monthly[t - 1]!;
  }
  if (monthly.length < 12 || den <= 0) return null;
  const phi = num / den;
  if (phi <= 1.05) return null;
  const rho = Math.min(0.9, (phi - 1) / (phi + 1));
  const w = Array.from({ length: MAX_GROUP }, (_, k) => rho ** k);
  const total = w.reduce((a, b) => a + b, 0);
  const sizes: Record<string, number> = {};
  let m1 = 0;
  let m2 = 0;
  w.forEach((v, k) => {
    const p = v / total;
    if (p < 1e-4) return;
    sizes[String(k + 1)] = round4(p);
    m1 += (k + 1) * p;
    m2 += (k + 1) ** 2 * p;
  });
  return {
    sizes,
    meanSize: round4(m1),
    dispersion: round4(m2 / m1),
    basis: `dispersion of ${monthly.length} monthly entry counts (variance/mean ${phi.toFixed(2)} by successive differences)`,
  };
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
