import { httpRoute } from '#functions/http/handler';
import { getStore } from '#functions/store/index';

export const handler = httpRoute('Health', {}, async (req) => {
  try {
    await getStore().ping();
    return { statusCode: 200, body: { status: 'ok', store: 'reachable', time: req.now.toISOString() } };
  } catch (e) {
    req.logger.warn('store unreachable', { errorName: (e as Error)?.name });
    return { statusCode: 503, body: { status: 'degraded', store: 'unreachable', time: req.now.toISOString() } };
  }
});
