import { Forbidden, NotFound } from '#functions/errors';
import { httpRoute } from '#functions/http/handler';
import { planOf, removeJobShards } from '#functions/jobs/shard-records';
import { getStore, rawStore } from '#functions/store/index';
import { JOB, KIND } from '#functions/records/kinds';

export const handler = httpRoute('DeleteScenario', {}, async (req) => {
  const store = getStore();
  const id = req.params.id ?? '';
  const record = await store.get(KIND.scenario, id);
  if (!record) throw new NotFound(`no scenario ${id}`);
  if (record.createdBy !== req.principal?.sub) throw new Forbidden('only the creator of a scenario may delete it');
  // a run still in progress finds its record gone and discards its result (conditional update)
  if (!(await store.delete(KIND.scenario, id))) throw new NotFound(`no scenario ${id}`);
  // and a sharded run's stored shard summaries go with it (they belong to no tenant: the whole store); a shard still
  // running stores its summary, finds the scenario gone and removes it (functions/jobs/shards.ts)
  await removeJobShards(rawStore(), JOB.scenario, id, planOf(record.summary));
  req.logger.info('scenario deleted', { id });
  return { statusCode: 204 };
});
