/**
 * POST /scenarios: a full scenario, or `{ datasetId, overrides }` resolved against the dataset's estimates. The
 * resolved scenario is validated and stored (blob first, then the queued status item), then one job is queued.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { parseScenario, type Scenario } from '#models/scenario';
import { InvalidInput } from '#functions/http/errors';
import { httpRoute, ok, zodIssues } from '#functions/http/handler';
import { getQueue } from '#functions/queue/index';
import { DatasetScenarioRequestSchema } from '#functions/schemas';
import { getStore } from '#functions/store/index';
import { KIND, scenarioForDataset, type ScenarioSummary } from '#functions/store/records';
import { SCENARIO_JOB } from '#functions/jobs/scenario-job';

/** the body must be an object; which of the two forms it is decides how it is validated */
const AnyObject = z.record(z.string(), z.unknown(), { error: 'the body must be a JSON object' });

async function resolve(body: Record<string, unknown>): Promise<{ scenario: Scenario; datasetId?: string }> {
  if (!('datasetId' in body)) {
    const parsed = parseScenario(body);
    if (!parsed.ok) throw new InvalidInput(parsed.issues, 'the scenario is not valid');
    return { scenario: parsed.value };
  }
  const req = DatasetScenarioRequestSchema.safeParse(body);
  if (!req.success) throw new InvalidInput(zodIssues(req.error));
  return {
    scenario: await scenarioForDataset(getStore(), req.data.datasetId, req.data.overrides),
    datasetId: req.data.datasetId,
  };
}

export const handler = httpRoute('CreateScenario', { body: AnyObject }, async (req) => {
  const { scenario, datasetId } = await resolve(req.body);
  const id = `sc_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const summary: ScenarioSummary = {
    name: scenario.name,
    status: 'queued',
    progress: 0,
    runs: scenario.runs,
    horizonMonths: scenario.horizonMonths,
    start: scenario.start,
    ...(datasetId !== undefined ? { datasetId } : {}),
  };
  const store = getStore();
  await store.create(
    {
      kind: KIND.scenario,
      id,
      createdAt: req.now.toISOString(),
      ...(req.principal ? { createdBy: req.principal.sub } : {}),
      summary,
    },
    { scenario },
  );
  try {
    await getQueue().send({ kind: SCENARIO_JOB, id });
  } catch (e) {
    // without a message nothing would ever run it: say so on the record instead of leaving it queued
    await store.update<ScenarioSummary>(KIND.scenario, id, {
      summary: { status: 'failed', reason: 'could not be queued' },
    });
    throw e;
  }
  req.logger.info('scenario queued', { id, runs: scenario.runs });
  return { ...ok({ id, status: 'queued' }, 202), headers: { location: `/scenarios/${id}` } };
});
