/**
 * The `comparison` record (the request, the resolved base, and the paired summary once complete) and one
 * `comparison-variant` record per variant, each run by its own queue message so variants fan out on AWS. Variants
 * never write to the comparison's summary concurrently except to finish it, which is a conditional update.
 */
import { type RegionalInputs, regionalView } from '#models/region/compare';
import type { StoredRecord } from '#functions/store/store';
import type { ShardPlan } from '#models/shards';
import type { RunStatus } from './status.js';

export interface ComparisonRecordSummary {
  status: RunStatus;
  reason?: string;
  runs: number;
  seed: number;
  datasetId?: string;
  /** a regional base: the region and its councils in rota order (the comparison is then the region's record) */
  regional?: { region: string; councils: string[] };
  /** names (and sweep values) in order; index 0 is the base */
  variants: { name: string; value?: number }[];
  completedAt?: string;
}

export interface VariantRecordSummary {
  comparisonId: string;
  index: number;
  name: string;
  /**
   * a variant of a regional base: its blob is `overrides` (applied to the comparison's `base` blob, the regional
   * request form), not `scenario`
   */
  regional?: true;
  /** the swept path and value, for a sweep */
  path?: string;
  value?: number;
  status: RunStatus;
  /** 0–100 while running */
  progress?: number;
  reason?: string;
  startedAt?: string;
  heartbeatAt?: string;
  completedAt?: string;
  attempts?: number;
  elapsedMs?: number;
  /** when the variant fans out into shards: how (kept from submission; functions/jobs/shards.ts) */
  shards?: ShardPlan;
}

export const variantId = (comparisonId: string, index: number): string => `${comparisonId}.${index}`;

/** One comparison in GET /comparisons. */
export function comparisonListView(r: StoredRecord<ComparisonRecordSummary>) {
  return {
    id: r.id,
    createdAt: r.createdAt,
    ...(r.createdBy !== undefined ? { createdBy: r.createdBy } : {}),
    status: r.summary.status,
    runs: r.summary.runs,
    ...(r.summary.datasetId !== undefined ? { datasetId: r.summary.datasetId } : {}),
    ...(r.summary.regional !== undefined ? { regional: r.summary.regional } : {}),
    variants: r.summary.variants.map((v) => v.name),
  };
}

/**
 * A sweep's parameter's value in the stored base, so the base row can say "Base: 12 a year". A regional base's paths
 * name councils by code (`councils.E06000031.capacity…`): they are read on its view (models/region/compare.ts).
 */
export function sweepBaseValue(
  summary: Pick<ComparisonRecordSummary, 'regional'>,
  base: unknown,
  path: string | undefined,
): number | undefined {
  if (!path || base === undefined) return undefined;
  const seen = summary.regional ? regionalView(base as RegionalInputs) : base;
  const value = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], seen);
  return typeof value === 'number' ? value : undefined;
}
