/** GET /councils/{code}: the council's current profile, or `?version=N` for an earlier one. */
import { BadRequest, NotFound } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { councilView, getCouncilProfile } from '#functions/records/council';

export const handler = httpRoute('GetCouncil', {}, async (req) => {
  const code = req.params.code ?? '';
  const raw = req.query.version;
  if (raw !== undefined && !/^[1-9]\d{0,5}$/.test(raw)) throw new BadRequest('version must be a whole number ≥ 1');
  const found = await getCouncilProfile(getStore(), code, raw === undefined ? undefined : Number(raw));
  if (!found)
    throw new NotFound(raw === undefined ? `no profile for council ${code}` : `council ${code} has no version ${raw}`);
  return ok(councilView(found.head, found));
});
