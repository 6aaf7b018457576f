import type { Dataset } from '#models/dataset';
import { NotFound } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { type DatasetSummary, datasetView } from '#functions/records/dataset';
import { KIND } from '#functions/records/kinds';

export const handler = httpRoute('GetDataset', {}, async (req) => {
  const store = getStore();
  const id = req.params.id ?? '';
  const record = await store.get<DatasetSummary>(KIND.dataset, id);
  if (!record) throw new NotFound(`no dataset ${id}`);
  const detail = await store.readBlob<Omit<Dataset, 'children'>>(record, 'detail');
  return ok({
    ...datasetView(record),
    stock: detail?.stock,
    qualityReport: detail?.quality,
    estimate: detail?.estimate,
  });
});
