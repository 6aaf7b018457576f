/**
 * Summaries of shards merge exactly: a histogram or sketch built from shards, each sent through JSON (as a shard's
 * result travels through the store), then merged, answers every count and quantile exactly as one built from all the
 * values in run order, and its mean within 1e-12 relative (sums added in another order differ only by rounding).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CountSeries,
  LogSketch,
  SKETCH_COARSE,
  SKETCH_FINE,
  SketchBank,
  SketchSeries,
  type CountSeriesState,
  type LogSketchState,
} from '#models/summary';
import { Rng } from '#models/random';

const mulberry32 = (seed: number) => {
  const rng = new Rng(seed);
  return () => rng.next();
};

const viaJson = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** cut [0, n) into shards at the given (sorted, deduplicated) points */
function cuts(n: number, points: number[]): [number, number][] {
  const at = [...new Set(points.map((p) => Math.min(n, p)))].sort((a, b) => a - b);
  const bounds = [0, ...at.filter((p) => p > 0 && p < n), n];
  return bounds.slice(1).map((to, i) => [bounds[i]!, to]);
}

function expectClose(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-300));
}

describe('CountSeries.merge', () => {
  it('gives the same histograms as adding every run to one series, whatever the shards', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 6, maxLength: 6 }), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.array(fc.nat(60), { maxLength: 5 }),
        (months, rawRuns, points) => {
          const runs = rawRuns.map((r) => r.slice(0, months));
          const whole = new CountSeries(months);
          for (const run of runs) {
            run.forEach((v, m) => whole.add(m, v));
            whole.endRun();
          }
          const merged = new CountSeries(months);
          for (const [from, to] of cuts(runs.length, points)) {
            const shard = new CountSeries(months);
            for (const run of runs.slice(from, to)) {
              run.forEach((v, m) => shard.add(m, v));
              shard.endRun();
            }
            merged.merge(viaJson<CountSeriesState>(shard.toState()));
          }
          expect(merged.runs).toBe(runs.length);
          expect(merged.summary()).toEqual(whole.summary());
          for (let m = 0; m < months; m++) {
            expect(merged.sd(m)).toBe(whole.sd(m));
            expect(merged.shareAbove(m, 300)).toBe(whole.shareAbove(m, 300));
          }
        },
      ),
      { seed: 15, numRuns: 200 },
    );
  });

  it('keeps wide values (the histogram grows) and empty months (a series not in use still counts its runs)', () => {
    const a = new CountSeries(3);
    a.add(0, 5);
    a.add(1, 2);
    a.endRun();
    const b = new CountSeries(3);
    b.add(0, 5000); // wider than the 64 bins a series starts with
    b.endRun();
    b.endRuns(2);
    const merged = new CountSeries(3);
    merged.merge(viaJson(a.toState()));
    merged.merge(b);
    expect(merged.runs).toBe(4);
    expect(merged.quantile(0, 0.5)).toBe(5000);
    expect(merged.mean(0)).toBe(5005 / 4);
    expect(merged.mean(2)).toBe(0);
    expect(a.toState().rows[2]).toEqual([]);
  });

  it('refuses a series of another length', () => {
    expect(() => new CountSeries(3).merge(new CountSeries(4))).toThrow(/4-month series into a 3-month/);
  });
});

