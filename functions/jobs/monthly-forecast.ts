/**
 * The monthly forecast: on the 1st (EventBridge) or on demand (POST /forecasts/run, data-manager), build the baseline
 * scenario from the newest dataset, run it and store it as FORECAST#yyyy-mm; then, for every earlier forecast whose
 * months the newest data now covers, store its accuracy (actual stock against P10–P90). A month's forecast is
 * created with a conditional put, so running the job twice in a month never duplicates it.
 */
import type { Context, ScheduledEvent } from 'aws-lambda';
import { addMonths, monthIndex } from '#models/calendar';
import { COUNCIL_CODE_RE } from '#models/council';
import { stockByMonth, type Dataset } from '#models/dataset';
import { simulate } from '#models/engine';
import { CATEGORIES } from '#models/placement';
import type { ForecastResult, Series } from '#models/result';
import { Conflict, Forbidden, InvalidInput } from '#functions/errors';
import { httpRoute, ok, type HttpEvent } from '#functions/http/handler';
import { requestLogger, type Logger } from '#functions/http/logger';
import { currentDataset } from '#functions/records/current-dataset';
import { forecastLabel } from '#functions/records/forecast';
import { getStore, rawStore } from '#functions/store/index';
import { scopedStore } from '#functions/tenancy';
import { config } from '#functions/config';
import {
  DEFAULT_COUNCIL,
  type DatasetSummary,
  loadDataset,
  scenarioForDatasetRecord,
} from '#functions/records/dataset';
import { type ForecastAccuracy, type ForecastSummary, rollUpForecastAccuracy } from '#functions/records/forecast';
import { KIND } from '#functions/records/kinds';
import { effectiveStatus } from '#functions/records/status';
import type { Store, StoredRecord } from '#functions/store/store';

const SERIES: readonly Series[] = [...CATEGORIES, 'total'];

export interface MonthlyOutcome {
  forecast: ForecastSummary & { createdAt: string; label: string };
  /** false when this month's forecast already existed */
  created: boolean;
  /** the dataset this month's earlier forecast was made from, when it was made again from the current one */
  replaced?: string;
  accuracyUpdated: string[];
}

export async function runMonthlyForecast(
  store: Store,
  now: Date,
  logger: Logger,
  council: string = DEFAULT_COUNCIL,
): Promise<MonthlyOutcome> {
  const month = now.toISOString().slice(0, 7);
  const newest = await currentDataset(store, council);
  if (!newest)
    throw new InvalidInput(
      [{ path: 'datasets', code: 'missing', message: 'no dataset has been uploaded yet' }],
      'nothing to forecast from',
    );
  const dataset = await loadDataset(store, newest);

  let record = await store.get<ForecastSummary>(KIND.forecast, month);
  let created = false;
  // A failed (or crashed, hence stale) attempt is replaced; a complete or running one is never duplicated, unless
  // it was made from another dataset than the one now current (newer data arrived, or a person chose another): then
  // the month's forecast is made again from the current one.
  let replaced: string | undefined;
  const status = record && effectiveStatus(record.summary, record.updatedAt, now, config().STALE_RUN_SECONDS).status;
  if (record && (status === 'failed' || (status === 'complete' && record.summary.datasetId !== newest.id))) {
    if (status === 'complete') replaced = record.summary.datasetId;
    await store.delete(KIND.forecast, month);
    record = undefined;
  }
  if (!record) {
    // the dataset's council profile, then the baseline's name and seed (a 422 when the profile is required and lacking)
    const scenario = await scenarioForDatasetRecord(store, newest, dataset, {
      name: `Monthly baseline ${month}`,
      seed: monthIndex(month),
    });
    const summary: ForecastSummary = {
      month,
      status: 'running',
      datasetId: newest.id,
      dataEnd: dataset.period.end,
      start: scenario.start,
      horizonMonths: scenario.horizonMonths,
      runs: scenario.runs,
      ...(scenario.council ? { council: scenario.council.code } : {}),
      ...(scenario.council?.version !== undefined ? { profileVersion: scenario.council.version } : {}),
    };
    try {
      record = await store.create(
        { kind: KIND.forecast, id: month, createdAt: now.toISOString(), summary },
        { scenario },
      );
      created = true;
    } catch (e) {
      if (!(e instanceof Conflict)) throw e;
      // another invocation created it a moment ago: that one runs it
      record = await store.get<ForecastSummary>(KIND.forecast, month);
    }
    if (created) {
      try {
        const result = simulate(scenario);
        await store.update<ForecastSummary>(KIND.forecast, month, {
          summary: { status: 'complete' },
          blobs: { result },
        });
      } catch (e) {
        await store.update<ForecastSummary>(KIND.forecast, month, {
          summary: {
            status: 'failed',
            reason: `the engine could not run the baseline: ${String((e as Error)?.message).slice(0, 300)}`,
          },
        });
        logger.error('monthly forecast failed', { month, errorName: (e as Error)?.name });
      }
      record = await store.get<ForecastSummary>(KIND.forecast, month);
    }
  }
  const { updated: accuracyUpdated, assessed } = await assessEarlierForecasts(store, newest, dataset, now);
  // the newest forecast carries how the last 12 assessed ones did (the dashboard's "of the last 12 forecasts, …")
  const calibration = rollUpForecastAccuracy(assessed);
  if (calibration && record) {
    await store.update<ForecastSummary>(KIND.forecast, month, { summary: { calibration } });
    record = await store.get<ForecastSummary>(KIND.forecast, month);
  }
  logger.info('monthly forecast', { month, created, replaced, accuracyUpdated: accuracyUpdated.length });
  if (!record) throw new Error(`forecast ${month} vanished while being written`);
  return {
    forecast: {
      ...record.summary,
      label: forecastLabel(record.summary.dataEnd, record.createdAt),
      createdAt: record.createdAt,
    },
    created,
    ...(replaced !== undefined ? { replaced } : {}),
    accuracyUpdated,
  };
}

