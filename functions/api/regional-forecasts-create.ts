/**
 * POST /regional-forecasts: the region's councils forecast together. Each council comes with a whole scenario, a
 * stored dataset and overrides, or only its code (its current dataset and profile, with any overrides); every council
 * must belong to the region (PUT /regions/{id}); ./regional-resolve.ts resolves them. The resolved region —
 * every council's scenario whole, with the region's start, horizon, runs and seed — is validated, then submitted:
 * stored (the `region` blob, then the queued status item) and queued. Any problem is one 422 naming every field;
 * nothing is stored.
 */
import { randomUUID } from 'node:crypto';
import { RegionalForecastSchema } from '#models/region/schema';
import { regionWorkUnits } from '#models/region/shards';
import { httpRoute, ok } from '#functions/http/handler';
import { submitJob } from '#functions/jobs/submit';
import { getQueue } from '#functions/queue/index';
import { JOB, KIND, newId } from '#functions/records/kinds';
import type { RegionalForecastSummary } from '#functions/records/regional-forecast';
import { getStore } from '#functions/store/index';
import { resolveRegionalRequest } from './regional-resolve.js';

export const handler = httpRoute('CreateRegionalForecast', { body: RegionalForecastSchema }, async (req) => {
  const store = getStore();
  const request = req.body;
  // stored in the request's own form, every council with its scenario whole (the job validates it again)
  const { region, inputs, value, datasets } = await resolveRegionalRequest(store, req.principal?.tenant, request);
  const id = newId('regionalForecast', randomUUID);
  const summary: RegionalForecastSummary = {
    name: request.name,
    status: 'queued',
    progress: 0,
    region: region.id,
    councils: request.councils.map((c) => c.code),
    runs: request.runs,
    horizonMonths: request.horizonMonths,
    start: request.start,
    ...(Object.keys(datasets).length > 0 ? { datasets } : {}),
  };
  await submitJob(
    store,
    getQueue(),
    {
      main: {
        record: {
          kind: KIND.regionalForecast,
          id,
          createdAt: req.now.toISOString(),
          ...(req.principal ? { createdBy: req.principal.sub } : {}),
          summary,
        },
        blobs: { region: inputs },
      },
      // a large region runs in shards of runs (functions/jobs/dispatch.ts), like a large scenario
      messages: [{ kind: JOB.regionalForecast, id, size: { runs: value.runs, work: regionWorkUnits(value) } }],
    },
    req.logger,
  );
  req.logger.info('regional forecast queued', { id, councils: summary.councils.length, runs: request.runs });
  return { ...ok({ id, status: 'queued' }, 202), headers: { location: `/regional-forecasts/${id}` } };
});
