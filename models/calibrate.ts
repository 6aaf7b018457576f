/**
 * Calibration over rolling origins: backtest from every quarter-end (or year-end) with enough history before it and
 * the horizon after it, and pool what happened against what was forecast. Per series (categories and the total) and
 * overall: the share of actual end-of-month counts inside P25–P75 (goal 40–60%) and P10–P90 (goal 72–90%), the mean
 * P50 error (forecast − actual), and the PIT histogram by deciles; and the share of origins whose total at the horizon
 * fell inside P10–P90 (goal ≥ 2/3). A series enters an origin's figures when its actual mean over the horizon is at
 * least `minCount` (3; models/scoring.ts, the rule the monthly job's accuracy roll-up uses too).
 *
 * PIT: the forecast's CDF at the actual count, from the runs themselves, as the mid-distribution PIT for counts,
 * P(X < a) + ½ P(X = a) (uniform on (0, 1) for a calibrated forecast of a count, without random tie-breaking).
 * Pure: the engine is passed in (the CLI and tests pass models/engine's simulate).
 */
import { addMonths, monthEndDate, monthIndex } from './calendar.js';
import { scenarioFromDataset } from './council-resolve.js';
import type { Dataset } from './dataset.js';
import { datasetAt } from './backtest.js';
import { CATEGORIES, type Category } from './placement.js';
import type { ForecastResult, Series } from './result.js';
import { parseScenario, type Scenario } from './scenario.js';
import { MIN_SCORED_MEAN, seriesScored } from './scoring.js';
import { stockByMonthOf } from './stock.js';
import type { MonthEndState, SimulateOptions } from './engine/types.js';

export interface CalibrationOptions {
  horizonMonths?: number;
  /** use only the latest N origins */
  origins?: number;
  step?: 'quarter' | 'year';
  runs?: number;
  seed?: number;
  /** estimation window (months) and the least history an origin needs before it */
  windowMonths?: number;
  minHistoryMonths?: number;
  minCount?: number;
  /** scenario overrides for every origin (capacity is off unless given, as in a backtest) */
  overrides?: unknown;
}

export interface CalibrationFigures {
  points: number;
  /** share of actual counts inside P25–P75 and P10–P90 */
  coverage50: number;
  coverage80: number;
  meanP50Error: number;
  /** share of PIT values in each decile (10 numbers summing to 1) */
  pit: number[];
}

export interface CalibrationResult {
  settings: Required<Omit<CalibrationOptions, 'overrides' | 'origins'>> & { origins: number; overrides?: unknown };
  origins: string[];
  series: Array<CalibrationFigures & { series: Series }>;
  overall: CalibrationFigures;
  /** the total in care at each origin's horizon month inside its P10–P90 */
  horizonTotal: { origins: number; inside80: number; share: number };
  /** the drift and groups each origin's forecast used (from its data) */
  perOrigin: Array<{
    origin: string;
    entryDriftSdPerYear: number;
    exitDriftSdPerYear: number;
    groupMeanSize: number;
    totalInside80: boolean;
  }>;
}

const SERIES: Series[] = [...CATEGORIES, 'total'];

/** Month ends at which to start a forecast: quarter or year ends with the history before and the horizon after. */
export function calibrationOrigins(
  period: Dataset['period'],
  horizonMonths: number,
  minHistoryMonths: number,
  step: 'quarter' | 'year',
): string[] {
  const first = monthIndex(period.start.slice(0, 7)) + minHistoryMonths - 1;
  const endMonth =
    monthIndex(period.end.slice(0, 7)) - (monthEndDate(monthIndex(period.end.slice(0, 7))) === period.end ? 0 : 1);
  const out: string[] = [];
  for (let m = first; m + horizonMonths <= endMonth; m++) {
    const calMonth = ((m % 12) + 12) % 12; // 0 = January
    const ok = step === 'year' ? calMonth === 2 : calMonth % 3 === 2;
    if (ok) out.push(monthEndDate(m));
  }
  return out;
}

function figures(inside50: number, inside80: number, err: number, pit: number[], points: number): CalibrationFigures {
  return {
    points,
    coverage50: points ? inside50 / points : 0,
    coverage80: points ? inside80 / points : 0,
    meanP50Error: points ? err / points : 0,
    pit: pit.map((v) => (points ? v / points : 0)),
  };
}

