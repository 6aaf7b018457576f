/** GET /targets/{id}: status, the search and goal, and once complete the answer with its curve. */
import type { TargetAnswer, TargetSpec } from '#models/goalseek';
import { config } from '#functions/config';
import { NotFound } from '#functions/http/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { effectiveStatus } from '#functions/store/records';
import { DECISION_KIND, type TargetRecordSummary } from '#functions/jobs/decisions';

export const handler = httpRoute('GetTarget', {}, async (req) => {
  const store = getStore();
  const id = req.params.id ?? '';
  const record = await store.get<TargetRecordSummary>(DECISION_KIND.target, id);
  if (!record) throw new NotFound(`no target search ${id}`);
  const s = effectiveStatus(record.summary, record.updatedAt, req.now, config().STALE_RUN_SECONDS);
  const [spec, answer] = await Promise.all([
    store.readBlob<TargetSpec>(record, 'spec'),
    s.status === 'complete' ? store.readBlob<TargetAnswer>(record, 'answer') : Promise.resolve(undefined),
  ]);
  return ok({
    id,
    status: s.status,
    progress: s.progress,
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
    createdAt: record.createdAt,
    ...(record.createdBy !== undefined ? { createdBy: record.createdBy } : {}),
    runs: s.runs,
    ...(s.datasetId !== undefined ? { datasetId: s.datasetId } : {}),
    ...(s.completedAt !== undefined ? { completedAt: s.completedAt } : {}),
    search: spec?.search,
    goal: spec?.goal,
    ...(answer !== undefined ? { answer } : {}),
  });
});
