/**
 * DELETE /comparisons/{id}: a comparison, its variants and their results (its creator only). The variants go first,
 * each with its shard summaries when it ran in shards, and the comparison last: a delete that stops midway leaves the
 * comparison, so a retry finds it and finishes; a variant still queued or running finds its record gone and stores
 * nothing, and the comparison can no longer complete (it needs every variant).
 */
import { NotFound } from '#functions/errors';
import { httpRoute } from '#functions/http/handler';
import { type ComparisonRecordSummary, variantId } from '#functions/records/comparison';
import { JOB, KIND } from '#functions/records/kinds';
import { getStore, rawStore } from '#functions/store/index';
import { deleteRun, ownRun } from './delete-run.js';

export const handler = httpRoute('DeleteComparison', {}, async (req) => {
  const record = await ownRun<ComparisonRecordSummary>(req, KIND.comparison, 'comparison');
  // the variants' ids follow from the comparison's, whose owner was checked: the whole store reads and removes them
  const raw = rawStore();
  const ids = record.summary.variants.map((_, i) => variantId(record.id, i));
  for (let i = 0; i < ids.length; i += 100) {
    const variants = await raw.getMany(KIND.variant, ids.slice(i, i + 100));
    await Promise.all(variants.map((v) => v && deleteRun(raw, v, JOB.variant)));
  }
  if (!(await getStore().delete(KIND.comparison, record.id))) throw new NotFound(`no comparison ${record.id}`);
  req.logger.info('comparison deleted', { id: record.id, variants: ids.length });
  return { statusCode: 204 };
});
