import { httpRoute, ok } from '#functions/http/handler';
import { buildOpenApiDocument } from '#functions/schemas';

let document: unknown;

export const handler = httpRoute('OpenApi', {}, async () => {
  document ??= buildOpenApiDocument();
  return ok(document);
});
