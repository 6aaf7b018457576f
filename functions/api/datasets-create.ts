/**
 * POST /datasets: ingest SSDA903 tables or JSON records. The id is the content hash of the upload, so the same upload
 * twice is the same dataset (idempotent with or without a key). Strict mode with any error stores nothing.
 */
import { createHash } from 'node:crypto';
import { ingestSsda903 } from '#models/ingest/pipeline';
import type { QualityProblem } from '#models/ingest/quality';
import { ingestRecords } from '#models/ingest/records';
import { config } from '#functions/config';
import { InvalidInput } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { DatasetUploadSchema } from '#functions/schemas';
import { getStore } from '#functions/store/index';
import { type DatasetSummary, datasetView, saveDataset } from '#functions/records/dataset';
import { KIND } from '#functions/records/kinds';

export const handler = httpRoute('CreateDataset', { body: DatasetUploadSchema }, async (req) => {
  const upload = req.body;
  const contentHash = createHash('sha256').update(JSON.stringify(upload)).digest('hex');
  const id = `ds_${contentHash.slice(0, 20)}`;
  const store = getStore();
  const existing = await store.get<DatasetSummary>(KIND.dataset, id);
  if (existing) return ok(datasetView(existing), 200);

  const options = { mode: upload.mode, salt: config().DATA_SALT };
  const outcome =
    upload.format === 'ssda903'
      ? ingestSsda903(
          Object.entries(upload.files).map(([name, text]) => ({ name, text })),
          options,
        )
      : ingestRecords(
          { children: upload.children, ...(upload.dataEnd !== undefined ? { dataEnd: upload.dataEnd } : {}) },
          options,
        );
  if (!outcome.ok) {
    const { report } = outcome;
    const issues = report.problems
      .filter((p: QualityProblem) => p.severity === 'error')
      .map((p: QualityProblem) => ({ file: p.file, row: p.row, column: p.column, code: p.code, message: p.message }));
    throw new InvalidInput(issues, 'the upload has errors: nothing was stored', {
      quality: { errors: report.errors, warnings: report.warnings, counts: report.counts, notes: report.notes },
    });
  }
  const record = await saveDataset(store, outcome.dataset, {
    id,
    format: upload.format,
    mode: upload.mode,
    contentHash,
    createdAt: req.now.toISOString(),
    ...(req.principal ? { createdBy: req.principal.sub } : {}),
  });
  req.logger.info('dataset stored', {
    id,
    children: record.summary.counts.children,
    errors: record.summary.quality.errors,
  });
  return ok(datasetView(record), 201);
});
