/**
 * POST /scenarios: a full scenario, or `{ datasetId, overrides }` resolved against the dataset's estimates. The
 * resolved scenario is validated, then submitted: stored (blob first, then the queued status item) and queued.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { httpRoute, ok } from '#functions/http/handler';
import { submitJob } from '#functions/jobs/submit';
import { workUnits } from '#models/shards';
import { getQueue } from '#functions/queue/index';
import { JOB, KIND, newId } from '#functions/records/kinds';
import type { ScenarioSummary } from '#functions/records/scenario';
import { getStore } from '#functions/store/index';
import { resolveScenarioRequest } from './resolve.js';

/** the body must be an object; which of the two forms it is decides how it is validated */
const AnyObject = z.record(z.string(), z.unknown(), { error: 'the body must be a JSON object' });

export const handler = httpRoute('CreateScenario', { body: AnyObject }, async (req) => {
  const store = getStore();
  const { scenario, datasetId } = await resolveScenarioRequest(store, req.body);
  const id = newId('scenario', randomUUID);
  const summary: ScenarioSummary = {
    name: scenario.name,
    status: 'queued',
    progress: 0,
    runs: scenario.runs,
    horizonMonths: scenario.horizonMonths,
    start: scenario.start,
    ...(datasetId !== undefined ? { datasetId } : {}),
    ...(scenario.council ? { council: scenario.council.code } : {}),
    ...(scenario.council?.version !== undefined ? { profileVersion: scenario.council.version } : {}),
  };
  await submitJob(
    store,
    getQueue(),
    {
      main: {
        record: {
          kind: KIND.scenario,
          id,
          createdAt: req.now.toISOString(),
          ...(req.principal ? { createdBy: req.principal.sub } : {}),
          summary,
        },
        blobs: { scenario },
      },
      messages: [{ kind: JOB.scenario, id, size: { runs: scenario.runs, work: workUnits(scenario) } }],
    },
    req.logger,
  );
  req.logger.info('scenario queued', { id, runs: scenario.runs });
  return { ...ok({ id, status: 'queued' }, 202), headers: { location: `/scenarios/${id}` } };
});
