/**
 * The `council` and `councilVersion` records: council profiles in the store, keyed by the ONS code so that every council-scoped record can be found from it.
 * Each PUT writes a new immutable version record (`councilVersion`, id `E06000031#v000003`, the profile as a blob)
 * and then moves the council's head record (`council`, id = the code) to it. Creating the version record is the
 * lock: two PUTs racing for the same version number cannot both win, and a PUT that died between the two writes is
 * repaired by the next one. Forecasts record the version they used; versions are never changed or deleted, so a
 * stored forecast keeps pointing at the profile it ran with.
 */
import { parseCouncilProfile, type CouncilProfile, type CouncilProfileVersion } from '#models/council';
import { PETERBOROUGH_CODE, PETERBOROUGH_PROFILE } from '#models/defaults';
import { Conflict } from '#functions/errors';
import type { Store, StoredRecord } from '#functions/store/store';
import { KIND } from './kinds.js';

export const COUNCIL_KIND = { head: KIND.council, version: KIND.councilVersion } as const;

export interface CouncilSummary {
  name: string;
  /** the current version */
  version: number;
  requireProfile: boolean;
  /**
   * the region the current version names (its consent to be in that region: PUT /regions/{id} reads it); null when
   * it names none (null, not absent: an update merges fields, so an absent one would keep the old value). Heads
   * written before the field existed have none, which reads as "names no region".
   */
  region?: string | null;
  updatedBy?: string;
}

export interface CouncilVersionSummary {
  code: string;
  version: number;
  name: string;
}

export const versionId = (code: string, version: number): string => `${code}#v${String(version).padStart(6, '0')}`;

/** Store a new version of a council's profile; returns its version number. */
export async function putCouncilProfile(
  store: Store,
  code: string,
  profile: CouncilProfile,
  meta: { now: Date; by?: string },
): Promise<{ version: number; created: boolean }> {
  const head = await store.get<CouncilSummary>(COUNCIL_KIND.head, code);
  let version = (head?.summary.version ?? 0) + 1;
  const createdAt = meta.now.toISOString();
  for (let attempt = 0; ; attempt++) {
    try {
      await store.create<CouncilVersionSummary>(
        {
          kind: COUNCIL_KIND.version,
          id: versionId(code, version),
          createdAt,
          ...(meta.by !== undefined ? { createdBy: meta.by } : {}),
          summary: { code, version, name: profile.name },
        },
        { profile },
      );
      break;
    } catch (e) {
      // another PUT took this number (or one died before moving the head): try the next number a few times
      if (!(e instanceof Conflict) || attempt >= 4) {
        if (e instanceof Conflict) throw new Conflict('the profile is being changed by another request; try again');
        throw e;
      }
      version++;
    }
  }
  const summary: CouncilSummary = {
    name: profile.name,
    version,
    requireProfile: profile.requireProfile,
    region: profile.region ?? null,
    ...(meta.by !== undefined ? { updatedBy: meta.by } : {}),
  };
  if (!head) {
    try {
      await store.create({ kind: COUNCIL_KIND.head, id: code, createdAt, summary });
      return { version, created: true };
    } catch (e) {
      if (!(e instanceof Conflict)) throw e;
    }
  }
  // never move the head backwards (a slower request with a lower version finishing last)
  const current = await store.get<CouncilSummary>(COUNCIL_KIND.head, code);
  if (!current || current.summary.version < version)
    await store.update<CouncilSummary>(COUNCIL_KIND.head, code, { summary });
  return { version, created: !head };
}

/** A council's profile: the current version, or the one asked for. Undefined when there is none. */
export async function getCouncilProfile(
  store: Store,
  code: string,
  version?: number,
): Promise<(CouncilProfileVersion & { head: StoredRecord<CouncilSummary>; updatedAt: string }) | undefined> {
  const head = await store.get<CouncilSummary>(COUNCIL_KIND.head, code);
  if (!head) return undefined;
  const v = version ?? head.summary.version;
  const record = await store.get<CouncilVersionSummary>(COUNCIL_KIND.version, versionId(code, v));
  if (!record) return undefined;
  const profile = await store.readBlob<CouncilProfile>(record, 'profile');
  if (!profile) return undefined;
  return { code, version: v, profile, head, updatedAt: record.createdAt };
}

/**
 * The Peterborough profile (models/defaults.ts, sources in docs/COUNCILS.md) as version 1, when the council has no
 * profile yet: what `npm start` gives the demo dataset to belong to, naming `region` when given (the demo region's
 * consent). Returns the version it holds.
 */
export async function ensureDemoCouncil(
  store: Store,
  now: Date,
  region?: string,
): Promise<{ code: string; version: number }> {
  const existing = await store.get<CouncilSummary>(COUNCIL_KIND.head, PETERBOROUGH_CODE);
  if (existing) return { code: PETERBOROUGH_CODE, version: existing.summary.version };
  const parsed = parseCouncilProfile({ ...PETERBOROUGH_PROFILE, ...(region !== undefined ? { region } : {}) });
  if (!parsed.ok)
    throw new Error(`the Peterborough profile in models/defaults.ts is not valid: ${parsed.issues[0]?.path}`);
  const { version } = await putCouncilProfile(store, PETERBOROUGH_CODE, parsed.value, { now });
  return { code: PETERBOROUGH_CODE, version };
}

/** A council: its head record, with the profile of the version asked for when it was read. */
export function councilView(
  head: StoredRecord<CouncilSummary>,
  found?: { version: number; profile: CouncilProfile; updatedAt: string },
) {
  return {
    code: head.id,
    name: found?.profile.name ?? head.summary.name,
    version: found?.version ?? head.summary.version,
    requireProfile: found?.profile.requireProfile ?? head.summary.requireProfile,
    createdAt: head.createdAt,
    updatedAt: found?.updatedAt ?? head.updatedAt,
    ...(found ? { profile: found.profile } : {}),
  };
}
