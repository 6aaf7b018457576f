/**
 * The drifting generator's kinds of history (bin/demo/drifting.ts: a trend or a step in the entry rate on top of its
 * walk, a council's size) and its SSDA903 output: what ingest reads back from the written returns is the generated
 * history itself, month by month, so `npm run calibrate -- --data DIR` on them calibrates the history the generator
 * made.
 */
import { describe, expect, it } from 'vitest';
import { datasetOfHistory, generateDriftingHistory, ssda903OfHistory } from '../../bin/demo/drifting.js';
import { ingestSsda903 } from '#models/ingest/pipeline';
import { stockByMonthOf } from '#models/stock';

describe('the drifting generator’s trend, step and size', () => {
  it('multiplies the entry rate by (1 + trend) a year and by the step’s factor from its month, without a walk', () => {
    const h = generateDriftingHistory({
      seed: 3,
      start: '2013-04',
      years: 3,
      burnInYears: 2,
      driftSdPerYear: 0,
      entryTrendPerYear: -0.15,
      entryStep: { month: '2014-10', factor: 1.4 },
    });
    const f = h.rateFactor;
    expect(f).toHaveLength(36);
    expect(f[0]).toBe(1);
    expect(f[5]! / f[0]!).toBeCloseTo(0.85 ** (5 / 12), 12);
    // the step at 2014-10 (written month 18) on top of the trend
    expect(f[18]! / f[17]!).toBeCloseTo(1.4 * 0.85 ** (1 / 12), 12);
    expect(f[35]! / f[0]!).toBeCloseTo(1.4 * 0.85 ** (35 / 12), 12);
  });

  it('keeps the default history draw for draw when neither trend nor step is given', () => {
    const base = generateDriftingHistory({ seed: 9, years: 2, burnInYears: 2 });
    const same = generateDriftingHistory({
      seed: 9,
      years: 2,
      burnInYears: 2,
      entryTrendPerYear: 0,
      exitTrendPerYear: 0,
    });
    expect(same.children).toEqual(base.children);
    expect(same.rateFactor).toEqual(base.rateFactor);
    expect(base.exitFactor).toEqual(new Array(24).fill(1));
  });

  it('multiplies every exit rate by (1 + exit trend) a year over the written years, and children leave faster', () => {
    const opts = { seed: 6, start: '2013-04', years: 4, driftSdPerYear: 0 } as const;
    const faster = generateDriftingHistory({ ...opts, exitTrendPerYear: 0.25 });
    const f = faster.exitFactor;
    expect(f).toHaveLength(48);
    expect(f[0]).toBe(1);
    expect(f[47]! / f[0]!).toBeCloseTo(1.25 ** (47 / 12), 12);
    // the same entries (the trend makes no draw; the walk is off): the last year's stock is smaller. Exit rates up
    // 2.4× by then, so the stock falls by far more than its year-to-year noise (a few per cent of ~350)
    const fixed = generateDriftingHistory(opts);
    const stock = (h: typeof fixed) => datasetOfHistory(h).stock.total;
    expect(stock(faster)).toBeLessThan(0.8 * stock(fixed));
  });

  it('scales the council with the entry multiplier (about 350 in care at 1, 1,400 at 4, 45 at 0.12)', () => {
    const inCare = (entryMultiplier: number) => {
      const h = generateDriftingHistory({ seed: 2, start: '2013-04', years: 1, driftSdPerYear: 0, entryMultiplier });
      return datasetOfHistory(h).stock.total;
    };
    expect(inCare(1)).toBeGreaterThan(300);
    expect(inCare(1)).toBeLessThan(400);
    expect(inCare(4)).toBeGreaterThan(1200);
    expect(inCare(4)).toBeLessThan(1600);
    expect(inCare(0.12)).toBeGreaterThan(25);
    expect(inCare(0.12)).toBeLessThan(70);
  });
});

describe('the history written as SSDA903 returns', () => {
  const h = generateDriftingHistory({ seed: 4, start: '2013-04', years: 3, entryTrendPerYear: -0.15 });
  const files = ssda903OfHistory(h);
  const out = ingestSsda903(
    [
      { name: 'header.csv', text: files.header },
      { name: 'episodes.csv', text: files.episodes },
    ],
    { salt: 's', referenceYear: 2026 },
  );
  if (!out.ok) throw new Error(JSON.stringify(out.report.problems.slice(0, 3)));
  const read = out.dataset;
  const direct = datasetOfHistory(h);

  it('writes three collection years, stacked with a YEAR column, that ingest reads without an error', () => {
    expect(read.period).toMatchObject({ start: '2013-04-01', end: '2016-03-31' });
    expect(read.quality.errors).toBe(0);
    expect(files.episodes.split('\n')[0]).toBe(
      'YEAR,CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN',
    );
  });

  it('reads back the generated history: the stock by category at every month end and the monthly entries', () => {
    const a = stockByMonthOf(direct.children, '2013-04', '2016-03');
    const b = stockByMonthOf(read.children, '2013-04', '2016-03');
    expect(b).toEqual(a);
    expect(read.stock).toEqual(direct.stock);
    expect(read.estimate.tables.monthlyEntries).toEqual(direct.estimate.tables.monthlyEntries);
    expect(read.estimate.parameters.exitProbability).toEqual(direct.estimate.parameters.exitProbability);
    expect(read.estimate.parameters.entriesPerMonth).toEqual(direct.estimate.parameters.entriesPerMonth);
  });
});
