// Every unit test starts with an empty IndexedDB and no leftover React trees.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach } from 'vitest';

afterEach(async () => {
  globalThis.indexedDB = new IDBFactory();
  if (typeof document !== 'undefined') {
    const { cleanup } = await import('@testing-library/react');
    cleanup();
  }
});
