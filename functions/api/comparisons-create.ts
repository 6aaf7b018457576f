/**
 * POST /comparisons: a base scenario (or dataset + overrides) and named variants or a sweep. Every variant is resolved
 * and validated now (422 with paths such as "sweep.values.2.capacity.recruitmentPerYear"), stored with the base's
 * seed, and queued as its own job so that variants run in parallel.
 */
import { randomUUID } from 'node:crypto';
import { planComparison, type ComparisonSpec } from '#models/compare';
import { InvalidInput } from '#functions/http/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { getQueue } from '#functions/queue/index';
import { ComparisonRequestSchema } from '#functions/schemas';
import { getStore } from '#functions/store/index';
import {
  DECISION_KIND,
  JOB,
  resolveBase,
  variantId,
  type ComparisonRecordSummary,
  type VariantRecordSummary,
} from '#functions/jobs/decisions';

export const handler = httpRoute('CreateComparison', { body: ComparisonRequestSchema }, async (req) => {
  const store = getStore();
  const { scenario, datasetId } = await resolveBase(store, req.body);
  const spec = (req.body.sweep ? { sweep: req.body.sweep } : { variants: req.body.variants ?? [] }) as ComparisonSpec;
  const plan = planComparison(scenario, spec);
  if (!plan.ok) throw new InvalidInput(plan.issues, 'the variants do not make valid scenarios');

  const id = `cmp_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const createdAt = req.now.toISOString();
  const owner = req.principal ? { createdBy: req.principal.sub } : {};
  // Variants first, then the comparison: a reader who can see the comparison can see all its variants.
  await Promise.all(
    plan.value.map((p, index) =>
      store.create<VariantRecordSummary>(
        {
          kind: DECISION_KIND.variant,
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
          },
        },
        { scenario: p.scenario },
      ),
    ),
  );
  await store.create<ComparisonRecordSummary>(
    {
      kind: DECISION_KIND.comparison,
      id,
      createdAt,
      ...owner,
      summary: {
        status: 'queued',
        runs: scenario.runs,
        seed: scenario.seed,
        ...(datasetId !== undefined ? { datasetId } : {}),
        variants: plan.value.map((p) => ({ name: p.name, ...(p.value !== undefined ? { value: p.value } : {}) })),
      },
    },
    { base: scenario, spec },
  );
  try {
    const queue = getQueue();
    await Promise.all(
      plan.value.map((_, index) =>
        queue.send({ kind: JOB.variant, id: variantId(id, index), comparisonId: id, index }),
      ),
    );
  } catch (e) {
    await store.update<ComparisonRecordSummary>(DECISION_KIND.comparison, id, {
      summary: { status: 'failed', reason: 'could not be queued' },
    });
    throw e;
  }
  req.logger.info('comparison queued', { id, variants: plan.value.length, runs: scenario.runs });
  return { ...ok({ id, status: 'queued' }, 202), headers: { location: `/comparisons/${id}` } };
});
