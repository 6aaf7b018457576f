/**
 * Clearing a council's current pointer before its dataset is deleted (functions/records/current-dataset.ts): only
 * while the pointer names that dataset (one conditional write), and with no pointer only when the dataset is the
 * newest; a cleared pointer leaves no dataset current (an older upload does not become current unasked).
 */
import { describe, expect, it } from 'vitest';
import { clearCurrentIf, clearedPointer, currentDataset, setCurrentDataset } from '#functions/records/current-dataset';
import { KIND } from '#functions/records/kinds';
import { MemoryStore } from '#functions/store/memory';
import { scopedStore } from '#functions/tenancy';
import { datasetRecord } from '../fixtures/records.js';

const C = 'E06000031';
const at = '2026-11-01T00:00:00.000Z';

async function setUp() {
  const base = new MemoryStore();
  await base.create(datasetRecord('ds_old', C, '2024-02-01T00:00:00Z'));
  await base.create(datasetRecord('ds_new', C, '2024-04-01T00:00:00Z'));
  return { base, store: scopedStore(base, { tenant: { council: C } }) };
}

describe('clearing the current pointer for a delete', () => {
  it('with no pointer: clears only for the newest upload, and then no older one becomes current', async () => {
    const { store } = await setUp();
    expect((await currentDataset(store, C))?.id).toBe('ds_new');
    expect(await clearCurrentIf(store, C, 'ds_old', at)).toBe(false);
    expect((await currentDataset(store, C))?.id).toBe('ds_new');
    expect(await clearCurrentIf(store, C, 'ds_new', at, 'dm-1')).toBe(true);
    expect(await currentDataset(store, C)).toBeUndefined();
    expect(await clearedPointer(store, C)).toEqual({
      datasetId: null,
      setAt: at,
      setBy: 'dm-1',
      how: 'deleted',
      deletedDatasetId: 'ds_new',
    });
    // a retry of the same delete still reports it cleared; another dataset's delete does not
    expect(await clearCurrentIf(store, C, 'ds_new', at)).toBe(true);
    expect(await clearCurrentIf(store, C, 'ds_old', at)).toBe(false);
  });

  it('with a pointer: clears it only while it names the dataset; choosing one again makes it current', async () => {
    const { store } = await setUp();
    await setCurrentDataset(store, C, { datasetId: 'ds_old', setAt: at, how: 'chosen' });
    expect(await clearCurrentIf(store, C, 'ds_new', at)).toBe(false);
    expect((await currentDataset(store, C))?.id).toBe('ds_old');
    // the conditional write: a pointer moved after it was read is left alone
    expect(
      await store.update(
        KIND.currentDataset,
        C,
        { summary: { how: 'chosen' } },
        { expectFields: { datasetId: 'ds_new' } },
      ),
    ).toBe(false);
    expect(await clearCurrentIf(store, C, 'ds_old', at)).toBe(true);
    expect(await currentDataset(store, C)).toBeUndefined();
    await setCurrentDataset(store, C, { datasetId: 'ds_new', setAt: at, how: 'chosen' });
    expect((await currentDataset(store, C))?.id).toBe('ds_new');
    expect(await clearedPointer(store, C)).toBeUndefined();
  });

  it('does not touch another council’s pointer', async () => {
    const { base } = await setUp();
    const other = scopedStore(base, { tenant: { council: 'E10000003' } });
    expect(await clearCurrentIf(other, C, 'ds_new', at)).toBe(false);
    expect((await currentDataset(scopedStore(base, { tenant: { council: C } }), C))?.id).toBe('ds_new');
  });
});
