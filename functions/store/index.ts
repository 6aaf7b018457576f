/** The process's one Store, built from the environment on first use (Lambda reuses it across invocations). */
import { config, cursorSecret } from '#functions/config';
import { DynamoStore } from './dynamo.js';
import type { Store } from './store.js';

let store: Store | undefined;

export function getStore(): Store {
  if (!store) {
    const c = config();
    store = new DynamoStore({
      tableName: c.TABLE_NAME,
      region: c.AWS_REGION,
      cursorSecret: cursorSecret(c),
      ...(c.DYNAMODB_ENDPOINT ? { endpoint: c.DYNAMODB_ENDPOINT } : {}),
    });
  }
  return store;
}

/** For the local runtime and tests: use this store (or forget the current one with undefined). */
export function setStore(s: Store | undefined): void {
  store = s;
}

export type { Store, StoredRecord, Page } from './store.js';
