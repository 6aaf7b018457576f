/** GET /comparisons: comparisons newest first, `?createdBy=me` for the caller's own; each with its variants' names. */
import { httpRoute, ok } from '#functions/http/handler';
import { type ComparisonRecordSummary, comparisonListView } from '#functions/records/comparison';
import { KIND } from '#functions/records/kinds';
import { getStore } from '#functions/store/index';
import { listParams } from './views.js';

export const handler = httpRoute('ListComparisons', {}, async (req) => {
  const page = await getStore().list<ComparisonRecordSummary>(
    KIND.comparison,
    listParams(req.query, req.principal?.sub),
  );
  return ok({ items: page.items.map(comparisonListView), ...(page.cursor ? { cursor: page.cursor } : {}) });
});
