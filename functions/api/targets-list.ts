/** GET /targets: target searches newest first, `?createdBy=me` for the caller's own; each with its path and metric. */
import { config } from '#functions/config';
import { httpRoute, ok } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { effectiveStatus } from '#functions/store/records';
import { DECISION_KIND, type TargetRecordSummary } from '#functions/jobs/decisions';
import { listParams } from './views.js';

export const handler = httpRoute('ListTargets', {}, async (req) => {
  const page = await getStore().list<TargetRecordSummary>(
    DECISION_KIND.target,
    listParams(req.query, req.principal?.sub),
  );
  const items = page.items.map((r) => {
    const s = effectiveStatus(r.summary, r.updatedAt, req.now, config().STALE_RUN_SECONDS);
    return {
      id: r.id,
      createdAt: r.createdAt,
      ...(r.createdBy !== undefined ? { createdBy: r.createdBy } : {}),
      status: s.status,
      progress: s.status === 'complete' ? 100 : (r.summary.progress ?? 0),
      runs: r.summary.runs,
      path: r.summary.path,
      metric: r.summary.metric,
    };
  });
  return ok({ items, ...(page.cursor ? { cursor: page.cursor } : {}) });
});
