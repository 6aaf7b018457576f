/**
 * The "monthly-forecast" job kind and the steps of a month's forecast: the month's record opened from the council's
 * current dataset (`queued`, with its baseline scenario), then run by the job like any other (never inside a request
 * or the schedule's invocation); once complete, the earlier forecasts are scored against its data
 * (./forecast-accuracy.ts) and rolled up on it. A month's forecast is created with a conditional put, so opening it
 * twice in a month never duplicates it; one made from a dataset no longer current, or one that failed, is replaced.
 * The HTTP route and the schedule that open it are in ./monthly-forecast.ts.
 */
import { monthIndex } from '#models/calendar';
import { parseScenario } from '#models/scenario';
import { config } from '#functions/config';
import { Conflict, InvalidInput } from '#functions/errors';
import type { Logger } from '#functions/http/logger';
import type { JobMessage, JobQueue } from '#functions/queue/queue';
import { clearedPointer, currentDataset } from '#functions/records/current-dataset';
import {
  DEFAULT_COUNCIL,
  type DatasetSummary,
  loadDataset,
  scenarioForDatasetRecord,
} from '#functions/records/dataset';
import { type ForecastSummary, forecastView, rollUpForecastAccuracy } from '#functions/records/forecast';
import { JOB, KIND } from '#functions/records/kinds';
import { describeIssues, effectiveStatus } from '#functions/records/status';
import type { Store, StoredRecord } from '#functions/store/store';
import { scopedStore } from '#functions/tenancy';
import { jobEngineOptions, runEngine, runForJob } from './engine-steps.js';
import { assessEarlierForecasts } from './forecast-accuracy.js';
import { queueFor } from './submit.js';
import * as lifecycle from './lifecycle.js';
import { type JobContext, registerJob } from './registry.js';

/** The issue code of a council whose current dataset was deleted (none is current): the schedule skips it. */
export const NO_CURRENT_DATASET = 'no_current_dataset';

/** The month's forecast record for the council's current dataset, and whether this call made it. */
export interface OpenedForecast {
  record: StoredRecord<ForecastSummary>;
  /** true: made now (`queued`), its job still to run; false: the month already had one from the current dataset */
  created: boolean;
  /** the dataset this month's earlier forecast was made from, when it was made again from the current one */
  replaced?: string;
}

/**
 * The month's forecast: the one there is (complete, queued or running from the current dataset), or a new `queued`
 * record holding the baseline scenario. A failed (or crashed, hence stale) attempt is replaced; so is a complete one
 * made from another dataset than the one now current (newer data arrived, or a person chose another).
 */
export async function openMonthlyForecast(store: Store, now: Date, council: string): Promise<OpenedForecast> {
  const month = now.toISOString().slice(0, 7);
  const newest = await currentDataset(store, council);
  if (!newest) {
    // a delete of the current dataset leaves none current: say so, rather than "nothing uploaded"
    const cleared = await clearedPointer(store, council);
    throw new InvalidInput(
      [
        cleared
          ? {
              path: 'datasets',
              code: NO_CURRENT_DATASET,
              message: `the council's current dataset was deleted (${cleared.setAt.slice(0, 10)}) and no other has been made current: a data manager makes one current (POST /datasets/{id}/current) or uploads one`,
            }
          : { path: 'datasets', code: 'missing', message: 'no dataset has been uploaded yet' },
      ],
      'nothing to forecast from',
    );
  }
  let replaced: string | undefined;
  const existing = await store.get<ForecastSummary>(KIND.forecast, month);
  if (existing) {
    const { status } = effectiveStatus(existing.summary, existing.updatedAt, now, config().STALE_RUN_SECONDS);
    const stale = status === 'failed' || (status === 'complete' && existing.summary.datasetId !== newest.id);
    if (!stale) return { record: existing, created: false };
    if (status === 'complete') replaced = existing.summary.datasetId;
    await store.delete(KIND.forecast, month);
  }
  const dataset = await loadDataset(store, newest);
  // the dataset's council profile, then the baseline's name and seed (a 422 when the profile is required and lacking)
  const scenario = await scenarioForDatasetRecord(store, newest, dataset, {
    name: `Monthly baseline ${month}`,
    seed: monthIndex(month),
  });
  const summary: ForecastSummary = {
    month,
    status: 'queued',
    datasetId: newest.id,
    dataEnd: dataset.period.end,
    start: scenario.start,
    horizonMonths: scenario.horizonMonths,
    runs: scenario.runs,
    ...(scenario.council ? { council: scenario.council.code } : {}),
    ...(scenario.council?.version !== undefined ? { profileVersion: scenario.council.version } : {}),
    ...(replaced !== undefined ? { replaced } : {}),
  };
  try {
    const record = await store.create(
      { kind: KIND.forecast, id: month, createdAt: now.toISOString(), summary },
      { scenario },
    );
    return { record, created: true, ...(replaced !== undefined ? { replaced } : {}) };
  } catch (e) {
    if (!(e instanceof Conflict)) throw e;
    // another invocation made it a moment ago: that one's job runs it
    const record = await store.get<ForecastSummary>(KIND.forecast, month);
    if (!record) throw e;
    return { record, created: false };
  }
}