describe('LogSketch.merge', () => {
  it('gives the same quantiles, zeros, minimum and maximum, and the mean within 1e-12 relative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.array(fc.nat(3000), { maxLength: 8 }),
        (n, seed, points) => {
          // costs-like values: spread over orders of magnitude, with some zeros (a month nobody was in a category)
          const rnd = mulberry32(seed);
          const values = Array.from({ length: n }, () => (rnd() < 0.05 ? 0 : 1e3 * Math.exp(8 * rnd())));
          const whole = new LogSketch();
          for (const v of values) whole.add(v);
          const merged = new LogSketch();
          for (const [from, to] of cuts(n, points)) {
            const shard = new LogSketch();
            for (const v of values.slice(from, to)) shard.add(v);
            merged.merge(viaJson<LogSketchState>(shard.toState()));
          }
          const w = whole.scalar();
          const g = merged.scalar();
          expect(merged.count).toBe(whole.count);
          for (const p of [0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1]) {
            expect(merged.quantile(p)).toBe(whole.quantile(p));
          }
          expectClose(g.mean, w.mean, 1e-12);
          // the SD from the merged sums: its error is rounding relative to the mean (here SD is a sizeable share of it)
          expect(Math.abs(g.sd - w.sd)).toBeLessThanOrEqual(1e-12 * Math.max(1, w.mean));
        },
      ),
      { seed: 15, numRuns: 150 },
    );
  });

  it('merges empty sketches and sketches far apart (the bins re-centre)', () => {
    const empty = new LogSketch();
    const state = viaJson(empty.toState());
    expect(state).toEqual({
      n: 0,
      sum: 0,
      sumC: 0,
      sumSq: 0,
      sumSqC: 0,
      min: null,
      max: null,
      zeros: 0,
      offset: 0,
      bins: [],
    });
    const low = new LogSketch();
    low.add(0.5);
    const high = new LogSketch();
    high.add(3e9);
    const merged = new LogSketch();
    merged.merge(state);
    merged.merge(viaJson(high.toState()));
    merged.merge(viaJson(empty.toState()));
    merged.merge(viaJson(low.toState()));
    const whole = new LogSketch();
    whole.add(3e9);
    whole.add(0.5);
    expect(merged.count).toBe(2);
    for (const p of [0, 0.5, 1]) expect(merged.quantile(p)).toBe(whole.quantile(p));
    expect(merged.mean).toBe((0.5 + 3e9) / 2);
  });
});

describe('SketchSeries.merge', () => {
  it('merges month by month', () => {
    const whole = new SketchSeries(2);
    const a = new SketchSeries(2);
    const b = new SketchSeries(2);
    const rnd = mulberry32(3);
    for (let r = 0; r < 500; r++) {
      for (let m = 0; m < 2; m++) {
        const v = 1e5 * (1 + m) * (0.5 + rnd());
        whole.add(m, v);
        (r < 200 ? a : b).add(m, v);
      }
    }
    const merged = new SketchSeries(2);
    merged.merge(viaJson(a.toState()));
    merged.merge(b);
    const w = whole.summary();
    const g = merged.summary();
    expect({ ...g, mean: [] }).toEqual({ ...w, mean: [] });
    g.mean.forEach((v, m) => expectClose(v, w.mean[m]!, 1e-12));
    expect(() => merged.merge(new SketchSeries(3))).toThrow(/3-month series into a 2-month/);
  });
});

describe('LogSketch accuracy', () => {
  // the nearest-rank quantile of the values themselves (models/summary.ts: the smallest v with ⌈p·N⌉ values ≤ v)
  const exact = (sorted: number[], p: number) => sorted[Math.max(1, Math.ceil(p * sorted.length - 1e-9)) - 1]!;

  it('keeps every quantile within 0.025% (fine) and 0.1% (coarse) of the exact one', () => {
    const rnd = mulberry32(11);
    const values = Array.from({ length: 5000 }, () => 2e5 * Math.exp(0.3 * (rnd() + rnd() + rnd() - 1.5)));
    const sorted = [...values].sort((a, b) => a - b);
    for (const [shift, accuracy] of [
      [SKETCH_FINE, 2 ** -12],
      [SKETCH_COARSE, 2 ** -10],
    ] as const) {
      const sketch = new LogSketch(shift);
      for (const v of values) sketch.add(v);
      let worst = 0;
      for (let i = 1; i < 100; i++) {
        const p = i / 100;
        worst = Math.max(worst, Math.abs(sketch.quantile(p) / exact(sorted, p) - 1));
      }
      expect(worst).toBeLessThanOrEqual(accuracy);
      // the coarse bins are used: its worst error is well above the fine sketch's bound
      if (shift === SKETCH_COARSE) expect(worst).toBeGreaterThan(2 ** -12);
      expect(sketch.mean).toBeCloseTo(values.reduce((a, v) => a + v, 0) / values.length, 6);
    }
  });

  it('merges only sketches of the same accuracy, and says so in its state', () => {
    const coarse = new LogSketch(SKETCH_COARSE);
    coarse.add(1234.5);
    const state = viaJson<LogSketchState>(coarse.toState());
    expect(state.shift).toBe(SKETCH_COARSE);
    expect(new LogSketch().toState()).not.toHaveProperty('shift');
    expect(() => new LogSketch().merge(state)).toThrow(/accuracy 11 into one of 9/);
    const again = new LogSketch(SKETCH_COARSE);
    again.merge(state);
    expect(again.quantile(0.5)).toBe(coarse.quantile(0.5));
    expect(() => new LogSketch(10)).toThrow(/unknown sketch accuracy 10/);
  });
});

