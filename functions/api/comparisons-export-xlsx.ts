/** GET /comparisons/{id}/export.xlsx: variants side by side and the paired savings by year (409 until complete). */
import type { ComparisonSummary } from '#models/compare';
import { Conflict, NotFound } from '#functions/errors';
import { httpRoute } from '#functions/http/handler';
import { comparisonWorkbook, XLSX_MEDIA_TYPE } from '#functions/render/xlsx';
import { getStore } from '#functions/store/index';
import type { ComparisonRecordSummary } from '#functions/records/comparison';
import { KIND } from '#functions/records/kinds';

export const handler = httpRoute('ExportComparisonXlsx', {}, async (req) => {
  const store = getStore();
  const id = req.params.id ?? '';
  const record = await store.get<ComparisonRecordSummary>(KIND.comparison, id);
  if (!record) throw new NotFound(`no comparison ${id}`);
  if (record.summary.status !== 'complete')
    throw new Conflict(`comparison ${id} is ${record.summary.status}: there is nothing to export until it is complete`);
  const [summary, base, spec] = await Promise.all([
    store.readBlob<ComparisonSummary>(record, 'summary'),
    store.readBlob(record, 'base'),
    store.readBlob(record, 'spec'),
  ]);
  if (!summary) throw new Conflict(`comparison ${id} has no summary`);
  const book = await comparisonWorkbook({ id, summary, base, spec, generatedAt: req.now });
  return {
    statusCode: 200,
    contentType: XLSX_MEDIA_TYPE,
    body: book.toString('base64'),
    isBase64Encoded: true,
    headers: { 'content-disposition': `attachment; filename="comparison-${id}.xlsx"` },
  };
});
