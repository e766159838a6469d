/**
 * One record in an IndexedDB object store, read and written in transactions of their own. A write resolves once
 * its transaction has committed; IndexedDB orders transactions across every tab of the origin, so a read begun
 * after that (in any tab) sees the write.
 */
export interface IdbRecord<T> {
  get(): Promise<T | null>;
  set(value: T): Promise<void>;
  clear(): Promise<void>;
}

export function idbRecord<T>(name: string, store: string, key: string): IdbRecord<T> {
  const open = () =>
    new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(store);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  const run = async <R>(mode: IDBTransactionMode, work: (objects: IDBObjectStore) => IDBRequest): Promise<R> => {
    const db = await open();
    try {
      return await new Promise<R>((resolve, reject) => {
        const transaction = db.transaction(store, mode);
        const request = work(transaction.objectStore(store));
        // Resolved once the transaction commits, so that a `set` is durable, and visible to every tab, when it resolves.
        transaction.oncomplete = () => resolve(request.result as R);
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
      });
    } finally {
      db.close();
    }
  };
  return {
    async get() {
      return (await run<T | undefined>("readonly", (objects) => objects.get(key))) ?? null;
    },
    async set(value) {
      await run("readwrite", (objects) => objects.put(value, key));
    },
    async clear() {
      await run("readwrite", (objects) => objects.delete(key));
    },
  };
}
