/**
 * The `region` record: a named set of councils that plan together, id the region's own ("eastern"). No
 * blobs. A council belongs to at most one region (its NTS rota and shared places are that region's).
 */
import type { StoredRecord } from '#functions/store/store';

export interface RegionSummary {
  name: string;
  /** ONS codes, in rota order */
  councils: string[];
}

export function regionView(r: StoredRecord<RegionSummary>) {
  return {
    id: r.id,
    name: r.summary.name,
    councils: r.summary.councils,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
