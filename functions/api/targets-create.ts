/**
 * POST /targets: the smallest value of one parameter that meets a goal. Checked now, so the caller hears at once
 * rather than from a failed job: the path names a number in the scenario, both ends of the range make valid
 * scenarios, and the goal can be measured (the year is in the forecast, the budget is set) — the last by a one-run
 * forecast, which costs well under a second.
 */
import { randomUUID } from 'node:crypto';
import { pathExists } from '#models/compare';
import { simulate } from '#models/engine';
import { GoalNotMeasurable, goalMetric, type TargetSpec } from '#models/goalseek';
import { parseScenario, setPath } from '#models/scenario';
import { InvalidInput, type Issue } from '#functions/http/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { getQueue } from '#functions/queue/index';
import { TargetRequestSchema } from '#functions/schemas';
import { getStore } from '#functions/store/index';
import { DECISION_KIND, JOB, resolveBase, type TargetRecordSummary } from '#functions/jobs/decisions';

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
  try {
    goalMetric(simulate({ ...scenario, runs: 1 }, { collectRunTotals: true }), spec.goal);
  } catch (e) {
    if (!(e instanceof GoalNotMeasurable)) throw e;
    throw new InvalidInput(
      [{ path: 'goal.financialYear', code: 'not_measurable', message: e.message }],
      'the goal cannot be measured on this scenario',
    );
  }

  const id = `tgt_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  await store.create<TargetRecordSummary>(
    {
      kind: DECISION_KIND.target,
      id,
      createdAt: req.now.toISOString(),
      ...(req.principal ? { createdBy: req.principal.sub } : {}),
      summary: {
        status: 'queued',
        progress: 0,
        runs: scenario.runs,
        ...(datasetId !== undefined ? { datasetId } : {}),
        path,
        metric: spec.goal.metric,
      },
    },
    { scenario, spec },
  );
  try {
    await getQueue().send({ kind: JOB.target, id });
  } catch (e) {
    await store.update<TargetRecordSummary>(DECISION_KIND.target, id, {
      summary: { status: 'failed', reason: 'could not be queued' },
    });
    throw e;
  }
  req.logger.info('target search queued', { id, runs: scenario.runs, metric: spec.goal.metric });
  return { ...ok({ id, status: 'queued' }, 202), headers: { location: `/targets/${id}` } };
});
