/** GET /councils: the councils with a profile (name, current version), paginated. */
import { httpRoute, ok } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { COUNCIL_KIND, type CouncilSummary, councilView } from '#functions/records/council';
import { pageParams } from './views.js';

export const handler = httpRoute('ListCouncils', {}, async (req) => {
  const page = await getStore().list<CouncilSummary>(COUNCIL_KIND.head, pageParams(req.query));
  return ok({
    items: page.items.map((r) => councilView(r)),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
});
