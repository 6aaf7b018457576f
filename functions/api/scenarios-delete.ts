import { Forbidden, NotFound } from '#functions/errors';
import { httpRoute } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { KIND } from '#functions/records/kinds';

export const handler = httpRoute('DeleteScenario', {}, async (req) => {
  const store = getStore();
  const id = req.params.id ?? '';
  const record = await store.get(KIND.scenario, id);
  if (!record) throw new NotFound(`no scenario ${id}`);
  if (record.createdBy !== req.principal?.sub) throw new Forbidden('only the creator of a scenario may delete it');
  // a run still in progress finds its record gone and discards its result (conditional update)
  if (!(await store.delete(KIND.scenario, id))) throw new NotFound(`no scenario ${id}`);
  req.logger.info('scenario deleted', { id });
  return { statusCode: 204 };
});
