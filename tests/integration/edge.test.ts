/**
 * The edges that need no emulator: how claims arrive from API Gateway's authorizer, how a crashed run is reported,
 * and how errors become HTTP (a 500 carries only the request id).
 */
import { describe, expect, it } from 'vitest';
import { parseGroups, principalFrom } from '#functions/http/auth';
import { errorResponse } from '#functions/http/handler';
import { InvalidInput, NotFound } from '#functions/errors';
import type { ScenarioSummary } from '#functions/records/scenario';
import { effectiveStatus } from '#functions/records/status';

describe('claims from the authorizer', () => {
  it('reads cognito:groups in every shape API Gateway and tokens use', () => {
    expect(parseGroups('[finance viewer]')).toEqual(['finance', 'viewer']);
    expect(parseGroups('["finance","viewer"]')).toEqual(['finance', 'viewer']);
    expect(parseGroups(['commissioner'])).toEqual(['commissioner']);
    // names are matched whole: a comma or a space inside a name never makes two groups
    expect(parseGroups('data-manager,viewer')).toEqual(['data-manager,viewer']);
    expect(parseGroups('[viewer,finance]')).toEqual(['viewer,finance']);
    expect(parseGroups('viewer finance')).toEqual(['viewer finance']);
    expect(parseGroups(undefined)).toEqual([]);
  });

  it('keeps only known roles and needs a subject', () => {
    const event = {
      requestContext: {
        authorizer: { jwt: { claims: { sub: 'u1', 'cognito:groups': '[finance admins]' }, scopes: null } },
      },
    };
    expect(principalFrom(event as never)).toEqual({ sub: 'u1', username: 'u1', roles: ['finance'] });
    expect(
      principalFrom({ requestContext: { authorizer: { jwt: { claims: {}, scopes: null } } } } as never),
    ).toBeUndefined();
  });
});

describe('a run whose worker died', () => {
  const running: ScenarioSummary = {
    name: 'n',
    status: 'running',
    progress: 40,
    runs: 1,
    horizonMonths: 1,
    start: '2018-04',
    heartbeatAt: '2026-01-01T00:00:00.000Z',
  };

  it('is reported failed once its heartbeat is older than the limit, and not before', () => {
    const limitSeconds = 1200;
    const atLimit = new Date(Date.parse('2026-01-01T00:00:00.000Z') + limitSeconds * 1000);
    expect(effectiveStatus(running, running.heartbeatAt as string, atLimit, limitSeconds).status).toBe('running');
    const after = new Date(atLimit.getTime() + 1);
    const seen = effectiveStatus(running, running.heartbeatAt as string, after, limitSeconds);
    expect(seen.status).toBe('failed');
    expect(seen.reason).toBe('stalled: no sign of life from the worker since 2026-01-01T00:00:00.000Z');
    const done = { ...running, status: 'complete' as const };
    expect(effectiveStatus(done, running.heartbeatAt as string, after, limitSeconds)).toBe(done);
  });
});

describe('errors as HTTP', () => {
  it('maps typed errors to their status with the request id, and anything else to a bare 500', () => {
    expect(errorResponse(new NotFound('no scenario x'), 'r1')).toEqual({
      statusCode: 404,
      body: { error: 'NotFound', message: 'no scenario x', requestId: 'r1' },
    });
    const invalid = errorResponse(
      new InvalidInput([{ file: 'episodes.csv', row: 3, column: 'DECOM', code: 'bad-date', message: 'not a date' }]),
      'r2',
    );
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toMatchObject({
      error: 'InvalidInput',
      requestId: 'r2',
      issues: [{ file: 'episodes.csv', row: 3, column: 'DECOM' }],
    });
    const crash = errorResponse(new TypeError("cannot read 'x' of child 123456"), 'r3');
    expect(crash).toEqual({ statusCode: 500, body: { error: 'InternalError', requestId: 'r3' } });
    const refused = errorResponse(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), 'r4');
    expect(refused.statusCode).toBe(503);
  });
});
