/**
 * POST /targets: the smallest value of one parameter that meets a goal. Checked now, without running anything, so
 * the caller hears at once rather than from a failed job: the path names a number in the scenario, both ends of the
 * range make valid scenarios, and the goal can be measured (its year is in the forecast, its budget is set). The
 * search itself runs in the job.
 */
import { randomUUID } from 'node:crypto';
import { pathExists } from '#models/compare';
import { goalProblem, type TargetSpec } from '#models/goalseek';
import { parseScenario, setPath } from '#models/scenario';
import { InvalidInput, type Issue } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { submitJob } from '#functions/jobs/submit';
import { getQueue } from '#functions/queue/index';
import { JOB, KIND, newId } from '#functions/records/kinds';
import type { TargetRecordSummary } from '#functions/records/target';
import { TargetRequestSchema } from '#functions/schemas';
import { getStore } from '#functions/store/index';
import { resolveBase } from './resolve.js';

export const handler = httpRoute('CreateTarget', { body: TargetRequestSchema }, async (req) => {
  const store = getStore();
  const { scenario, datasetId } = await resolveBase(store, req.body);
  const spec: TargetSpec = { search: req.body.search, goal: req.body.goal };
  const { path } = spec.search;
  if (!pathExists(scenario, path))
    throw new InvalidInput([
      { path: 'search.path', code: 'unknown_path', message: `"${path}" is not a number in the base scenario` },
    ]);
  const issues: Issue[] = [];
  for (const end of ['min', 'max'] as const) {
    const p = parseScenario(setPath(scenario, path, spec.search[end]));
    if (!p.ok) issues.push(...p.issues.map((i) => ({ ...i, path: `search.${end} (${i.path})` })));
  }
  if (issues.length) throw new InvalidInput(issues, 'the search range makes invalid scenarios');
  const problem = goalProblem(scenario, spec.goal);
  if (problem)
    throw new InvalidInput(
      [{ path: 'goal.financialYear', code: 'not_measurable', message: problem }],
      'the goal cannot be measured on this scenario',
    );

  const id = newId('target', randomUUID);
  const summary: TargetRecordSummary = {
    status: 'queued',
    progress: 0,
    runs: scenario.runs,
    ...(datasetId !== undefined ? { datasetId } : {}),
    path,
    metric: spec.goal.metric,
  };
  await submitJob(
    store,
    getQueue(),
    {
      main: {
        record: {
          kind: KIND.target,
          id,
          createdAt: req.now.toISOString(),
          ...(req.principal ? { createdBy: req.principal.sub } : {}),
          summary,
        },
        blobs: { scenario, spec },
      },
      messages: [{ kind: JOB.target, id }],
    },
    req.logger,
  );
  req.logger.info('target search queued', { id, runs: scenario.runs, metric: spec.goal.metric });
  return { ...ok({ id, status: 'queued' }, 202), headers: { location: `/targets/${id}` } };
});
