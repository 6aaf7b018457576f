/** DELETE /targets/{id}: a target search and its answer (its creator only); a search still running stores nothing. */
import { NotFound } from '#functions/errors';
import { httpRoute } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { KIND } from '#functions/records/kinds';
import { deleteRun, ownRun } from './delete-run.js';

export const handler = httpRoute('DeleteTarget', {}, async (req) => {
  const record = await ownRun(req, KIND.target, 'target search');
  // a target search runs as one job, never in shards: no shard summaries to remove
  if (!(await deleteRun(getStore(), record, undefined))) throw new NotFound(`no target search ${record.id}`);
  req.logger.info('target deleted', { id: record.id });
  return { statusCode: 204 };
});
