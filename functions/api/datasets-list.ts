import { httpRoute, ok } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { type DatasetSummary, datasetView } from '#functions/records/dataset';
import { KIND } from '#functions/records/kinds';
import { pageParams } from './views.js';

export const handler = httpRoute('ListDatasets', {}, async (req) => {
  const page = await getStore().list<DatasetSummary>(KIND.dataset, pageParams(req.query));
  return ok({ items: page.items.map(datasetView), ...(page.cursor ? { cursor: page.cursor } : {}) });
});
