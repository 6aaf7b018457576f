import { NotFound } from '#functions/errors';
import { httpRoute } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { KIND } from '#functions/records/kinds';
import { type ScenarioSummary, scenarioView } from '#functions/records/scenario';

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
    store.readBlobJson(record, 'scenario'),
    complete ? store.readBlobJson(record, 'result') : Promise.resolve(undefined),
    withRunTotals ? store.readBlobJson(record, 'runTotals') : Promise.resolve(undefined),
  ]);
  // The stored blobs are JSON already: splice them into the body rather than parse and re-serialise ~150 KB.
  let body = JSON.stringify(view).slice(0, -1);
  body += `,"scenario":${scenario ?? 'null'}`;
  if (result !== undefined)
    body += `,"result":${runTotals !== undefined ? `${result.slice(0, -1)},"runTotals":${runTotals}}` : result}`;
  return { statusCode: 200, contentType: 'application/json; charset=utf-8', body: `${body}}` };
});