/** The job message of a council's month. */
export const forecastMessage = (council: string, month: string): JobMessage => ({
  kind: JOB.forecast,
  id: month,
  council,
});

/** Opens the month's forecast and, when it was made now, queues its job. */
export async function openAndQueue(store: Store, queue: JobQueue, now: Date, council: string, logger: Logger) {
  const opened = await openMonthlyForecast(store, now, council);
  if (opened.created) await queueFor(store, queue, opened.record, [forecastMessage(council, opened.record.id)], logger);
  return opened;
}

/**
 * Runs a queued month's forecast (claimed, engine in steps, complete), then scores the earlier ones against its
 * dataset and rolls them up on it. `store` is the council's view of the store.
 */
async function produce(
  store: Store,
  month: string,
  ctx: Pick<JobContext, 'now' | 'logger' | 'progress' | 'shouldCancel' | 'cancelReason' | 'checkpoint'> & {
    receiveCount: number;
  },
): Promise<void> {
  const record = await store.get<ForecastSummary>(KIND.forecast, month);
  if (!record || record.summary.status === 'complete' || record.summary.status === 'failed') return;
  const c = { store, now: ctx.now };
  if (!(await lifecycle.claim(c, KIND.forecast, month, { attempts: ctx.receiveCount }))) return;
  const parsed = parseScenario(await store.readBlob(record, 'scenario'));
  if (!parsed.ok) {
    await lifecycle.fail(c, KIND.forecast, month, `invalid baseline: ${describeIssues(parsed.issues)}`);
    return;
  }
  const scenario = parsed.value;
  const result = await runForJob(
    () => runEngine(scenario, jobEngineOptions(ctx), ctx),
    ctx,
    'the baseline',
    (reason) => lifecycle.fail(c, KIND.forecast, month, reason),
  );
  if (!result) return;
  // the earlier forecasts scored against this one's data, and how the last 12 did, written with the result at once
  const datasetRecord = await store.get<DatasetSummary>(KIND.dataset, record.summary.datasetId);
  const scored = datasetRecord
    ? await assessEarlierForecasts(store, datasetRecord, await loadDataset(store, datasetRecord), ctx.now())
    : { updated: [], assessed: [] };
  const calibration = rollUpForecastAccuracy(scored.assessed);
  await lifecycle.complete(
    c,
    KIND.forecast,
    month,
    { result },
    { elapsedMs: result.elapsedMs, accuracyUpdated: scored.updated, ...(calibration ? { calibration } : {}) },
  );
  ctx.logger.info('monthly forecast', { month, accuracyUpdated: scored.updated.length, elapsedMs: result.elapsedMs });
}

/** The council's store, as its own users see it (a monthly forecast's id is its month, unique per council). */
const councilStore = (store: Store, message: JobMessage): Store =>
  scopedStore(store, { tenant: { council: String(message.council) } });

registerJob(JOB.forecast, {
  run: (message, ctx) => produce(councilStore(ctx.store, message), message.id, ctx),
  giveUp: (message, reason, ctx) =>
    lifecycle.fail({ store: councilStore(ctx.store, message), now: ctx.now }, KIND.forecast, message.id, reason),
  reportProgress: (message, percent, ctx) =>
    lifecycle.recordProgress(
      { store: councilStore(ctx.store, message), now: ctx.now },
      KIND.forecast,
      message.id,
      percent,
    ),
});

/**
 * Opens and runs the month's forecast in this process (npm start's first forecast, and tests): what the request
 * and its job do, one after the other. Returns the forecast as stored at the end.
 */
export async function runMonthlyForecast(
  store: Store,
  now: Date,
  logger: Logger,
  council: string = DEFAULT_COUNCIL,
): Promise<{ forecast: ReturnType<typeof forecastView>; created: boolean; replaced?: string }> {
  const opened = await openMonthlyForecast(store, now, council);
  if (opened.created)
    await produce(store, opened.record.id, {
      now: () => now,
      logger,
      progress: () => undefined,
      shouldCancel: () => false,
      cancelReason: () => '',
      receiveCount: 1,
    });
  const record = await store.get<ForecastSummary>(KIND.forecast, opened.record.id);
  if (!record) throw new Error(`forecast ${opened.record.id} vanished while being written`);
  return {
    forecast: forecastView(record, now),
    created: opened.created,
    ...(opened.replaced !== undefined ? { replaced: opened.replaced } : {}),
  };
}
