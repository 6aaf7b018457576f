/**
 * POST /targets: the smallest value of one parameter that meets a goal. Checked now, without running anything, so
 * the caller hears at once rather than from a failed job: the path names a number in the scenario, both ends of the
 * range make valid scenarios, and the goal can be measured (its year is in the forecast, its budget is set). The
 * search itself runs in the job. With a `regionalBase` (a region's users) the path names a number of the region
 * (`shared.fosterRecruitmentPerYear`, `councils.E06000031.capacity.recruitmentPerYear`) and the goal is on the
 * region's total cost or its chance over the regional budget.
 */
import { randomUUID } from 'node:crypto';
import { PAIRED_SETTINGS, pathExists } from '#models/compare';
import { goalProblem, maxEvaluations, type TargetSpec } from '#models/goalseek';
import {
  applyRegionalOverrides,
  REGIONAL_COMPARISON_MAX_WORK,
  REGIONAL_GOAL_METRICS,
  type RegionalInputs,
  regionalPathExists,
} from '#models/region/compare';
import { regionWorkUnits } from '#models/region/shards';
import { parseScenario, type Scenario, setPath } from '#models/scenario';
import { InvalidInput, type Issue } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { submitJob } from '#functions/jobs/submit';
import { getQueue } from '#functions/queue/index';
import { JOB, KIND, newId } from '#functions/records/kinds';
import type { TargetRecordSummary } from '#functions/records/target';
import { TargetRequestSchema } from '#functions/schemas';
import { getStore } from '#functions/store/index';
import { resolveRegionalRequest } from './regional-resolve.js';
import { resolveBase } from './resolve.js';

const unknownPath = (path: string, where: string): InvalidInput =>
  new InvalidInput([{ path: 'search.path', code: 'unknown_path', message: `"${path}" is not a number in ${where}` }]);

function checkGoal(
  inputs: { start: string; horizonMonths: number; budgets: Record<string, unknown> },
  spec: TargetSpec,
) {
  const problem = goalProblem(inputs, spec.goal);
  if (problem)
    throw new InvalidInput(
      [{ path: 'goal.financialYear', code: 'not_measurable', message: problem }],
      'the goal cannot be measured on this scenario',
    );
}

/** A council's base: its scenario, checked at both ends of the range. */
function checkScenario(scenario: Scenario, spec: TargetSpec): void {
  const { path } = spec.search;
  // how the runs are drawn and measured, not a choice: a search over them would compare unpaired forecasts
  if ((PAIRED_SETTINGS as readonly string[]).includes(path))
    throw new InvalidInput([
      {
        path: 'search.path',
        code: 'not_searchable',
        message: `"${path}" sets how the forecast is run, not what the council does: search one of the scenario's inputs (e.g. capacity.recruitmentPerYear)`,
      },
    ]);
  if (!pathExists(scenario, path)) throw unknownPath(path, 'the base scenario');
  const issues: Issue[] = [];
  for (const end of ['min', 'max'] as const) {
    const p = parseScenario(setPath(scenario, path, spec.search[end]));
    if (!p.ok) issues.push(...p.issues.map((i) => ({ ...i, path: `search.${end} (${i.path})` })));
  }
  if (issues.length) throw new InvalidInput(issues, 'the search range makes invalid scenarios');
  checkGoal(scenario, spec);
}

/** A regional base: the region, checked at both ends of the range, the goal on its totals, the work bounded. */
function checkRegion(inputs: RegionalInputs, spec: TargetSpec): void {
  const { path } = spec.search;
  if (!(REGIONAL_GOAL_METRICS as readonly string[]).includes(spec.goal.metric))
    throw new InvalidInput([
      {
        path: 'goal.metric',
        code: 'not_regional',
        message: `a regional target's goal is on the region's total: ${REGIONAL_GOAL_METRICS.join(' or ')}`,
      },
    ]);
  if (!regionalPathExists(inputs, path))
    throw unknownPath(path, 'the regional base (shared.…, nts.…, budgets.…, councils.<code>.…)');
  const issues: Issue[] = [];
  let work = 0;
  for (const end of ['min', 'max'] as const) {
    const r = applyRegionalOverrides(inputs, setPath({}, path, spec.search[end]), `search.${end}`);
    if (!r.ok) issues.push(...r.issues);
    else work = Math.max(work, regionWorkUnits(r.value.region));
  }
  if (issues.length) throw new InvalidInput(issues, 'the search range makes invalid regional forecasts');
  const total = work * maxEvaluations(spec);
  if (total > REGIONAL_COMPARISON_MAX_WORK)
    throw new InvalidInput([
      {
        path: 'regionalBase.runs',
        code: 'too_big',
        message: `up to ${maxEvaluations(spec)} regional forecasts of this region make ${total.toExponential(2)} child-months of work; at most ${REGIONAL_COMPARISON_MAX_WORK.toExponential(0)}: fewer runs, a coarser step or fewer councils`,
      },
    ]);
  checkGoal(inputs, spec);
}

export const handler = httpRoute('CreateTarget', { body: TargetRequestSchema }, async (req) => {
  const store = getStore();
  const spec: TargetSpec = { search: req.body.search, goal: req.body.goal };
  let runs: number;
  let blobs: Record<string, unknown>;
  let extra: Pick<TargetRecordSummary, 'datasetId' | 'regional'>;
  if (req.body.regionalBase !== undefined) {
    const { region, inputs } = await resolveRegionalRequest(
      store,
      req.principal?.tenant,
      req.body.regionalBase,
      'regionalBase.',
    );
    checkRegion(inputs, spec);
    runs = inputs.runs;
    blobs = { region: inputs, spec };
    extra = { regional: { region: region.id, councils: inputs.councils.map((c) => c.code) } };
  } else {
    const { scenario, datasetId } = await resolveBase(store, req.body);
    checkScenario(scenario, spec);
    runs = scenario.runs;
    blobs = { scenario, spec };
    extra = datasetId !== undefined ? { datasetId } : {};
  }

  const id = newId('target', randomUUID);
  const summary: TargetRecordSummary = {
    status: 'queued',
    progress: 0,
    runs,
    ...extra,
    path: spec.search.path,
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
        blobs,
      },
      messages: [{ kind: JOB.target, id }],
    },
    req.logger,
  );
  req.logger.info('target search queued', {
    id,
    runs,
    metric: spec.goal.metric,
    regional: extra.regional !== undefined,
  });
  return { ...ok({ id, status: 'queued' }, 202), headers: { location: `/targets/${id}` } };
});
