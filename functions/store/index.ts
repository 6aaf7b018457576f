/** The process's one Store, built from the environment on first use (Lambda reuses it across invocations). */
import { config, cursorSecret } from '#functions/config';
import { currentScope, scopedStore } from '#functions/tenancy';
import { DynamoStore } from './dynamo.js';
import type { Store } from './store.js';

let store: Store | undefined;

/**
 * The store. While a request is served it is the caller's view of it: scoped to the caller's council or region
 * (functions/tenancy.ts); elsewhere (jobs, start-up) the whole store — `rawStore()` says so explicitly.
 */
export function getStore(): Store {
  const scope = currentScope();
  return scope ? scopedStore(rawStore(), scope) : rawStore();
}

/** The whole store, whoever is asking: for jobs, and for the few checks that span tenants (a council in two regions). */
export function rawStore(): Store {
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
