import { httpRoute, ok } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { KIND } from '#functions/records/kinds';
import { type ScenarioSummary, scenarioView } from '#functions/records/scenario';
import { listParams } from './views.js';

/** `?createdBy=me` lists the caller's own; any other value is a token subject. */
export const handler = httpRoute('ListScenarios', {}, async (req) => {
  const page = await getStore().list<ScenarioSummary>(KIND.scenario, listParams(req.query, req.principal?.sub));
  return ok({
    items: page.items.map((r) => scenarioView(r, req.now)),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
});