export function calibrate(
  dataset: Dataset,
  options: CalibrationOptions,
  simulate: (s: Scenario, o?: SimulateOptions) => ForecastResult,
): CalibrationResult {
  const H = options.horizonMonths ?? 12;
  const runs = options.runs ?? 500;
  const seed = options.seed ?? 1;
  const step = options.step ?? 'quarter';
  const windowMonths = options.windowMonths ?? 24;
  const minHistory = options.minHistoryMonths ?? windowMonths;
  const minCount = options.minCount ?? MIN_SCORED_MEAN;
  let origins = calibrationOrigins(dataset.period, H, minHistory, step);
  if (options.origins !== undefined) origins = origins.slice(Math.max(0, origins.length - options.origins));
  if (origins.length === 0)
    throw new RangeError(
      `no origin has ${minHistory} months of data before it and ${H} after it in ${dataset.period.start}..${dataset.period.end}`,
    );

  const acc = SERIES.map(() => ({ in50: 0, in80: 0, err: 0, n: 0, pit: new Array<number>(10).fill(0) }));
  const perOrigin: CalibrationResult['perOrigin'] = [];
  const NS = SERIES.length;
  for (const origin of origins) {
    const known = datasetAt(dataset, origin, windowMonths);
    const input = scenarioFromDataset(known, {
      name: `Calibration from ${origin}`,
      horizonMonths: H,
      runs,
      seed,
      capacity: null,
      uncertainty: { parameters: true },
      ...(options.overrides as object | undefined),
    });
    const parsed = parseScenario(input);
    if (!parsed.ok)
      throw new RangeError(`origin ${origin}: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    // every run's end-of-month counts, for the PIT
    const values = new Int32Array(runs * H * NS);
    const onMonthEnd = (r: number, t: number, st: MonthEndState) => {
      let total = 0;
      const o = (r * H + t) * NS;
      for (let k = 0; k < CATEGORIES.length; k++) {
        values[o + k] = st.counts[k]!;
        total += st.counts[k]!;
      }
      values[o + NS - 1] = total;
    };
    const result = simulate(parsed.value, { onMonthEnd });
    const actual = stockByMonthOf(dataset.children, result.months[0]!, result.months[H - 1]!);
    let totalInside = false;
    SERIES.forEach((name, k) => {
      const a = actual.map((m) => (name === 'total' ? m.total : m.byCategory[name as Category]));
      const q = result.population[name];
      if (!seriesScored(a, minCount)) return;
      const s = acc[k]!;
      a.forEach((v, i) => {
        if (v >= q.p25[i]! && v <= q.p75[i]!) s.in50++;
        if (v >= q.p10[i]! && v <= q.p90[i]!) s.in80++;
        s.err += q.p50[i]! - v;
        let below = 0;
        let equal = 0;
        for (let r = 0; r < runs; r++) {
          const x = values[(r * H + i) * NS + k]!;
          if (x < v) below++;
          else if (x === v) equal++;
        }
        const pit = (below + equal / 2) / runs;
        s.pit[Math.min(9, Math.floor(pit * 10))]!++;
        s.n++;
      });
      if (name === 'total') totalInside = a[H - 1]! >= q.p10[H - 1]! && a[H - 1]! <= q.p90[H - 1]!;
    });
    perOrigin.push({
      origin,
      entryDriftSdPerYear: result.uncertainty?.entryDrift?.sdPerYear ?? 0,
      exitDriftSdPerYear: result.uncertainty?.exitDrift?.sdPerYear ?? 0,
      groupMeanSize: result.uncertainty?.entryGroups?.meanSize ?? 1,
      totalInside80: totalInside,
    });
  }
  const series = SERIES.map((name, k) => {
    const s = acc[k]!;
    return { series: name, ...figures(s.in50, s.in80, s.err, s.pit, s.n) };
  }).filter((s) => s.points > 0);
  const sum = (f: (s: (typeof acc)[number]) => number) => acc.reduce((a, s) => a + f(s), 0);
  const overall = figures(
    sum((s) => s.in50),
    sum((s) => s.in80),
    sum((s) => s.err),
    Array.from({ length: 10 }, (_, d) => sum((s) => s.pit[d]!)),
    sum((s) => s.n),
  );
  const inside = perOrigin.filter((p) => p.totalInside80).length;
  return {
    settings: {
      horizonMonths: H,
      origins: origins.length,
      step,
      runs,
      seed,
      windowMonths,
      minHistoryMonths: minHistory,
      minCount,
      ...(options.overrides !== undefined ? { overrides: options.overrides } : {}),
    },
    origins,
    series,
    overall,
    horizonTotal: { origins: origins.length, inside80: inside, share: inside / origins.length },
    perOrigin,
  };
}

/** The month after an origin (the first forecast month). */
export const firstForecastMonth = (origin: string): string => addMonths(origin.slice(0, 7), 1);
