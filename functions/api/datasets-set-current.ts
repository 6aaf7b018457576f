/** POST /datasets/{id}/current: the dataset its council's forecasts use from now on (data-manager). */
import { NotFound } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { setCurrentDataset } from '#functions/records/current-dataset';
import { getStore } from '#functions/store/index';
import { councilOf, datasetView, type DatasetSummary } from '#functions/records/dataset';
import { KIND } from '#functions/records/kinds';

export const handler = httpRoute('SetCurrentDataset', {}, async (req) => {
  const store = getStore();
  const id = req.params.id ?? '';
  const record = await store.get<DatasetSummary>(KIND.dataset, id);
  if (!record) throw new NotFound(`no dataset ${id}`);
  const by = req.principal?.sub;
  await setCurrentDataset(store, councilOf(record.summary), {
    datasetId: id,
    setAt: req.now.toISOString(),
    how: 'chosen',
    ...(by ? { setBy: by } : {}),
  });
  req.logger.info('current dataset chosen', { id, council: councilOf(record.summary) });
  return ok(datasetView(record, id));
});
