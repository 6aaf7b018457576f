/**
 * POST /comparisons: a base — a scenario, a dataset + overrides, or a regional forecast's request (`regionalBase`, a
 * region's users) — and named variants or a sweep. Every variant is resolved and validated now (422 with paths such as
 * "sweep.values.2.capacity.recruitmentPerYear" or "variants.0.overrides.councils.E06000031.capacity…"), stored with
 * the base's seed, and queued as its own job so that variants run in parallel (a large one in shards).
 */
import { randomUUID } from 'node:crypto';
import { planComparison, type ComparisonSpec } from '#models/compare';
import { planRegionalComparison, regionalComparisonSizeIssue } from '#models/region/compare';
import { regionWorkUnits } from '#models/region/shards';
import { workUnits } from '#models/shards';
import { InvalidInput } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import type { SizedMessage } from '#functions/jobs/dispatch';
import { submitJob } from '#functions/jobs/submit';
import { getQueue } from '#functions/queue/index';
import { type ComparisonRecordSummary, type VariantRecordSummary, variantId } from '#functions/records/comparison';
import { JOB, KIND, newId } from '#functions/records/kinds';
import { ComparisonRequestSchema } from '#functions/schemas';
import { getStore } from '#functions/store/index';
import type { Store } from '#functions/store/store';
import type { Tenant } from '#functions/tenancy';
import { resolveRegionalRequest } from './regional-resolve.js';
import { resolveBase } from './resolve.js';
import { sweepName } from '../../web/js/input-labels.js';

type Body = (typeof ComparisonRequestSchema)['_zod']['output'];

/** What is stored and queued per variant, whichever the base. */
interface Planned {
  name: string;
  path?: string;
  value?: number;
  blobs: Record<string, unknown>;
  size: { runs: number; work: number };
}

interface Plan {
  runs: number;
  seed: number;
  base: unknown;
  variants: Planned[];
  extra: Pick<ComparisonRecordSummary, 'datasetId' | 'regional'>;
}

async function councilPlan(store: Store, body: Body, spec: ComparisonSpec): Promise<Plan> {
  const { scenario, datasetId } = await resolveBase(store, body);
  const plan = planComparison(scenario, spec, sweepName);
  if (!plan.ok) throw new InvalidInput(plan.issues, 'the variants do not make valid scenarios');
  return {
    runs: scenario.runs,
    seed: scenario.seed,
    base: scenario,
    variants: plan.value.map((p) => ({
      name: p.name,
      ...(p.path !== undefined ? { path: p.path } : {}),
      ...(p.value !== undefined ? { value: p.value } : {}),
      blobs: { scenario: p.scenario },
      size: { runs: p.scenario.runs, work: workUnits(p.scenario) },
    })),
    extra: datasetId !== undefined ? { datasetId } : {},
  };
}

/** A regional base: resolved as a regional forecast is (the caller's region, its councils), then every variant. */
export async function regionalPlan(
  store: Store,
  tenant: Tenant | undefined,
  body: Body,
  spec: ComparisonSpec,
): Promise<Plan> {
  const { region, inputs } = await resolveRegionalRequest(store, tenant, body.regionalBase!, 'regionalBase.');
  const plan = planRegionalComparison(inputs, spec, sweepName);
  if (!plan.ok) throw new InvalidInput(plan.issues, 'the variants do not make valid regional forecasts');
  // the work it queues and the per-run council costs its pairing keeps (each council's saving is paired run by run)
  const tooBig = regionalComparisonSizeIssue(plan.value.map((p) => p.region));
  if (tooBig) throw new InvalidInput([tooBig], 'the comparison is too large');
  return {
    runs: inputs.runs,
    seed: inputs.seed,
    base: inputs,
    variants: plan.value.map((p) => ({
      name: p.name,
      ...(p.path !== undefined ? { path: p.path } : {}),
      ...(p.value !== undefined ? { value: p.value } : {}),
      // only the overrides: the job applies them to the comparison's base again (a whole region per variant would
      // store every council's scenario once per variant)
      blobs: { overrides: p.overrides },
      size: { runs: p.region.runs, work: regionWorkUnits(p.region) },
    })),
    extra: { regional: { region: region.id, councils: inputs.councils.map((c) => c.code) } },
  };
}

export const handler = httpRoute('CreateComparison', { body: ComparisonRequestSchema }, async (req) => {
  const store = getStore();
  const spec = (req.body.sweep ? { sweep: req.body.sweep } : { variants: req.body.variants ?? [] }) as ComparisonSpec;
  const plan =
    req.body.regionalBase !== undefined
      ? await regionalPlan(store, req.principal?.tenant, req.body, spec)
      : await councilPlan(store, req.body, spec);

  const id = newId('comparison', randomUUID);
  const createdAt = req.now.toISOString();
  const owner = req.principal ? { createdBy: req.principal.sub } : {};
  const regional = plan.extra.regional !== undefined;
  const variants = plan.variants.map((p, index) => ({
    record: {
      kind: KIND.variant,
      id: variantId(id, index),
      createdAt,
      ...owner,
      summary: {
        comparisonId: id,
        index,
        name: p.name,
        ...(regional ? { regional: true as const } : {}),
        ...(p.path !== undefined ? { path: p.path } : {}),
        ...(p.value !== undefined ? { value: p.value } : {}),
        status: 'queued',
      } satisfies VariantRecordSummary,
    },
    blobs: p.blobs,
  }));
  const summary: ComparisonRecordSummary = {
    status: 'queued',
    runs: plan.runs,
    seed: plan.seed,
    ...plan.extra,
    variants: plan.variants.map((p) => ({ name: p.name, ...(p.value !== undefined ? { value: p.value } : {}) })),
  };
  // Variants first, then the comparison: a reader who can see the comparison can see all its variants.
  await submitJob(
    store,
    getQueue(),
    {
      dependants: variants,
      main: { record: { kind: KIND.comparison, id, createdAt, ...owner, summary }, blobs: { base: plan.base, spec } },
      messages: plan.variants.map(
        (p, index): SizedMessage => ({
          kind: JOB.variant,
          id: variantId(id, index),
          comparisonId: id,
          index,
          // a large variant runs in shards (functions/jobs/dispatch.ts)
          size: p.size,
        }),
      ),
    },
    req.logger,
  );
  req.logger.info('comparison queued', { id, variants: plan.variants.length, runs: plan.runs, regional });
  return { ...ok({ id, status: 'queued' }, 202), headers: { location: `/comparisons/${id}` } };
});
