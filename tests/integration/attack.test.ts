/**
 * What a clumsy or hostile client found against the running service (docs/hardening.md, "Attack of 7 December
 * 2026"): each answers a clear 4xx naming what is wrong, without waiting for a body it will refuse, and the service
 * keeps answering.
 */
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useLocalService } from '../support/local-service.js';

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
