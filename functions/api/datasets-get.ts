import type { Dataset } from '#models/dataset';
import { NotFound } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { currentDataset } from '#functions/records/current-dataset';
import { getStore } from '#functions/store/index';
import { councilOf, type DatasetSummary, datasetView } from '#functions/records/dataset';
import { KIND } from '#functions/records/kinds';

export const handler = httpRoute('GetDataset', {}, async (req) => {
  const store = getStore();
  const id = req.params.id ?? '';
  const record = await store.get<DatasetSummary>(KIND.dataset, id);
  if (!record) throw new NotFound(`no dataset ${id}`);
  const [detail, current] = await Promise.all([
    store.readBlob<Omit<Dataset, 'children'>>(record, 'detail'),
    currentDataset(store, councilOf(record.summary)),
  ]);
  return ok({
    ...datasetView(record, current?.id),
    stock: detail?.stock,
    qualityReport: detail?.quality,
    estimate: detail?.estimate,
  });
});
