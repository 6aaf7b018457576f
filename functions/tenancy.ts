/**
 * Tenancy: every stored record belongs to a council or a region, and every user to one council or one
 * region — a token claim (`custom:council` / `custom:region`, Cognito custom attributes; the local dev tokens carry the
 * same), never anything in the request body.
 *
 * - A council's users see and act on their council's records only: another council's id answers 404 and lists never
 *   show it. They see their region (GET /regions, /regions/{id}) but not its regional forecasts.
 * - A region's users see their region's records (the region, its regional forecasts) and read the records of the
 *   region's councils (their datasets, to forecast them together) — of the councils on its list whose current profile
 *   names the region (their consent: docs/regions.md); they create only region records.
 *
 * It is applied in one place: while a request is served, `getStore()` (functions/store/index.ts) hands out the store
 * scoped to the caller (`scopedStore` below), so every handler, and every helper it calls with that store, sees only
 * what the caller may see; records it creates are stamped with the caller's tenant. Jobs run outside any request and
 * use the store unscoped (they act on the records a request made).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Forbidden } from '#functions/errors';
import type { NewRecord, Page, Store, StoredRecord } from '#functions/store/store';
import { KIND } from '#functions/records/kinds';

export type Tenant = { council: string; region?: undefined } | { region: string; council?: undefined };

export const CLAIM_COUNCIL = 'custom:council';
export const CLAIM_REGION = 'custom:region';

/** The tenant named by a token's claims: a council code or a region id (a council wins if a token names both). */
export function tenantFromClaims(claims: Record<string, unknown>): Tenant | undefined {
  const council = claims[CLAIM_COUNCIL];
  if (typeof council === 'string' && council.trim() !== '') return { council: council.trim() };
  const region = claims[CLAIM_REGION];
  if (typeof region === 'string' && region.trim() !== '') return { region: region.trim() };
  return undefined;
}

/** The tenant as stored on a record: "council:E06000031" or "region:eastern". */
export const tenantKey = (t: Tenant): string =>
  t.council !== undefined ? `council:${t.council}` : `region:${t.region}`;

export const describeTenant = (t: Tenant): string =>
  t.council !== undefined ? `council ${t.council}` : `region ${t.region}`;

/**
 * Who owns a record of each kind. `council` / `region`: the caller's council or region (only such a caller may create
 * one). `region-itself` / `council-itself`: a region's or council's own definition, whose id is the region id or
 * the council code. Kinds not listed (internal ones made by jobs) belong to whoever made them.
 */
const OWNER: Record<string, 'council' | 'region' | 'region-itself' | 'council-itself'> = {
  dataset: 'council',
  scenario: 'council',
  forecast: 'council',
  comparison: 'council',
  'comparison-variant': 'council',
  target: 'council',
  'regional-forecast': 'region',
  region: 'region-itself',
  council: 'council-itself',
  'current-dataset': 'council-itself',
};

/** Kinds whose ids are not unique across councils (a monthly forecast's id is its month): stored as "<code>~<id>". */
const ID_PER_TENANT = new Set(['forecast']);

