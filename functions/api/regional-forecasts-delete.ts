/**
 * DELETE /regional-forecasts/{id}: a regional forecast and its result (its creator only, one of the region's users);
 * a job still running stores nothing, and a sharded one's shard summaries go with it.
 */
import { NotFound } from '#functions/errors';
import { httpRoute } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { JOB, KIND } from '#functions/records/kinds';
import { deleteRun, ownRun } from './delete-run.js';

export const handler = httpRoute('DeleteRegionalForecast', {}, async (req) => {
  const record = await ownRun(req, KIND.regionalForecast, 'regional forecast');
  if (!(await deleteRun(getStore(), record, JOB.regionalForecast)))
    throw new NotFound(`no regional forecast ${record.id}`);
  req.logger.info('regional forecast deleted', { id: record.id });
  return { statusCode: 204 };
});
