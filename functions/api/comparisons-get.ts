/**
 * GET /comparisons/{id}: status with each variant's, progress (share of variant runs done), and once complete the
 * summary: per variant children at the horizon, overflow, cost per financial year and the paired saving; for a
 * regional base, the region's totals so and a line per council (`variants[i].councils`), its saving paired run by run
 * as the region's.
 */
import type { ComparisonSummary } from '#models/compare';
import { config } from '#functions/config';
import { NotFound } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import {
  type ComparisonRecordSummary,
  sweepBaseValue,
  type VariantRecordSummary,
  variantId,
} from '#functions/records/comparison';
import { KIND } from '#functions/records/kinds';
import { effectiveStatus } from '#functions/records/status';

export const handler = httpRoute('GetComparison', {}, async (req) => {
  const store = getStore();
  const id = req.params.id ?? '';
  const record = await store.get<ComparisonRecordSummary>(KIND.comparison, id);
  if (!record) throw new NotFound(`no comparison ${id}`);
  const s = record.summary;
  const variants = await Promise.all(
    s.variants.map(async (v, i) => {
      const r = await store.get<VariantRecordSummary>(KIND.variant, variantId(id, i));
      const vs = r ? effectiveStatus(r.summary, r.updatedAt, req.now, config().STALE_RUN_SECONDS) : undefined;
      return {
        ...v,
        status: vs?.status ?? 'failed',
        progress: vs?.status === 'complete' ? 100 : (vs?.progress ?? 0),
        ...(vs?.reason !== undefined ? { reason: vs.reason } : {}),
      };
    }),
  );
  // a stalled variant (its worker died without a word) makes the comparison failed too
  const stalled =
    s.status !== 'complete' && s.status !== 'failed' ? variants.find((v) => v.status === 'failed') : undefined;
  const status = stalled ? 'failed' : s.status;
  const reason = stalled ? `variant "${stalled.name}" failed: ${stalled.reason ?? 'unknown'}` : s.reason;
  const [summary, base, spec] =
    status === 'complete'
      ? await Promise.all([
          store.readBlob<ComparisonSummary>(record, 'summary'),
          store.readBlob(record, 'base'),
          store.readBlob<{ sweep?: { path?: string } }>(record, 'spec'),
        ])
      : [undefined, undefined, undefined];
  // a sweep's parameter and its value in the base, so the base row can say "Base: 12 a year"
  const path = spec?.sweep?.path;
  const baseValue = sweepBaseValue(record.summary, base, path);
  return ok({
    id,
    status,
    progress:
      status === 'complete'
        ? 100
        : Math.min(99, Math.floor(variants.reduce((a, v) => a + v.progress, 0) / Math.max(1, variants.length))),
    ...(reason !== undefined ? { reason } : {}),
    createdAt: record.createdAt,
    ...(record.createdBy !== undefined ? { createdBy: record.createdBy } : {}),
    runs: s.runs,
    seed: s.seed,
    ...(s.datasetId !== undefined ? { datasetId: s.datasetId } : {}),
    ...(s.regional !== undefined ? { regional: s.regional } : {}),
    ...(s.completedAt !== undefined ? { completedAt: s.completedAt } : {}),
    variants,
    ...(summary !== undefined ? { summary } : {}),
    ...(path ? { sweep: { path, ...(typeof baseValue === 'number' ? { baseValue } : {}) } } : {}),
  });
});
