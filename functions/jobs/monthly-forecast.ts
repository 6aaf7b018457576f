/**
 * The monthly forecast's two triggers: on the 1st (EventBridge: every council with a dataset) and on demand
 * (POST /forecasts/run, data-manager: the caller's council). Each opens the month's forecast and queues its job
 * (./forecast-job.ts), which runs it; the request answers 202 with the queued forecast (or 200 with the month's
 * forecast when it already has one from the current dataset).
 */
import type { Context, ScheduledEvent } from 'aws-lambda';
import { Forbidden, InvalidInput } from '#functions/errors';
import { httpRoute, ok, type HttpEvent } from '#functions/http/handler';
import { requestLogger } from '#functions/http/logger';
import { getQueue } from '#functions/queue/index';
import { currentDataset } from '#functions/records/current-dataset';
import { DEFAULT_COUNCIL, type DatasetSummary } from '#functions/records/dataset';
import { forecastView } from '#functions/records/forecast';
import { KIND } from '#functions/records/kinds';
import { getStore, rawStore } from '#functions/store/index';
import type { Store } from '#functions/store/store';
import { scopedStore } from '#functions/tenancy';
import { NO_CURRENT_DATASET, openAndQueue } from './forecast-job.js';

export { accuracyOf } from './forecast-accuracy.js';
export { runMonthlyForecast } from './forecast-job.js';

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
  const opened = await openAndQueue(getStore(), getQueue(), req.now, council, req.logger);
  const body = {
    forecast: forecastView(opened.record, req.now),
    created: opened.created,
    ...(opened.replaced !== undefined ? { replaced: opened.replaced } : {}),
  };
  const month = opened.record.id;
  // made now: accepted, its job queued (poll GET /forecasts/{month}); already there: the month's forecast as it is
  if (!opened.created) return ok(body, 200);
  return { ...ok(body, 202), headers: { location: `/forecasts/${month}` } };
});

/** One entry point for both triggers: API Gateway's event has a requestContext, EventBridge's has not. */
export async function handler(event: HttpEvent | ScheduledEvent, context: Context) {
  if ('requestContext' in event && event.requestContext) return httpHandler(event as HttpEvent, context);
  const scheduled = event as ScheduledEvent;
  const logger = requestLogger({ requestId: context?.awsRequestId ?? 'schedule', trigger: 'schedule' });
  // every council with a dataset, each in its own tenant (functions/tenancy.ts); each forecast is a job of its own
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
      const opened = await openAndQueue(scopedStore(raw, { tenant: { council } }), getQueue(), now, council, logger);
      outcomes.push({
        council,
        month: opened.record.id,
        created: opened.created,
        status: opened.record.summary.status,
      });
    } catch (e) {
      // a council with datasets but none current (its current one was deleted) is skipped, saying why
      const issue = e instanceof InvalidInput ? e.issues[0] : undefined;
      if (issue?.code === NO_CURRENT_DATASET) {
        logger.warn('monthly forecast skipped: no current dataset', { council });
        outcomes.push({ council, status: 'skipped', reason: issue.message });
        continue;
      }
      // one council's failure does not stop the others'
      logger.error('monthly forecast not queued', { council, errorName: (e as Error).name });
      outcomes.push({ council, status: 'failed' });
    }
  }
  return { councils: outcomes };
}
