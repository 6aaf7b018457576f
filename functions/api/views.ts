/** Paging parameters shared by the list routes. The record views themselves live with their kinds in functions/records/. */
import { BadRequest } from '#functions/errors';

export function pageParams(query: Record<string, string>): { limit: number; cursor?: string } {
  const raw = query.limit ?? '20';
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > 100)
    throw new BadRequest('limit must be a whole number from 1 to 100');
  return query.cursor ? { limit, cursor: query.cursor } : { limit };
}

/** Paging plus `?createdBy=`: `me` is the caller's own records, any other value a token subject. */
export function listParams(
  query: Record<string, string>,
  caller: string | undefined,
): { limit: number; cursor?: string; createdBy?: string } {
  const by = query.createdBy === 'me' ? caller : query.createdBy;
  return { ...pageParams(query), ...(by !== undefined ? { createdBy: by } : {}) };
}
