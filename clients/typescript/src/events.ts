/** What the client tells its listeners. No event carries a token. */
export interface ClientEvents {
  /** A new access token arrived; `rotated` when the permanent token was replaced (and stored) too. */
  tokenRefreshed: { deviceId?: number; rotated: boolean };
  /** The session ended; the storage was cleared. `code` is the server's. */
  signInRequired: { code: string };
}

export type Listener<K extends keyof ClientEvents> = (event: ClientEvents[K]) => void;

/** A small typed emitter: a failing listener never breaks a request. */
export class Emitter {
  private readonly listeners = new Map<keyof ClientEvents, Set<(event: never) => void>>();

  on<K extends keyof ClientEvents>(name: K, listener: Listener<K>): () => void {
    const set = this.listeners.get(name) ?? new Set();
    set.add(listener as (event: never) => void);
    this.listeners.set(name, set);
    return () => set.delete(listener as (event: never) => void);
  }

  emit<K extends keyof ClientEvents>(name: K, event: ClientEvents[K]): void {
    for (const listener of this.listeners.get(name) ?? []) {
      try {
        (listener as Listener<K>)(event);
      } catch {
        // A listener's bug is its own.
      }
    }
  }
}
