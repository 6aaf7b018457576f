/**
 * The keys a deployed function reads from Secrets Manager at cold start (functions/config.ts#loadKeys), with a stub
 * client: no network. Read once per container and only when the stack named a secret, awaited by every HTTP handler
 * before it runs; a failure is a 503 and is not remembered; no public default salt on a deployed stage.
 */
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cursorSecret,
  dataSalt,
  deriveCursorSecret,
  loadKeys,
  PUBLIC_DEFAULT_SALT,
  resetConfig,
  type SecretsClient,
  setSecretsClient,
  useKeys,
} from '#functions/config';
import { type HttpEvent, httpRoute, ok } from '#functions/http/handler';

const SALT_ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:DataSalt-AbCdEf';
const CURSOR_ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:CursorKey-GhIjKl';
const SALT_VALUE = 'S'.repeat(30) + 'alt-from-secrets-manager-0123456789';
const CURSOR_VALUE = 'C'.repeat(30) + 'ursor-key-from-secrets-manager-0123';

/** A Secrets Manager stand-in: the values by ARN, and every SecretId asked for. */
function stub(values: Record<string, string>, fail = 0): SecretsClient & { asked: string[] } {
  const asked: string[] = [];
  let failures = fail;
  return {
    asked,
    async send(command) {
      const id = command.input.SecretId ?? '';
      asked.push(id);
      if (failures > 0) {
        failures--;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      const value = values[id];
      if (value === undefined) throw Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
      return { SecretString: value };
    },
  };
}

const saved = { ...process.env };
const deployed = (extra: Record<string, string> = {}) => {
  process.env = { TABLE_NAME: 't', STAGE: 'prod', AWS_REGION: 'eu-west-2', ...extra };
  resetConfig();
};
beforeEach(() => deployed());
afterEach(() => {
  process.env = { ...saved };
  resetConfig();
  setSecretsClient(undefined);
});

describe('keys from Secrets Manager', () => {
  it('reads each named secret once per container and uses its value as the salt and the cursor key', async () => {
    deployed({ DATA_SALT_SECRET_ARN: SALT_ARN, CURSOR_SECRET_ARN: CURSOR_ARN });
    const sm = stub({ [SALT_ARN]: SALT_VALUE, [CURSOR_ARN]: CURSOR_VALUE });
    setSecretsClient(sm);
    // before the load: a loud error, never a default
    expect(() => dataSalt()).toThrow('DATA_SALT_SECRET_ARN is set but its secret has not been read');
    expect(() => cursorSecret()).toThrow('CURSOR_SECRET_ARN is set but its secret has not been read');
    await loadKeys();
    expect(dataSalt()).toBe(SALT_VALUE);
    expect(cursorSecret()).toBe(CURSOR_VALUE);
    await loadKeys();
    await loadKeys();
    expect(sm.asked.sort()).toEqual([CURSOR_ARN, SALT_ARN].sort());
  });

  it('reads only the secret a function was given, and none when it was given none', async () => {
    deployed({ DATA_SALT_SECRET_ARN: SALT_ARN });
    const sm = stub({ [SALT_ARN]: SALT_VALUE });
    setSecretsClient(sm);
    await loadKeys();
    expect(sm.asked).toEqual([SALT_ARN]);
    expect(dataSalt()).toBe(SALT_VALUE);
    // no cursor secret: a key of this process's own (good only inside it), never one derived from the salt
    const own = cursorSecret();
    expect(own).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(own).not.toBe(deriveCursorSecret(SALT_VALUE));
    expect(own).not.toBe(deriveCursorSecret(PUBLIC_DEFAULT_SALT));
    expect(cursorSecret()).toBe(own);

    deployed();
    const none = stub({});
    setSecretsClient(none);
    await loadKeys();
    expect(none.asked).toEqual([]);
  });

  it('has no salt on a deployed stage without the secret: an error, not the public default', () => {
    expect(() => dataSalt()).toThrow('this function hashes child ids but has no salt');
    // locally (tests, a handler called directly) the public default stands in
    process.env = { TABLE_NAME: 't' };
    resetConfig();
    expect(dataSalt()).toBe(PUBLIC_DEFAULT_SALT);
    // the local runtime's own salt wins over both
    useKeys({ dataSalt: 'the-folder-salt-0123456789' });
    expect(dataSalt()).toBe('the-folder-salt-0123456789');
  });

  it('refuses a secret that holds no usable string', async () => {
    deployed({ DATA_SALT_SECRET_ARN: SALT_ARN });
    setSecretsClient(stub({ [SALT_ARN]: 'short' }));
    await expect(loadKeys()).rejects.toThrow('the secret DATA_SALT_SECRET_ARN names holds no usable string');
    expect(() => dataSalt()).toThrow('has not been read');
  });
});

describe('an HTTP handler', () => {
  const event = (): HttpEvent =>
    ({
      requestContext: { requestId: 'req-1', http: { method: 'GET', path: '/health' } },
      headers: {},
      rawPath: '/health',
    }) as unknown as HttpEvent;
  const context = { awsRequestId: 'aws-1' } as Context;
  // any route's handler shows it; Health is public, so no token is needed
  const handler = httpRoute('Health', {}, async () => ok({ salt: dataSalt(), cursor: cursorSecret() }));

  it('reads the secrets before its handler runs, once per container', async () => {
    deployed({ DATA_SALT_SECRET_ARN: SALT_ARN, CURSOR_SECRET_ARN: CURSOR_ARN });
    const sm = stub({ [SALT_ARN]: SALT_VALUE, [CURSOR_ARN]: CURSOR_VALUE });
    setSecretsClient(sm);
    for (let i = 0; i < 3; i++) {
      const res = (await handler(event(), context)) as { statusCode: number; body: string };
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ salt: SALT_VALUE, cursor: CURSOR_VALUE });
    }
    expect(sm.asked).toHaveLength(2);
  });

  it('answers 503 when Secrets Manager fails, and reads again on the next request', async () => {
    deployed({ DATA_SALT_SECRET_ARN: SALT_ARN });
    const sm = stub({ [SALT_ARN]: SALT_VALUE }, 1);
    setSecretsClient(sm);
    const failed = (await handler(event(), context)) as { statusCode: number; body: string };
    expect(failed.statusCode).toBe(503);
    expect(JSON.parse(failed.body)).toMatchObject({
      error: 'Unavailable',
      message: 'the service could not read its keys; try again shortly',
      requestId: 'req-1',
    });
    // the body never carries the secret's name or value
    expect(failed.body).not.toContain('secretsmanager');
    const next = (await handler(event(), context)) as { statusCode: number; body: string };
    expect(next.statusCode).toBe(200);
    expect(JSON.parse(next.body).salt).toBe(SALT_VALUE);
    expect(sm.asked).toEqual([SALT_ARN, SALT_ARN]);
  });
});
