/** GET /targets: target searches newest first, `?createdBy=me` for the caller's own; each with its path and metric. */
import { httpRoute, ok } from '#functions/http/handler';
import { KIND } from '#functions/records/kinds';
import { type TargetRecordSummary, targetListView } from '#functions/records/target';
import { getStore } from '#functions/store/index';
import { listParams } from './views.js';

export const handler = httpRoute('ListTargets', {}, async (req) => {
  const page = await getStore().list<TargetRecordSummary>(KIND.target, listParams(req.query, req.principal?.sub));
  return ok({
    items: page.items.map((r) => targetListView(r, req.now)),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
});
