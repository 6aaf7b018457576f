import { currentDataset } from '#functions/records/current-dataset';
import { httpRoute, ok } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { councilOf, type DatasetSummary, datasetView } from '#functions/records/dataset';
import { KIND } from '#functions/records/kinds';
import { pageParams } from './views.js';

export const handler = httpRoute('ListDatasets', {}, async (req) => {
  const store = getStore();
  const page = await store.list<DatasetSummary>(KIND.dataset, pageParams(req.query));
  // one look-up per council on the page (usually one): which of them is current
  const current = new Map<string, string | undefined>();
  for (const council of new Set(page.items.map((d) => councilOf(d.summary))))
    current.set(council, (await currentDataset(store, council))?.id);
  return ok({
    items: page.items.map((d) => datasetView(d, current.get(councilOf(d.summary)))),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
});
