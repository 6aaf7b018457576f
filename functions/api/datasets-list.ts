import { httpRoute, ok } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { KIND, type DatasetSummary } from '#functions/store/records';
import { datasetView, pageParams } from './views.js';

export const handler = httpRoute('ListDatasets', {}, async (req) => {
  const page = await getStore().list<DatasetSummary>(KIND.dataset, pageParams(req.query));
  return ok({ items: page.items.map(datasetView), ...(page.cursor ? { cursor: page.cursor } : {}) });
});
