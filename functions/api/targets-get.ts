/** GET /targets/{id}: status, the search and goal, and once complete the answer with its curve. */
import type { TargetAnswer, TargetSpec } from '#models/goalseek';
import { NotFound } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { KIND } from '#functions/records/kinds';
import { type TargetRecordSummary, targetView } from '#functions/records/target';
import { getStore } from '#functions/store/index';

export const handler = httpRoute('GetTarget', {}, async (req) => {
  const store = getStore();
  const id = req.params.id ?? '';
  const record = await store.get<TargetRecordSummary>(KIND.target, id);
  if (!record) throw new NotFound(`no target search ${id}`);
  const view = targetView(record, req.now);
  const [spec, answer] = await Promise.all([
    store.readBlob<TargetSpec>(record, 'spec'),
    view.status === 'complete' ? store.readBlob<TargetAnswer>(record, 'answer') : Promise.resolve(undefined),
  ]);
  return ok({ ...view, search: spec?.search, goal: spec?.goal, ...(answer !== undefined ? { answer } : {}) });
});