/** Compare every forecast's P10–P90 with the stock the newest data shows for the months it now covers. */
async function assessEarlierForecasts(
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
  // the calibration figures, over rows of series with at least 3 children (as npm run calibrate)
  const scored = rows.filter((r) => r.actual >= 3);
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

/**
 * The council a single-council service forecasts for: the default council when it has data, else the council of the
 * newest upload (e.g. the demo data, which belong to Peterborough, E06000031).
 */
export async function serviceCouncil(store: Store): Promise<string> {
  if (await currentDataset(store, DEFAULT_COUNCIL)) return DEFAULT_COUNCIL;
  const newest = (await store.list<DatasetSummary>(KIND.dataset, { limit: 1 })).items[0];
  return newest?.summary.council ?? DEFAULT_COUNCIL;
}

const httpHandler = httpRoute('RunForecast', {}, async (req) => {
  // the caller's council's forecast (a region's users have no monthly forecast of their own)
  const council = req.principal?.tenant?.council;
  if (council === undefined) throw new Forbidden("the monthly forecast is a council's: use a council's token");
  const outcome = await runMonthlyForecast(getStore(), req.now, req.logger, council);
  return ok(outcome, outcome.created ? 201 : 200);
});

/** One entry point for both triggers: API Gateway's event has a requestContext, EventBridge's has not. */
export async function handler(event: HttpEvent | ScheduledEvent, context: Context) {
  if ('requestContext' in event && event.requestContext) return httpHandler(event as HttpEvent, context);
  const scheduled = event as ScheduledEvent;
  const logger = requestLogger({ requestId: context?.awsRequestId ?? 'schedule', trigger: 'schedule' });
  // every council with a dataset, each in its own tenant (functions/tenancy.ts)
  const now = scheduled.time ? new Date(scheduled.time) : new Date();
  const raw = rawStore();
  const councils = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await raw.list(KIND.dataset, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const p of page.items) if (p.tenant?.startsWith('council:')) councils.add(p.tenant.slice('council:'.length));
    cursor = page.cursor;
  } while (cursor);
  const outcomes = [];
  for (const council of councils) {
    try {
      const outcome = await runMonthlyForecast(scopedStore(raw, { tenant: { council } }), now, logger, council);
      outcomes.push({
        council,
        month: outcome.forecast.month,
        created: outcome.created,
        accuracyUpdated: outcome.accuracyUpdated,
        status: outcome.forecast.status,
      });
    } catch (e) {
      // one council's failure does not stop the others'
      logger.error('monthly forecast failed', { council, errorName: (e as Error).name });
      outcomes.push({ council, status: 'failed' });
    }
  }
  return { councils: outcomes };
}
