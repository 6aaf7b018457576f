/** Code checks for one episode row in its collection year (docs/SSDA903.md rule 6), shared by the reader and the cleaner. */
import { categoryOf903, type Category } from '../../placement.js';
import { LS_CODES, PROVIDER_CODES, REC_CODES, RNE_CODES, checkPlaceCode, unknownCodeMessage } from './codes.js';
import type { RawEpisode } from './raw.js';

const RNE = new Set<string>(RNE_CODES);
const LS = new Set<string>(LS_CODES);
const PROVIDERS = new Set<string>(PROVIDER_CODES);
const REC = new Set<string>(REC_CODES);

export type EpisodeCheck =
  | { ok: true; category: Category }
  | { ok: false; column: string; code: string; message: string };

export function checkEpisodeCodes(ep: RawEpisode, collectionYear: number): EpisodeCheck {
  let category: Category | undefined = ep.category;
  if (category === undefined) {
    if (ep.place === '') return { ok: false, column: 'PLACE', code: 'missing-value', message: 'missing PLACE' };
    const check = checkPlaceCode(ep.place, collectionYear);
    if (!check.ok)
      return {
        ok: false,
        column: 'PLACE',
        code: check.reason === 'unknown' ? 'unknown-code' : 'invalid-code-for-year',
        message: check.message,
      };
    if (ep.provider !== '' && !PROVIDERS.has(ep.provider))
      return {
        ok: false,
        column: 'PLACE_PROVIDER',
        code: 'unknown-code',
        message: unknownCodeMessage('PLACE_PROVIDER', ep.provider),
      };
    category = categoryOf903(ep.place, ep.provider === '' ? undefined : ep.provider);
    if (category === undefined)
      return { ok: false, column: 'PLACE', code: 'unknown-code', message: unknownCodeMessage('PLACE', ep.place) };
  }
  if (ep.rne !== '' && !RNE.has(ep.rne))
    return { ok: false, column: 'RNE', code: 'unknown-code', message: unknownCodeMessage('RNE', ep.rne) };
  if (ep.ls !== '' && !LS.has(ep.ls))
    return { ok: false, column: 'LS', code: 'unknown-code', message: unknownCodeMessage('LS', ep.ls) };
  if (ep.rec !== null && !REC.has(ep.rec))
    return { ok: false, column: 'REC', code: 'unknown-code', message: unknownCodeMessage('REC', ep.rec) };
  return { ok: true, category };
}
