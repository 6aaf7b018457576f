/**
 * POST /comparisons: a base scenario (or dataset + overrides) and named variants or a sweep. Every variant is resolved
 * and validated now (422 with paths such as "sweep.values.2.capacity.recruitmentPerYear"), stored with the base's
 * seed, and queued as its own job so that variants run in parallel.
 */
import { randomUUID } from 'node:crypto';
import { planComparison, type ComparisonSpec } from '#models/compare';
import { InvalidInput } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { submitJob } from '#functions/jobs/submit';
import { workUnits } from '#models/shards';
import { getQueue } from '#functions/queue/index';
import { type ComparisonRecordSummary, type VariantRecordSummary, variantId } from '#functions/records/comparison';
import { JOB, KIND, newId } from '#functions/records/kinds';
import { ComparisonRequestSchema } from '#functions/schemas';
import { getStore } from '#functions/store/index';
import { resolveBase } from './resolve.js';

export const handler = httpRoute('CreateComparison', { body: ComparisonRequestSchema }, async (req) => {
  const store = getStore();
  const { scenario, datasetId } = await resolveBase(store, req.body);
  const spec = (req.body.sweep ? { sweep: req.body.sweep } : { variants: req.body.variants ?? [] }) as ComparisonSpec;
  const plan = planComparison(scenario, spec);
  if (!plan.ok) throw new InvalidInput(plan.issues, 'the variants do not make valid scenarios');

  const id = newId('comparison', randomUUID);
  const createdAt = req.now.toISOString();
  const owner = req.principal ? { createdBy: req.principal.sub } : {};
  const variants = plan.value.map((p, index) => ({
    record: {
      kind: KIND.variant,
      id: variantId(id, index),
      createdAt,
      ...owner,
      summary: {
        comparisonId: id,
        index,
        name: p.name,
        ...(p.path !== undefined ? { path: p.path } : {}),
        ...(p.value !== undefined ? { value: p.value } : {}),
        status: 'queued',
      } satisfies VariantRecordSummary,
    },
    blobs: { scenario: p.scenario },
  }));
  const summary: ComparisonRecordSummary = {
    status: 'queued',
    runs: scenario.runs,
    seed: scenario.seed,
    ...(datasetId !== undefined ? { datasetId } : {}),
    variants: plan.value.map((p) => ({ name: p.name, ...(p.value !== undefined ? { value: p.value } : {}) })),
  };
  // Variants first, then the comparison: a reader who can see the comparison can see all its variants.
  await submitJob(
    store,
    getQueue(),
    {
      dependants: variants,
      main: { record: { kind: KIND.comparison, id, createdAt, ...owner, summary }, blobs: { base: scenario, spec } },
      messages: plan.value.map((p, index) => ({
        kind: JOB.variant,
        id: variantId(id, index),
        comparisonId: id,
        index,
        // a large variant runs in shards (functions/jobs/dispatch.ts)
        size: { runs: p.scenario.runs, work: workUnits(p.scenario) },
      })),
    },
    req.logger,
  );
  req.logger.info('comparison queued', { id, variants: plan.value.length, runs: scenario.runs });
  return { ...ok({ id, status: 'queued' }, 202), headers: { location: `/comparisons/${id}` } };
});
