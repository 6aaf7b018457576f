import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, WORKERS } from '#functions/routes';
import { missingHandlerFiles, PROJECT_ROOT } from '#lib/stack';
import { functionsById, resources, synthesise, type Synthesised } from './synth.js';

describe('route table ↔ deployed functions', () => {
  it('has a handler file for every route and worker', () => {
    // names the missing files, so a failure says whose handler has not landed yet
    expect(missingHandlerFiles(PROJECT_ROOT)).toEqual([]);
  });

  it('gives the secrets to exactly the handlers whose code needs them', () => {
    // a handler that hashes child ids without the salt's secret fails on AWS; one that hands out cursors without the
    // cursor key signs them with a key of its container's own, which the next container refuses
    for (const def of [...ROUTES, ...WORKERS]) {
      const source = readFileSync(join(PROJECT_ROOT, def.handler), 'utf8');
      expect(/\bdataSalt\(/.test(source), `${def.id} uses dataSalt()`).toBe(def.access.dataSalt === true);
      const handsOutCursors = /cursor: page\.cursor|encodePositionCursor\(/.test(source);
      expect(handsOutCursors, `${def.id} answers with a cursor`).toBe(def.access.cursors === true);
    }
  });

  describe('in the template', () => {
    let s: Synthesised;
    beforeAll(() => {
      s = synthesise();
    });

    it('deploys one function per route and worker, and no handler function that the table does not name', () => {
      const deployed = [...functionsById(s.template).keys()].sort();
      expect(deployed).toEqual([...ROUTES, ...WORKERS].map((d) => d.id).sort());
      // the only other functions are CDK's deploy-time helpers: copy web/ into the dashboard bucket, empty it on delete
      const tagged = new Set([...functionsById(s.template).values()].map(([fnId]) => fnId));
      const untagged = resources(s.template, 'AWS::Lambda::Function').filter(([id]) => !tagged.has(id));
      expect(untagged.map(([id]) => id).sort()).toEqual([
        expect.stringMatching(/^CustomCDKBucketDeployment/),
        expect.stringMatching(/^CustomS3AutoDeleteObjectsCustomResourceProvider/),
      ]);
    });

    it('wires every route to the function of the same id', () => {
      const fns = functionsById(s.template);
      const integrations = new Map(resources(s.template, 'AWS::ApiGatewayV2::Integration'));
      const routes = resources(s.template, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties!);
      for (const route of ROUTES) {
        const apiRoute = routes.find((r) => r.RouteKey === `${route.method} ${route.path}`);
        expect(apiRoute, route.id).toBeDefined();
        const integrationId = (apiRoute!.Target as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1][1] as {
          Ref: string;
        };
        const integration = integrations.get(integrationId.Ref);
        expect(integration?.Properties).toMatchObject({
          IntegrationType: 'AWS_PROXY',
          PayloadFormatVersion: '2.0',
          IntegrationUri: { 'Fn::GetAtt': [fns.get(route.id)![0], 'Arn'] },
        });
      }
    });

    it('builds each function from the handler file the table names', () => {
      for (const def of [...ROUTES, ...WORKERS]) {
        expect(s.stack.functions.get(def.id)?.entry, def.id).toBe(join(PROJECT_ROOT, def.handler));
      }
    });
  });
});
