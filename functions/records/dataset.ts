/** The `dataset` record: an ingested upload. Summary item small; the detail and the children are blobs. */
import { resolveScenario } from '#models/council-resolve';
import { stockByMonth, type Dataset } from '#models/dataset';
import type { Series } from '#models/result';
import { parseScenario, type Scenario } from '#models/scenario';
import { InvalidInput } from '#functions/errors';
import type { Store, StoredRecord } from '#functions/store/store';
import { getCouncilProfile } from './council.js';
import { KIND } from './kinds.js';

export interface DatasetSummary {
  format: 'ssda903' | 'records';
  mode: 'strict' | 'lenient';
  /** absent: the single-council service's default council */
  council?: string;
  /** sha256 of the upload body: the same content is the same dataset */
  contentHash: string;
  period: { start: string; end: string; source?: string };
  counts: { children: number; episodes: number; rowsRead: number; rowsDropped: number };
  quality: { errors: number; warnings: number; counts: Record<string, number> };
  stock: unknown;
}

/** The council of a dataset: the upload's, or the single-council service's default. */
export const DEFAULT_COUNCIL = 'default';
export const councilOf = (s: { council?: string | undefined }): string => s.council ?? DEFAULT_COUNCIL;

/**
 * What clients see of a dataset in lists and as the head of its detail; `currentId` is the id of its council's
 * current dataset (./current-dataset.ts).
 */
export function datasetView(r: StoredRecord<DatasetSummary>, currentId: string | undefined) {
  const s = r.summary;
  return {
    id: r.id,
    createdAt: r.createdAt,
    format: s.format,
    mode: s.mode,
    council: councilOf(s),
    current: r.id === currentId,
    period: s.period,
    counts: s.counts,
    ...(s.stock ? { stock: s.stock as Record<string, unknown> } : {}),
    quality: s.quality,
  };
}

/** A stored dataset whole again: its detail blob and its children blob. */
export async function loadDataset(store: Store, record: StoredRecord<DatasetSummary>): Promise<Dataset> {
  const [detail, children] = await Promise.all([
    store.readBlob<Omit<Dataset, 'children'>>(record, 'detail'),
    store.readBlob<Dataset['children']>(record, 'children'),
  ]);
  if (!detail || !children) throw new Error(`dataset ${record.id} has no stored detail`);
  return { ...detail, children };
}

/**
 * The scenario a stored dataset makes with its council's profile and the caller's overrides, validated: the one place
 * that resolves `{ datasetId, overrides }` for scenarios, comparisons, targets and the monthly forecast. Problems name
 * `datasetId` or `overrides.<field>`. With `requireProfile` (the council's or the request's) a scenario that would
 * need any example value is refused with a 422 naming each missing profile field.
 */
export async function scenarioForDataset(
  store: Store,
  datasetId: string,
  overrides: unknown,
  options: { requireProfile?: boolean } = {},
): Promise<Scenario> {
  const record = await store.get<DatasetSummary>(KIND.dataset, datasetId);
  if (!record) throw new InvalidInput([{ path: 'datasetId', code: 'not_found', message: 'no dataset with this id' }]);
  return scenarioForDatasetRecord(store, record, await loadDataset(store, record), overrides, options);
}

export async function scenarioForDatasetRecord(
  store: Store,
  record: StoredRecord<DatasetSummary>,
  dataset: Dataset,
  overrides: unknown,
  options: { requireProfile?: boolean } = {},
): Promise<Scenario> {
  const council = record.summary.council;
  const found = council ? await getCouncilProfile(store, council) : undefined;
  const profile = found ? { code: found.code, version: found.version, profile: found.profile } : null;
  const resolved = resolveScenario(dataset, {
    ...(council ? { council } : {}),
    profile,
    overrides,
  });
  if ((options.requireProfile || profile?.profile.requireProfile) && resolved.missing.length > 0) {
    throw new InvalidInput(
      resolved.missing.map((path) => ({
        path: `profile.${path}`,
        code: 'profile_missing',
        message: council
          ? `council ${council}'s profile ${profile ? `(v${profile.version}) ` : ''}does not give ${path}, and a profile is required: PUT /councils/${council} with it`
          : `the dataset belongs to no council, so ${path} would come from an example, and a profile is required`,
      })),
      'the council profile is required and lacks these fields: nothing was queued',
    );
  }
  const parsed = parseScenario(resolved.scenario, { strict: true });
  if (!parsed.ok) {
    throw new InvalidInput(
      parsed.issues.map((i) => ({ ...i, path: `overrides.${i.path}` })),
      'the dataset with these overrides does not make a valid scenario',
    );
  }
  return parsed.value;
}

/** Recorded monthly stock of one series from a dataset, for the history part of a chart ([] when there is none). */
export async function recordedHistory(
  store: Store,
  datasetId: string | undefined,
  series: Series,
): Promise<{ month: string; value: number }[]> {
  if (!datasetId) return [];
  const record = await store.get<DatasetSummary>(KIND.dataset, datasetId);
  if (!record) return [];
  let dataset: Dataset;
  try {
    dataset = await loadDataset(store, record);
  } catch {
    return [];
  }
  return stockByMonth(dataset).map((m) => ({
    month: m.month,
    value: series === 'total' ? m.total : (m.byCategory[series] ?? 0),
  }));
}

/** Store a dataset: the detail and the children as blobs (parts first), then the summary item. */
export async function saveDataset(
  store: Store,
  dataset: Dataset,
  meta: {
    id: string;
    format: DatasetSummary['format'];
    mode: DatasetSummary['mode'];
    contentHash: string;
    createdAt: string;
    createdBy?: string;
    council?: string;
  },
): Promise<StoredRecord<DatasetSummary>> {
  const { children, ...detail } = dataset;
  const summary: DatasetSummary = {
    format: meta.format,
    mode: meta.mode,
    contentHash: meta.contentHash,
    ...(meta.council !== undefined ? { council: meta.council } : {}),
    period: detail.period,
    counts: detail.counts,
    quality: { errors: detail.quality.errors, warnings: detail.quality.warnings, counts: detail.quality.counts },
    stock: detail.stock,
  };
  return store.create(
    {
      kind: KIND.dataset,
      id: meta.id,
      createdAt: meta.createdAt,
      ...(meta.createdBy !== undefined ? { createdBy: meta.createdBy } : {}),
      summary,
    },
    { detail, children },
  );
}
