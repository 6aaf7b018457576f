/**
 * DELETE /datasets/{id} (data-manager): remove an upload — child-level records, quality report, estimated rates —
 * e.g. a wrong file. Any data manager of the dataset's own council may (404 for anyone who cannot see it; 403 for a
 * region's users, who read it but never change it). Order, so that a retry always finishes the job:
 *   1. when it is the council's current dataset, the current pointer is cleared (one conditional write), so it never
 *      points at a missing dataset; the council then has no current dataset until an upload or a person sets one;
 *   2. the dataset's blob parts (the children and the detail), then its summary item last: a delete that stops midway
 *      leaves the summary, so the dataset still answers and a DELETE again finishes it;
 *   3. the pointer once more, in case a "make current" that read the dataset before it went wrote it since.
 * Once done, the id answers 404 (a second DELETE too). Scenarios, comparisons and forecasts made from the dataset
 * keep their own resolved inputs (counts by placement, age and time in placement, no child ids) and results: they are
 * deleted on their own.
 */
import { Forbidden, NotFound } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { clearCurrentIf } from '#functions/records/current-dataset';
import { councilOf, type DatasetSummary } from '#functions/records/dataset';
import { KIND } from '#functions/records/kinds';
import { getStore } from '#functions/store/index';
import { tenantKey } from '#functions/tenancy';

export const handler = httpRoute('DeleteDataset', {}, async (req) => {
  const store = getStore();
  const id = req.params.id ?? '';
  const record = await store.get<DatasetSummary>(KIND.dataset, id);
  if (!record) throw new NotFound(`no dataset ${id}`);
  const tenant = req.principal?.tenant;
  if (tenant === undefined || record.tenant !== tenantKey(tenant))
    throw new Forbidden("a dataset is its council's: only the council's own data managers may delete it");
  const council = councilOf(record.summary);
  const at = req.now.toISOString();
  const by = req.principal?.sub;
  const cleared = await clearCurrentIf(store, council, id, at, by);
  if (!(await store.delete(KIND.dataset, id, { partsFirst: true }))) throw new NotFound(`no dataset ${id}`);
  const late = await clearCurrentIf(store, council, id, at, by);
  const currentCleared = cleared || late;
  req.logger.info('dataset deleted', { id, council, currentCleared });
  return ok({ id, council, deletedAt: at, currentCleared });
});
