/** GET /comparisons/{id}/report.docx: a comparison (recruitment targets, another input's values, named or regional plans) as a committee report (409 until complete). */
import type { ComparisonSummary } from '#models/compare';
import { Conflict, NotFound } from '#functions/errors';
import { httpRoute } from '#functions/http/handler';
import { comparisonReport, DOCX_MEDIA_TYPE } from '#functions/render/report';
import { getStore } from '#functions/store/index';
import { type ComparisonRecordSummary, sweepBaseValue } from '#functions/records/comparison';
import { KIND } from '#functions/records/kinds';

export const handler = httpRoute('ComparisonReportDocx', {}, async (req) => {
  const store = getStore();
  const id = req.params.id ?? '';
  const record = await store.get<ComparisonRecordSummary>(KIND.comparison, id);
  if (!record) throw new NotFound(`no comparison ${id}`);
  if (record.summary.status !== 'complete')
    throw new Conflict(`comparison ${id} is ${record.summary.status}: there is nothing to report until it is complete`);
  const [summary, base, spec] = await Promise.all([
    store.readBlob<ComparisonSummary>(record, 'summary'),
    store.readBlob(record, 'base'),
    store.readBlob<{ sweep?: { path?: string } }>(record, 'spec'),
  ]);
  if (!summary) throw new Conflict(`comparison ${id} has no summary`);
  const path = spec?.sweep?.path;
  const baseValue = sweepBaseValue(record.summary, base, path);
  const doc = await comparisonReport({
    id,
    summary,
    base,
    ...(path ? { sweepPath: path } : {}),
    ...(typeof baseValue === 'number' ? { baseValue } : {}),
    generatedAt: req.now,
  });
  return {
    statusCode: 200,
    contentType: DOCX_MEDIA_TYPE,
    body: doc.toString('base64'),
    isBase64Encoded: true,
    headers: { 'content-disposition': `attachment; filename="comparison-${id}.docx"` },
  };
});
