/**
 * What the fuzzer (tests/fuzz/requests.ts, `npm run fuzz` and tests/integration/fuzz.test.ts) counts as a problem in
 * an answer: a 5xx, a stack or a path inside the service wherever it runs, a child's value sent in the request, also in
 * the form the reader writes it back (a DOB as an ISO date, a postcode without its space).
 */
import { describe, expect, it } from 'vitest';
import { type FuzzRequest, PII, problemsOf } from '../fuzz/requests.js';

const upload: FuzzRequest = {
  route: 'CreateDataset',
  method: 'POST',
  path: '/datasets',
  role: 'data-manager',
  headers: {},
  body: JSON.stringify({
    format: 'ssda903',
    files: { 'episodes.csv': `CHILD,DECOM,HOME_POST\n${PII[0]},${PII[1]},${PII[3]}\n` },
  }),
};

describe("the fuzzer's checks of an answer", () => {
  it('passes a clean refusal', () => {
    const text = JSON.stringify({
      error: 'InvalidInput',
      issues: [{ file: 'episodes.csv', row: 2, message: 'missing RNE' }],
    });
    expect(problemsOf(upload, 422, text)).toEqual([]);
  });

  it('finds the values sent, as sent and as the reader writes them', () => {
    expect(problemsOf(upload, 422, `{"message":"child ${PII[0]} born ${PII[1]}"}`)).toEqual([
      '918273 echoed by CreateDataset',
      '03/07/2009 echoed by CreateDataset',
    ]);
    // missed before: the DOB read into an ISO date, the postcode as sibling groups key it, and the postcode at all
    expect(problemsOf(upload, 422, '{"message":"DECOM 2009-07-03, home PE99ZZ or PE9 9ZZ"}')).toEqual([
      '03/07/2009 echoed by CreateDataset (as 2009-07-03)',
      'PE9 9ZZ echoed by CreateDataset',
      'PE9 9ZZ echoed by CreateDataset (as PE99ZZ)',
    ]);
  });

  it('finds stacks and paths of the deployed service, not only of this machine', () => {
    for (const leak of [
      'TypeError: x\n    at readWorkbook (index.mjs:4:10)',
      'failed in /var/task/index.mjs',
      'at file:///srv/app/models/ingest/upload.js',
      'upload.js:212:7',
      '/opt/nodejs/node_modules/exceljs/lib/xlsx.js',
    ])
      expect(problemsOf(upload, 400, JSON.stringify({ message: leak })), leak).toEqual([
        'stack or internal path in CreateDataset',
      ]);
    expect(problemsOf(upload, 500, '{"error":"InternalError"}')).toEqual(['500 for POST /datasets']);
  });
});
