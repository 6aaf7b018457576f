/**
 * What a clumsy or hostile client found against the running service (docs/hardening.md, "Attack of 7 December
 * 2026"): each answers a clear 4xx naming what is wrong, without waiting for a body it will refuse, and the service
 * keeps answering.
 */
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { rawStore } from '#functions/store/index';
import { useLocalService } from '../support/local-service.js';
import { history, recordsAt } from './records-fixture.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SCENARIO_TEXT = readFileSync(join(ROOT, 'data/scenarios/peterborough-2018.json'), 'utf8');
const small = () => JSON.stringify({ ...JSON.parse(SCENARIO_TEXT), runs: 20, horizonMonths: 12 });

const { service, call } = useLocalService();

/** Sends the request head only (and perhaps a few bytes), then waits for the first answer line. */
function headOnly(head: string): Promise<string> {
  const u = new URL(service().url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname);
    let got = '';
    socket.on('data', (d) => {
      got += d.toString('latin1');
      if (got.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(got);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
    socket.write(head);
  });
}

describe('attack of 7 December 2026: bodies', () => {
  it('a Content-Length past the gateway limit is a 413 at once, before any of the body is sent', async () => {
    const answer = await headOnly(
      `POST /datasets HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${service().tokens['data-manager']}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 2147483648\r\n\r\n',
    );
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
    expect(answer.toLowerCase()).toContain('connection: close');
    expect((await call('GET', '/health')).status).toBe(200);
  });

  it('a JSON body with a byte-order mark (a file saved by Notepad) is read as the CLI reads it', async () => {
    const r = await call('POST', '/scenarios', {
      token: service().tokens.finance,
      raw: `\uFEFF${small()}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(202);
  });

  it('a compressed body is a 415 naming the Content-Encoding, not "not valid JSON"', async () => {
    const res = await fetch(`${service().url}/scenarios`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${service().tokens.finance}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: gzipSync(small()),
    });
    expect(res.status).toBe(415);
    const body = await res.json();
    expect(body.error).toBe('UnsupportedMediaType');
    expect(body.message).toBe('the body is sent with Content-Encoding "gzip": send it uncompressed');
  });
});

describe('attack of 7 December 2026: an upload cut off between its two writes', () => {
  it('a retry of an upload stored but never made current (the store failed in between) makes it current', async () => {
    const dm = () => service().tokens['data-manager'];
    const all = history(40, 3);
    const older = await call('POST', '/datasets', {
      token: dm(),
      body: { format: 'records', ...recordsAt(all, '2016-03-31') },
    });
    expect(older.status).toBe(201);
    expect(older.body.current).toBe(true);
    const newer = { format: 'records', ...recordsAt(all, '2017-03-31') };
    // the dataset is written, then the store drops the connection as the pointer to it is written
    const store = rawStore();
    const update = store.update.bind(store);
    const spy = vi.spyOn(store, 'update').mockImplementation(async (kind, ...rest) => {
      if (kind === 'current-dataset') {
        spy.mockRestore();
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      }
      return update(kind, ...rest);
    });
    const cut = await call('POST', '/datasets', { token: dm(), body: newer });
    expect(cut.status).toBe(503);
    // the client retries: the same content is the same dataset, and it now becomes current as the first try would have
    const retry = await call('POST', '/datasets', { token: dm(), body: newer });
    expect(retry.status).toBe(200);
    expect(retry.body.id).not.toBe(older.body.id);
    expect(retry.body.current).toBe(true);
    const listed = await call('GET', '/datasets', { token: dm() });
    expect(listed.body.items.filter((d: { current: boolean }) => d.current).map((d: { id: string }) => d.id)).toEqual([
      retry.body.id,
    ]);
    // a person's later choice is not undone by a further retry of the same upload
    expect((await call('POST', `/datasets/${older.body.id}/current`, { token: dm() })).status).toBe(200);
    const again = await call('POST', '/datasets', { token: dm(), body: newer });
    expect(again.status).toBe(200);
    expect(again.body.current).toBe(false);
  });
});
