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
 * the value is durable: the client writes a rotated permanent token there before it uses it.
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
