import { NotFound } from '#functions/http/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { KIND, type ScenarioSummary } from '#functions/store/records';
import { scenarioView } from './views.js';

export const handler = httpRoute('GetScenario', {}, async (req) => {
  const store = getStore();
  const id = req.params.id ?? '';
  const record = await store.get<ScenarioSummary>(KIND.scenario, id);
  if (!record) throw new NotFound(`no scenario ${id}`);
  const view = scenarioView(record, req.now);
  const complete = view.status === 'complete';
  // ?include=runTotals adds the per-run totals (large: runs × series) to the result
  const withRunTotals = complete && (req.query.include ?? '').split(',').includes('runTotals');
  const [scenario, result, runTotals] = await Promise.all([
    store.readBlob(record, 'scenario'),
    complete ? store.readBlob<Record<string, unknown>>(record, 'result') : Promise.resolve(undefined),
    withRunTotals ? store.readBlob(record, 'runTotals') : Promise.resolve(undefined),
  ]);
  const fullResult = result && runTotals !== undefined ? { ...result, runTotals } : result;
  return ok({ ...view, scenario, ...(fullResult !== undefined ? { result: fullResult } : {}) });
});
