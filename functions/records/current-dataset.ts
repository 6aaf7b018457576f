/**
 * The `current-dataset` record, one per council (id = the council): which dataset the council's forecasts use ("current"), kept as one small pointer record per council. A successful
 * upload becomes current when its data reach at least as far as the current one's; `POST /datasets/{id}/current`
 * chooses any. With no pointer (a store from before pointers, the demo loaded at start-up) the newest upload of the
 * council is current. Deleting the current dataset clears the pointer (`datasetId: null`, `how: 'deleted'`): the council
 * then has no current dataset — an older upload does not become current unasked — until an upload or a person sets one.
 */
import { Conflict } from '#functions/errors';
import type { Store, StoredRecord } from '#functions/store/store';
import { DEFAULT_COUNCIL, councilOf, type DatasetSummary } from './dataset.js';
import { KIND } from './kinds.js';

export interface CurrentPointer {
  /** null: cleared when the current dataset was deleted (no dataset is current) */
  datasetId: string | null;
  setAt: string;
  setBy?: string;
  /** 'upload' when an upload with newer data made it current, 'chosen' when a person did, 'deleted' when cleared */
  how: 'upload' | 'chosen' | 'deleted';
  /** with how 'deleted': the dataset that was current */
  deletedDatasetId?: string;
}

/** The newest datasets first, of one council, up to `limit` pages of 100 (listing is by kind, newest first). */
async function newestOf(store: Store, council: string): Promise<StoredRecord<DatasetSummary> | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const p = await store.list<DatasetSummary>(KIND.dataset, {
      limit: 100,
      ...(cursor ? { cursor } : {}),
      // a council's datasets are its tenant's (a region's users read them by naming the council)
      ...(council !== DEFAULT_COUNCIL ? { tenant: `council:${council}` } : {}),
    });
    const found = p.items.find((d) => councilOf(d.summary) === council);
    if (found) return found;
    cursor = p.cursor;
    if (!cursor) return undefined;
  }
  return undefined;
}

/** The council's current dataset, or undefined when it has none. */
export async function currentDataset(
  store: Store,
  council: string = DEFAULT_COUNCIL,
): Promise<StoredRecord<DatasetSummary> | undefined> {
  const pointer = await store.get<CurrentPointer>(KIND.currentDataset, council);
  if (pointer) {
    // cleared by a delete: none is current until an upload or a person sets one
    if (pointer.summary.datasetId === null) return undefined;
    const record = await store.get<DatasetSummary>(KIND.dataset, pointer.summary.datasetId);
    if (record) return record;
  }
  return newestOf(store, council);
}

/** The council's pointer when a delete cleared it (so that "no current dataset" can say why), else undefined. */
export async function clearedPointer(store: Store, council: string): Promise<CurrentPointer | undefined> {
  const pointer = await store.get<CurrentPointer>(KIND.currentDataset, council);
  return pointer?.summary.datasetId === null ? pointer.summary : undefined;
}

/**
 * Before a dataset is deleted: when it is its council's current one, clear the pointer — one conditional write
 * (only while the pointer still names this dataset), so a pointer another request moved meanwhile is left alone.
 * With no pointer the newest upload is current: a cleared pointer is made, so that the next-newest does not become
 * current unasked. True when this call (or an earlier, interrupted delete of the same dataset) cleared it.
 */
export async function clearCurrentIf(
  store: Store,
  council: string,
  datasetId: string,
  at: string,
  by?: string,
): Promise<boolean> {
  const cleared: CurrentPointer = {
    datasetId: null,
    setAt: at,
    how: 'deleted',
    deletedDatasetId: datasetId,
    ...(by !== undefined ? { setBy: by } : {}),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    const pointer = await store.get<CurrentPointer>(KIND.currentDataset, council);
    if (pointer) {
      // a retry of a delete that stopped after clearing: still "cleared"
      if (pointer.summary.datasetId === null) return pointer.summary.deletedDatasetId === datasetId;
      if (pointer.summary.datasetId !== datasetId) return false;
      if (
        await store.update<CurrentPointer>(
          KIND.currentDataset,
          council,
          { summary: cleared },
          { expectFields: { datasetId } },
        )
      )
        return true;
      continue; // moved meanwhile: look again
    }
    if ((await newestOf(store, council))?.id !== datasetId) return false;
    try {
      await store.create({ kind: KIND.currentDataset, id: council, createdAt: at, summary: cleared });
      return true;
    } catch (e) {
      if (!(e instanceof Conflict)) throw e; // made meanwhile: look again
    }
  }
  return false;
}

export async function setCurrentDataset(store: Store, council: string, pointer: CurrentPointer): Promise<void> {
  const updated = await store.update<CurrentPointer>(KIND.currentDataset, council, { summary: pointer });
  if (updated) return;
  try {
    await store.create({ kind: KIND.currentDataset, id: council, createdAt: pointer.setAt, summary: pointer });
  } catch (e) {
    if (!(e instanceof Conflict)) throw e;
    await store.update<CurrentPointer>(KIND.currentDataset, council, { summary: pointer });
  }
}

/** A new upload becomes current unless the current dataset's data reach further (an old year uploaded for reference). */
export async function adoptIfNewer(
  store: Store,
  record: StoredRecord<DatasetSummary>,
  at: string,
  by?: string,
): Promise<boolean> {
  const council = councilOf(record.summary);
  const current = await currentDataset(store, council);
  if (current && current.id !== record.id && current.summary.period.end > record.summary.period.end) return false;
  await setCurrentDataset(store, council, {
    datasetId: record.id,
    setAt: at,
    how: 'upload',
    ...(by !== undefined ? { setBy: by } : {}),
  });
  return true;
}

/**
 * A repeated upload of a stored dataset: the first attempt may have stored it and died before `adoptIfNewer` (the
 * process, the store or the Lambda's time limit in between), so the repeat does that step, unless the council's
 * current dataset was set (by an upload or a person) since this one was stored. Returns whether it is current.
 */
export async function finishAdoption(
  store: Store,
  record: StoredRecord<DatasetSummary>,
  at: string,
  by?: string,
): Promise<boolean> {
  const council = councilOf(record.summary);
  const pointer = await store.get<CurrentPointer>(KIND.currentDataset, council);
  if (pointer && pointer.summary.setAt >= record.createdAt)
    return (await currentDataset(store, council))?.id === record.id;
  return adoptIfNewer(store, record, at, by);
}
