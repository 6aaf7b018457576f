/**
 * How earlier monthly forecasts did: each one's P10–P90 (and P25–P75, P50) against the month-end stock the newest
 * data shows for the months it now covers, stored on the forecast (its `accuracy`), and rolled up on the newest.
 */
import { addMonths, monthIndex } from '#models/calendar';
import { stockByMonth, type Dataset } from '#models/dataset';
import { CATEGORIES } from '#models/placement';
import type { ForecastResult, Series } from '#models/result';
import { seriesScored } from '#models/scoring';
import type { DatasetSummary } from '#functions/records/dataset';
import type { ForecastAccuracy, ForecastSummary } from '#functions/records/forecast';
import { KIND } from '#functions/records/kinds';
import type { Store, StoredRecord } from '#functions/store/store';

const SERIES: readonly Series[] = [...CATEGORIES, 'total'];

/** Compare every forecast's P10–P90 with the stock the newest data shows for the months it now covers. */
export async function assessEarlierForecasts(
  store: Store,
  newest: StoredRecord<DatasetSummary>,
  dataset: Dataset,
  now: Date,
): Promise<{ updated: string[]; assessed: Array<{ month: string; accuracy: ForecastAccuracy }> }> {
  const updated: string[] = [];
  const assessed: Array<{ month: string; accuracy: ForecastAccuracy }> = [];
  let cursor: string | undefined;
  do {
    const page = await store.list<ForecastSummary>(KIND.forecast, { limit: 50, ...(cursor ? { cursor } : {}) });
    cursor = page.cursor;
    for (const f of page.items) {
      if (f.summary.status !== 'complete') continue;
      const firstMonth = f.summary.start;
      const lastMonth = addMonths(firstMonth, f.summary.horizonMonths - 1);
      const actual = stockByMonth(dataset, firstMonth).filter((m) => monthIndex(m.month) <= monthIndex(lastMonth));
      if (actual.length === 0) continue;
      const previous = f.summary.accuracy;
      if (previous && previous.datasetId === newest.id && previous.monthsCovered.length === actual.length) {
        assessed.push({ month: f.summary.month, accuracy: previous });
        continue;
      }
      const result = await store.readBlob<ForecastResult>(f, 'result');
      if (!result) continue;
      const accuracy = accuracyOf(result, actual, newest.id, now);
      const { rows, ...headline } = accuracy;
      assessed.push({ month: f.summary.month, accuracy: headline });
      await store.update<ForecastSummary>(KIND.forecast, f.id, {
        summary: { accuracy: headline },
        blobs: { accuracy: rows },
      });
      updated.push(f.id);
    }
  } while (cursor);
  return { updated, assessed };
}

export function accuracyOf(
  result: ForecastResult,
  actual: ReturnType<typeof stockByMonth>,
  datasetId: string,
  now: Date,
): Required<ForecastAccuracy> {
  const rows: NonNullable<ForecastAccuracy['rows']> = [];
  for (const a of actual) {
    const i = result.months.indexOf(a.month);
    if (i < 0) continue;
    for (const series of SERIES) {
      const q = result.population[series];
      const value = series === 'total' ? a.total : a.byCategory[series];
      const p10 = q.p10[i] ?? NaN;
      const p90 = q.p90[i] ?? NaN;
      rows.push({
        month: a.month,
        series,
        actual: value,
        p10,
        p25: q.p25[i] ?? NaN,
        p50: q.p50[i] ?? NaN,
        p75: q.p75[i] ?? NaN,
        p90,
        inside: value >= p10 && value <= p90,
      });
    }
  }
  const inside = rows.filter((r) => r.inside).length;
  const months = [...new Set(rows.map((r) => r.month))];
  const lastTotal = rows.find((r) => r.series === 'total' && r.month === months[months.length - 1]);
  // the calibration figures, over the series whose actual mean over the months covered is at least 3 (the rule of
  // npm run calibrate, models/scoring.ts)
  const scoredSeries = new Set(
    SERIES.filter((series) => seriesScored(rows.filter((r) => r.series === series).map((r) => r.actual))),
  );
  const scored = rows.filter((r) => scoredSeries.has(r.series as Series));
  const n = scored.length;
  return {
    datasetId,
    assessedAt: now.toISOString(),
    monthsCovered: months,
    coverage: rows.length ? inside / rows.length : 0,
    coverage80: n ? scored.filter((r) => r.inside).length / n : 0,
    coverage50: n ? scored.filter((r) => r.actual >= r.p25! && r.actual <= r.p75!).length / n : 0,
    meanP50Error: n ? scored.reduce((a, r) => a + (r.p50 - r.actual), 0) / n : 0,
    points: n,
    totalHeld: lastTotal ? lastTotal.inside : false,
    rows,
  };
}