describe('quantiles in one pass', () => {
  const levels = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95];

  it('a sketch answers every level at once as it answers each alone (zeros, ties, one value, empty)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1, max: 1e7, noNaN: true })), { maxLength: 300 }),
        fc.boolean(),
        (values, coarse) => {
          const sketch = new LogSketch(coarse ? SKETCH_COARSE : SKETCH_FINE);
          for (const v of values) sketch.add(v);
          const each = levels.map((p) => sketch.quantile(p));
          expect(sketch.quantiles(levels)).toEqual(each);
          const s = sketch.scalar();
          expect([s.p5, s.p10, s.p25, s.p50, s.p75, s.p90, s.p95]).toEqual(each);
          if (values.length > 0) {
            const sorted = [...values].sort((a, b) => a - b);
            // nearest rank, to the sketch's accuracy (a zero is exact)
            levels.forEach((p, i) => {
              const exact = sorted[Math.max(1, Math.ceil(p * sorted.length - 1e-9)) - 1]!;
              expect(Math.abs(each[i]! - exact)).toBeLessThanOrEqual(exact * 2 ** -9);
            });
          } else expect(each).toEqual(levels.map(() => 0));
        },
      ),
      { seed: 5, numRuns: 200 },
    );
  });

  it("a count series' summary gives each month's mean and nearest-rank quantiles", () => {
    const rnd = mulberry32(3);
    const series = new CountSeries(4);
    const byMonth: number[][] = [[], [], [], []];
    for (let r = 0; r < 101; r++) {
      for (let m = 0; m < 4; m++) {
        // month 3 is all zeros; month 2 reaches past the first width (64)
        const v = m === 3 ? 0 : Math.floor(rnd() * (m === 2 ? 300 : 20));
        series.add(m, v);
        byMonth[m]!.push(v);
      }
      series.endRun();
    }
    const summary = series.summary((m) => m + 1);
    byMonth.forEach((vs, m) => {
      const sorted = [...vs].sort((a, b) => a - b);
      expect(summary.mean[m]).toBeCloseTo((vs.reduce((a, v) => a + v, 0) / vs.length) * (m + 1), 9);
      expect(summary.p50[m]).toBe(sorted[50]! * (m + 1));
      expect(summary.p5[m]).toBe(sorted[Math.ceil(0.05 * 101) - 1]! * (m + 1));
      expect(summary.p95[m]).toBe(sorted[Math.ceil(0.95 * 101) - 1]! * (m + 1));
      expect(summary.p90[m]).toBe(series.quantile(m, 0.9) * (m + 1));
    });
  });
});

describe('SketchBank (sketches as columns)', () => {
  it('gives each column the state of one sketch fed the same values: batches, single adds, zeros, batches past the buffer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 1, max: 1500 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1000 }),
        (size, batches, coarse, seed) => {
          const rnd = mulberry32(seed);
          const shift = coarse ? SKETCH_COARSE : SKETCH_FINE;
          const bank = new SketchBank(size, shift);
          const single = Array.from({ length: size }, () => new LogSketch(shift));
          for (const runs of batches) {
            // a batch laid out as the recorder lays it out: run b's value for sketch i at b × stride + i
            const stride = size + 3;
            const values = Float64Array.from({ length: runs * stride }, () =>
              rnd() < 0.1 ? 0 : 1e3 * Math.exp(4 * rnd()),
            );
            bank.addRuns(values, 0, stride, runs);
            for (let i = 0; i < size; i++) for (let b = 0; b < runs; b++) single[i]!.add(values[b * stride + i]!);
            // and a single add between batches
            const v = 500 * rnd();
            bank.add(size - 1, v);
            single[size - 1]!.add(v);
          }
          for (let i = 0; i < size; i++) {
            expect(bank.toState(i)).toEqual(single[i]!.toState());
            expect(bank.quantiles(i, [0.05, 0.5, 0.95])).toEqual(single[i]!.quantiles([0.05, 0.5, 0.95]));
            expect(bank.mean(i)).toBe(single[i]!.mean);
          }
        },
      ),
      { seed: 9, numRuns: 40 },
    );
  });
});
