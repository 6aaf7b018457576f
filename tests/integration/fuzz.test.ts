/**
 * Property-based fuzzing of every route: random and mutated ids, cursors, queries, headers and bodies
 * against the local service. No answer is a 5xx, none carries a stack trace or an internal path, and none echoes a
 * child identifier, date of birth or UPN that the request carried. Bounded for `npm test` (FUZZ_RUNS, default 200);
 * `npm run fuzz` is the long run with counts by status.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useLocalService } from '../support/local-service.js';
import { fuzzRequest, problemsOf, send } from '../fuzz/requests.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const { service, call } = useLocalService({ workers: 1 });

describe('fuzzing every route of the route table', () => {
  it(`answers ${RUNS} fuzzed requests with no 5xx, no stack, no child data echoed`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (req) => {
        const { status, text } = await send(service().url, service().tokens, req);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        expect(problemsOf(req, status, text)).toEqual([]);
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 10), endOnFailure: true },
    );
    // the fuzz reached past the gateway: refusals by the handlers, not only 401s
    expect([...statuses.keys()].some((s) => s === 400 || s === 422)).toBe(true);
    expect((await call('GET', '/health')).status).toBe(200);
  });
});
