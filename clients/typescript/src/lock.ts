interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * Runs `work` while holding the named lock across every tab and worker of the origin (the Web Locks API).
 * Where `navigator.locks` is missing (React Native, Node, old browsers, non-secure http: origins), it runs at
 * once: the client's own single flight still holds within this JavaScript context.
 */
export function withSharedLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  return locks ? locks.request(name, work) : work();
}

/** Whether refreshes are shared between tabs here. */
export function hasSharedLock(): boolean {
  return !!(globalThis as { navigator?: { locks?: unknown } }).navigator?.locks;
}
