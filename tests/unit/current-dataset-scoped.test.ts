/**
 * A council's current dataset seen through a region's view of the store: with no current pointer (the demo data loaded
 * at start-up, a store from before pointers) it is the council's newest upload, which a region's users find by naming
 * the council in the list (functions/tenancy.ts) — and only for the region's own councils.
 */
import { describe, expect, it } from 'vitest';
import { currentDataset } from '#functions/records/current-dataset';
import { KIND } from '#functions/records/kinds';
import { MemoryStore } from '#functions/store/memory';
import { scopedStore } from '#functions/tenancy';
import { datasetRecord, joinedCouncil } from '../fixtures/records.js';

describe('current dataset through a region’s view', () => {
  it('finds a member council’s newest dataset without a pointer, never another council’s', async () => {
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
    await base.create(datasetRecord('ds_a1', 'E06000031', '2024-02-01T00:00:00Z'));
    await base.create(datasetRecord('ds_b1', 'E10000003', '2024-03-01T00:00:00Z'));
    await base.create(datasetRecord('ds_a2', 'E06000031', '2024-04-01T00:00:00Z'));
    await base.create(datasetRecord('ds_c1', 'E09000001', '2024-05-01T00:00:00Z'));

    const region = scopedStore(base, { tenant: { region: 'east' } });
    expect((await currentDataset(region, 'E06000031'))?.id).toBe('ds_a2');
    expect((await currentDataset(region, 'E10000003'))?.id).toBe('ds_b1');
    // not a council of the region: nothing, though the dataset exists
    expect(await currentDataset(region, 'E09000001')).toBeUndefined();
    expect((await currentDataset(base, 'E09000001'))?.id).toBe('ds_c1');
    // a council's users list their own records only, whatever tenant they name
    const council = scopedStore(base, { tenant: { council: 'E10000003' } });
    expect((await council.list(KIND.dataset, { limit: 10, tenant: 'council:E06000031' })).items).toEqual([]);
    expect((await currentDataset(council, 'E10000003'))?.id).toBe('ds_b1');
    // another region's users do not see the councils of this one
    const other = scopedStore(base, { tenant: { region: 'west' } });
    expect(await currentDataset(other, 'E06000031')).toBeUndefined();
    // a council still on the list whose profile now names another region: its datasets are no longer the region's
    await base.update(KIND.council, 'E10000003', { summary: joinedCouncil('E10000003', 'west').summary });
    const later = scopedStore(base, { tenant: { region: 'east' } });
    expect(await currentDataset(later, 'E10000003')).toBeUndefined();
    expect((await currentDataset(later, 'E06000031'))?.id).toBe('ds_a2');
  });
});
