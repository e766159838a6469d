import { idbRecord } from "./idb.js";

/** What the client keeps between runs. The permanent token is the secret that matters: keep it in secure storage. */
export interface StoredSession {
  /** The long-lived refresh credential; absent in plain JWT mode. */
  permanentToken?: string;
  /** The device this session signed in as. */
  deviceId?: number;
  /** The last access token (a JWT), so that a restart or another tab need not refresh at once. */
  token?: string;
  /** When the access token should be refreshed, in this machine's milliseconds since the epoch. */
  refreshAt?: number;
  /**
   * `"DPoP"` when the server bound the device to this client's key (kept in the client's `DpopKeyStorage`): its
   * refreshes and requests then carry proofs by that key. Absent for an unbound device.
   */
  tokenType?: "DPoP";
}

/**
 * Where the client keeps its session. Implement it over the platform's secure store (iOS Keychain, Android
 * Keystore through Expo SecureStore or react-native-keychain); see the README. `set` must not resolve before
 * the value is durable: the client writes a rotated permanent token there before it uses it. A storage that
 * several tabs or workers share must also make a resolved `set` visible to every later `get` in any of them: the
 * tab that takes the refresh lock next reads the session there, and on a stale read it refreshes a second time.
 * `localStorage` does not promise that across Chromium's renderer processes; `indexedDbStorage()` does.
 */
export interface TokenStorage {
  get(): Promise<StoredSession | null>;
  set(session: StoredSession): Promise<void>;
  clear(): Promise<void>;
}

/** A storage in memory only: the session ends with the process (tests, servers, short scripts). */
export function memoryStorage(initial: StoredSession | null = null): TokenStorage {
  let session = initial ? { ...initial } : null;
  return {
    async get() {
      return session ? { ...session } : null;
    },
    async set(value) {
      session = { ...value };
    },
    async clear() {
      session = null;
    },
  };
}

/**
 * A storage in IndexedDB, for a session that the origin's tabs share. A `set` resolves once its transaction has
 * committed, and IndexedDB orders transactions across tabs, so the next tab to take the refresh lock reads the
 * token just stored. Script in the page can read it, as it can `localStorage`: see the guide before keeping a
 * permanent token where an XSS flaw reaches it.
 */
export function indexedDbStorage(name = "jwt-devices-session", key = "session"): TokenStorage {
  return idbRecord<StoredSession>(name, "sessions", key);
}
