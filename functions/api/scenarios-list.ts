import { httpRoute, ok } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { KIND, type ScenarioSummary } from '#functions/store/records';
import { pageParams, scenarioView } from './views.js';

/** `?createdBy=me` lists the caller's own; any other value is a token subject. */
export const handler = httpRoute('ListScenarios', {}, async (req) => {
  const by = req.query.createdBy;
  const createdBy = by === 'me' ? req.principal?.sub : by;
  const page = await getStore().list<ScenarioSummary>(KIND.scenario, {
    ...pageParams(req.query),
    ...(createdBy !== undefined ? { createdBy } : {}),
  });
  return ok({ items: page.items.map((r) => scenarioView(r, req.now)), ...(page.cursor ? { cursor: page.cursor } : {}) });
});