export interface RequestScope {
  tenant: Tenant | undefined;
  /** the councils of the caller's region (read once per request) */
  members?: Promise<readonly string[]>;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** Serve `fn` as the given caller: inside it, getStore() is scoped to the caller's tenant. */
export function runAsTenant<T>(tenant: Tenant | undefined, fn: () => Promise<T>): Promise<T> {
  return scopes.run({ tenant }, fn);
}

export function currentScope(): RequestScope | undefined {
  return scopes.getStore();
}

export const NO_TENANT = 'your token names no council or region (custom:council or custom:region)';

function noTenant(): Forbidden {
  return new Forbidden(NO_TENANT);
}

/** The store as the caller may see it (see the module comment). */
export function scopedStore(base: Store, scope: RequestScope): Store {
  const members = (): Promise<readonly string[]> => {
    const t = scope.tenant;
    if (t?.region === undefined) return Promise.resolve([]);
    scope.members ??= base.get<{ councils?: string[] }>(KIND.region, t.region).then(async (r) => {
      if (r?.tenant !== `region:${t.region}`) return [];
      const listed = r.summary.councils ?? [];
      // consent, checked on every read too: only the councils whose current profile names this region (a council that
      // left while the region was being written, or a list stored before consent was asked, shows nothing)
      const heads = listed.length > 0 ? await base.getMany<{ region?: string | null }>(KIND.council, listed) : [];
      return listed.filter((_, i) => heads[i]?.summary.region === t.region);
    });
    return scope.members;
  };
  const storedId = (kind: string, id: string): string => {
    const t = scope.tenant;
    if (!ID_PER_TENANT.has(kind) || t === undefined || id.includes('~')) return id;
    return `${t.council ?? t.region}~${id}`;
  };
  const shownId = <S>(r: StoredRecord<S>): StoredRecord<S> => {
    if (!ID_PER_TENANT.has(r.kind)) return r;
    const at = r.id.indexOf('~');
    return at < 0 ? r : { ...r, id: r.id.slice(at + 1) };
  };
  const visible = async (r: StoredRecord<unknown> | undefined): Promise<boolean> => {
    const t = scope.tenant;
    if (!r || !t || r.tenant === undefined) return false;
    if (r.tenant === tenantKey(t)) return true;
    if (t.council !== undefined) {
      // a council's users see the region their council belongs to
      if (r.kind !== 'region') return false;
      const councils = (r.summary as { councils?: string[] }).councils ?? [];
      return councils.includes(t.council);
    }
    // a region's users read the records of the region's councils
    if (!r.tenant.startsWith('council:')) return false;
    return (await members()).includes(r.tenant.slice('council:'.length));
  };
  const scopedGet = async <S>(kind: string, id: string): Promise<StoredRecord<S> | undefined> => {
    const r = await base.get<S>(kind, storedId(kind, id));
    return (await visible(r)) ? shownId(r!) : undefined;
  };

  return {
    ping: () => base.ping(),
    async getMany<S>(kind: string, ids: readonly string[]) {
      const records = await base.getMany<S>(
        kind,
        ids.map((id) => storedId(kind, id)),
      );
      return Promise.all(records.map(async (r) => ((await visible(r)) ? shownId(r!) : undefined)));
    },
    async create<S extends object>(record: NewRecord<S>, blobs?: Record<string, unknown>) {
      const t = scope.tenant;
      if (!t) throw noTenant();
      // a comparison or target search with a regional base is the region's (its summary says `regional`)
      const regional = (record.summary as { regional?: unknown } | undefined)?.regional;
      const owner = OWNER[record.kind] === 'council' && regional ? 'region' : OWNER[record.kind];
      if (owner === 'council' && t.council === undefined)
        throw new Forbidden(`a ${record.kind} belongs to a council: use a council's token, not ${describeTenant(t)}'s`);
      if (owner === 'region' && t.region === undefined)
        throw new Forbidden(`a ${record.kind} belongs to a region: use a region's token, not ${describeTenant(t)}'s`);
      if (owner === 'region-itself' && t.region !== record.id)
        throw new Forbidden(`only region ${record.id}'s own users may define it`);
      if (owner === 'council-itself' && t.council !== record.id)
        throw new Forbidden(`only council ${record.id}'s own users may define it`);
      const created = await base.create(
        { ...record, id: storedId(record.kind, record.id), tenant: tenantKey(t) },
        blobs,
      );
      return shownId(created);
    },
    get: scopedGet,
    // a record handed out with its id as the caller knows it: its blobs are under the stored id
    readBlob: (record, name) => base.readBlob({ ...record, id: storedId(record.kind, record.id) }, name),
    readBlobJson: (record, name) => base.readBlobJson({ ...record, id: storedId(record.kind, record.id) }, name),
    async update(kind, id, patch, options) {
      const r = await scopedGet(kind, id);
      // the caller may change only its own records (a region's users read its councils' records, never write them)
      if (!r || !scope.tenant || r.tenant !== tenantKey(scope.tenant)) return false;
      return base.update(kind, storedId(kind, id), patch, options);
    },
    async list<S>(kind: string, options: Parameters<Store['list']>[1]): Promise<Page<StoredRecord<S>>> {
      const t = scope.tenant;
      if (!t) throw noTenant();
      if (kind === 'region' && t.council !== undefined) {
        // a council's users list the region(s) their council belongs to (a handful of regions: read them all)
        const items: StoredRecord<S>[] = [];
        let cursor: string | undefined;
        do {
          const page = await base.list<S>(kind, { limit: 100, ...(cursor ? { cursor } : {}) });
          for (const r of page.items) if (await visible(r)) items.push(r);
          cursor = page.cursor;
        } while (cursor);
        return { items: items.slice(0, options.limit) };
      }
      // a region's users may list one of the region's councils' records by naming it (`tenant: "council:<code>"`)
      let tenant = tenantKey(t);
      if (options.tenant !== undefined && options.tenant !== tenant) {
        const code = options.tenant.startsWith('council:') ? options.tenant.slice('council:'.length) : undefined;
        if (t.region === undefined || code === undefined || !(await members()).includes(code)) return { items: [] };
        tenant = options.tenant;
      }
      const page = await base.list<S>(kind, { ...options, tenant });
      return { ...page, items: page.items.map(shownId) };
    },
    async delete(kind, id, options) {
      const r = await scopedGet(kind, id);
      if (!r || !scope.tenant || r.tenant !== tenantKey(scope.tenant)) return false;
      return base.delete(kind, storedId(kind, id), options);
    },
    claimIdempotency: (...a) => base.claimIdempotency(...a),
    completeIdempotency: (...a) => base.completeIdempotency(...a),
    releaseIdempotency: (...a) => base.releaseIdempotency(...a),
  };
}
