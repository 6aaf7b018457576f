/**
 * PUT /regions/{id}: create or replace a region — a named set of councils that plan together, in rota order. A council
 * is in a region only with its own consent: every council listed must have a current profile whose `region` is {id}
 * (set by the council's own data manager, PUT /councils/{code}); a council that has not joined, or has left since it
 * was listed, is a 403 naming it, nothing stored. A council belongs to one region at most (its NTS rota and shared
 * places are that region's): naming a council that another region holds is a 409 naming both. Only the region's own
 * data managers (a token for region {id}) define it.
 */
import { RegionDefinitionSchema, REGION_ID_RE } from '#models/region/schema';
import { Conflict, Forbidden, InvalidInput } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { KIND } from '#functions/records/kinds';
import { COUNCIL_KIND, type CouncilSummary } from '#functions/records/council';
import { allRegions, type RegionSummary, regionView } from '#functions/records/region';
import { getStore, rawStore } from '#functions/store/index';

export const handler = httpRoute('PutRegion', { body: RegionDefinitionSchema }, async (req) => {
  const store = getStore();
  const id = req.params.id ?? '';
  if (!REGION_ID_RE.test(id))
    throw new InvalidInput([
      { path: 'id', code: 'invalid_string', message: 'a region id is 1–63 lower-case letters, digits or hyphens' },
    ]);
  const tenant = req.principal?.tenant;
  if (tenant?.region !== id) throw new Forbidden(`only region ${id}'s own users may define it`);
  const { name, councils } = req.body;
  // Consent: each council's current profile names this region. Read from the whole store (the councils are not yet
  // the region's, so its users cannot see them), one batch read of the councils' head records. Every council listed is
  // checked, whether newly named or listed before and left since (refused the same way: the list stored is exactly
  // the list asked for, never silently shortened). 403, not 409: as for "only region X's own users may define it", the
  // caller lacks the authority (over another tenant's data); only the council's data manager can give it, and no
  // change of the region's own state would. The codebase keeps 409 for state that conflicts (a council that is in
  // another region, a record that is not complete yet, an Idempotency-Key reused).
  const heads = await rawStore().getMany<CouncilSummary>(COUNCIL_KIND.head, councils);
  const notJoined = councils.filter((_, i) => heads[i]?.summary.region !== id);
  if (notJoined.length)
    throw new Forbidden(
      `a council is in a region only with its own consent; not joined to region ${id}: ${notJoined
        .map((c) => `${c} (its data manager sets region: "${id}" on its profile: PUT /councils/${c})`)
        .join('; ')}. Nothing was stored`,
    );
  // every region, whoever owns it: a council is in one region at most. With consent checked first, another region
  // holds a council that named this one only when the council's leaving did not finish (a list written before the
  // rule, or a write that failed after its profile was stored): the council's data manager finishes it.
  for (const other of await allRegions(rawStore())) {
    if (other.id === id) continue;
    const shared = councils.filter((c) => other.summary.councils.includes(c));
    if (shared.length)
      throw new Conflict(
        `council ${shared.join(', ')} already belongs to region ${other.id}: a council is in one region at most (it leaves region ${other.id} when its data manager PUTs its profile naming this region again)`,
      );
  }
  const summary: RegionSummary = { name, councils };
  if (await store.update<RegionSummary>(KIND.region, id, { summary })) {
    const record = await store.get<RegionSummary>(KIND.region, id);
    return ok(regionView(record!), 200);
  }
  const record = await store.create({
    kind: KIND.region,
    id,
    createdAt: req.now.toISOString(),
    ...(req.principal ? { createdBy: req.principal.sub } : {}),
    summary,
  });
  return { ...ok(regionView(record), 201), headers: { location: `/regions/${id}` } };
});
