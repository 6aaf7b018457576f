import { NotFound } from '#functions/errors';
import { httpRoute } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { JOB, KIND } from '#functions/records/kinds';
import { deleteRun, ownRun } from './delete-run.js';

export const handler = httpRoute('DeleteScenario', {}, async (req) => {
  const record = await ownRun(req, KIND.scenario, 'scenario');
  // a run still in progress finds its record gone and discards its result (conditional update); a sharded run's
  // stored shard summaries go with it (./delete-run.ts)
  if (!(await deleteRun(getStore(), record, JOB.scenario))) throw new NotFound(`no scenario ${record.id}`);
  req.logger.info('scenario deleted', { id: record.id });
  return { statusCode: 204 };
});
