/**
 * Many records at once through a caller's view of the store (functions/tenancy.ts): what one read each would show,
 * in the order asked — another council's record is simply absent, as its GET would be a 404.
 */
import { describe, expect, it } from 'vitest';
import { KIND } from '#functions/records/kinds';
import { MemoryStore } from '#functions/store/memory';
import { scopedStore } from '#functions/tenancy';
import { datasetRecord, joinedCouncil } from '../fixtures/records.js';

describe('getMany through a caller’s view', () => {
  it('gives each caller exactly what one read each would, in the order asked', async () => {
    const base = new MemoryStore();
    await base.create({
      kind: KIND.region,
      id: 'east',
      createdAt: '2024-01-01T00:00:00Z',
      tenant: 'region:east',
      summary: { name: 'East', councils: ['E06000031', 'E10000003'] },
    });
    // both councils joined the region on their profiles (a region's users read only councils that did)
    for (const code of ['E06000031', 'E10000003']) await base.create(joinedCouncil(code, 'east'));
    await base.create(datasetRecord('ds_a', 'E06000031'));
    await base.create(datasetRecord('ds_b', 'E10000003'));
    await base.create(datasetRecord('ds_c', 'E09000001'));
    const ids = ['ds_c', 'ds_a', 'none', 'ds_b'];

    const views = {
      council: scopedStore(base, { tenant: { council: 'E10000003' } }),
      region: scopedStore(base, { tenant: { region: 'east' } }),
      otherRegion: scopedStore(base, { tenant: { region: 'west' } }),
      nobody: scopedStore(base, { tenant: undefined }),
    };
    const seen = async (v: keyof typeof views) => (await views[v].getMany(KIND.dataset, ids)).map((r) => r?.id);
    expect(await seen('council')).toEqual([undefined, undefined, undefined, 'ds_b']);
    expect(await seen('region')).toEqual([undefined, 'ds_a', undefined, 'ds_b']);
    expect(await seen('otherRegion')).toEqual([undefined, undefined, undefined, undefined]);
    expect(await seen('nobody')).toEqual([undefined, undefined, undefined, undefined]);
    for (const v of Object.keys(views) as (keyof typeof views)[]) {
      const one = await Promise.all(ids.map((id) => views[v].get(KIND.dataset, id)));
      expect(await views[v].getMany(KIND.dataset, ids)).toEqual(one);
    }
  });
});
