/** GET /comparisons: comparisons newest first, `?createdBy=me` for the caller's own; each with its variants' names. */
import { httpRoute, ok } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { DECISION_KIND, type ComparisonRecordSummary } from '#functions/jobs/decisions';
import { listParams } from './views.js';

export const handler = httpRoute('ListComparisons', {}, async (req) => {
  const page = await getStore().list<ComparisonRecordSummary>(
    DECISION_KIND.comparison,
    listParams(req.query, req.principal?.sub),
  );
  const items = page.items.map((r) => ({
    id: r.id,
    createdAt: r.createdAt,
    ...(r.createdBy !== undefined ? { createdBy: r.createdBy } : {}),
    status: r.summary.status,
    runs: r.summary.runs,
    ...(r.summary.datasetId !== undefined ? { datasetId: r.summary.datasetId } : {}),
    variants: r.summary.variants.map((v) => v.name),
  }));
  return ok({ items, ...(page.cursor ? { cursor: page.cursor } : {}) });
});
