/**
 * PUT /councils/{code}: a council's profile (data-manager). The code must be an ONS local-authority code; the body is
 * validated whole (a 422 names every impossible field) and stored as a new version: forecasts already made keep the
 * version they ran with. The profile's `region` is the council's consent to be in that region: a profile that names
 * another region or none takes the council out of every region that lists it (after the profile is stored, on every
 * PUT, so a retry finishes what a failed one began); the response names them in `leftRegions`.
 */
import * as z from 'zod';
import { COUNCIL_CODE_RE, parseCouncilProfile } from '#models/council';
import { Forbidden, InvalidInput } from '#functions/errors';
import { currentScope } from '#functions/tenancy';
import { httpRoute, ok } from '#functions/http/handler';
import { getStore, rawStore } from '#functions/store/index';
import { councilView, getCouncilProfile, putCouncilProfile } from '#functions/records/council';
import { leaveRegions } from '#functions/records/region';

const AnyObject = z.record(z.string(), z.unknown(), { error: 'the body must be a JSON object' });

export const handler = httpRoute('PutCouncil', { body: AnyObject }, async (req) => {
  const code = req.params.code ?? '';
  if (!COUNCIL_CODE_RE.test(code))
    throw new InvalidInput([
      {
        path: 'code',
        code: 'invalid_format',
        message: 'must be an ONS local-authority code like E06000031 (E06–E09 or E10 and 6 digits)',
      },
    ]);
  // only the council's own users define its profile: refused before anything is validated or written
  const tenant = currentScope()?.tenant;
  if (tenant !== undefined && tenant.council !== code)
    throw new Forbidden(`only council ${code}'s own users may define its profile`);
  const parsed = parseCouncilProfile(req.body);
  if (!parsed.ok) throw new InvalidInput(parsed.issues, 'the profile is not valid: nothing was stored');
  const store = getStore();
  const { version, created } = await putCouncilProfile(store, code, parsed.value, {
    now: req.now,
    ...(req.principal ? { by: req.principal.sub } : {}),
  });
  const stored = await getCouncilProfile(store, code, version);
  if (!stored) throw new Error(`council ${code} v${version} vanished after it was written`);
  req.logger.info('council profile stored', { code, version });
  // the regions are not the council's records: the whole store, for this one change (the council's code only)
  const left = await leaveRegions(rawStore(), code, parsed.value.region);
  if (left.length) req.logger.info('council left its region', { code, regions: left });
  const body = councilView(stored.head, stored);
  return ok(left.length ? { ...body, leftRegions: left } : body, created ? 201 : 200);
});
