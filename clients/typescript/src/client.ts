import { createProof, defaultKeyStorage, DpopNonces, generateDpopKey, resourceAsksForNonce, tokenEndpointAsksForNonce, type DpopKeyStorage } from "./dpop.js";
import { JwtDevicesError, SignInRequiredError } from "./errors.js";
import { Emitter, type ClientEvents, type Listener } from "./events.js";
import { readJson, sendRetryingBusy, type FetchLike, type RetryOptions } from "./http.js";
import { refreshTime } from "./jwt.js";
import { Refresher, type Credentials } from "./refresher.js";
import type { TokenStorage } from "./storage.js";

export interface ClientOptions {
  /** Where the JwtDevices endpoints are mapped, such as `https://api.example.com/` (or with the application's prefix). */
  baseUrl: string | URL;
  /** Where the session is kept: `memoryStorage()`, or an adapter over the platform's secure store. */
  storage: TokenStorage;
  /** The `fetch` to send with. Default: the global one. */
  fetch?: FetchLike;
  /** How long before the access token expires to refresh it. Default: 30 s, or a quarter of its lifetime when shorter. */
  refreshMarginMs?: number;
  /** How 429 and 503 answers of sign-in and refresh are retried. */
  retry?: RetryOptions;
  /**
   * The server's `RotationReuseInterval` (default 30 s). A refresh whose answer was lost is asked for again with
   * the same permanent token only within half of it, so that the retry is never taken for a stolen copy.
   */
  rotationReuseIntervalMs?: number;
  /** How long one sign-in or refresh request may take. Default: 15 s. */
  timeoutMs?: number;
  /**
   * DPoP (RFC 9449). By default (`true` where `crypto.subtle` exists) the client makes a non-extractable P-256 key at sign-in and sends a proof
   * with it; the device is bound only when the server answers `"token_type": "DPoP"`, and then every refresh and
   * request carries a proof by that key. A server that does not bind answers without it, and the device works
   * unbound. `false` sends no proof at all. An object chooses where the key is kept (default: IndexedDB in
   * browsers, memory elsewhere).
   */
  dpop?: boolean | DpopOptions;
}

/** Where the client keeps its DPoP key. */
export interface DpopOptions {
  /** Default: `indexedDbKeyStorage()` where `indexedDB` exists, else `memoryKeyStorage()`. */
  keyStorage?: DpopKeyStorage;
}

export interface SignInOptions {
  /** Names the device in the user's device list (the `X-Device-Model` header). */
  deviceModel?: string;
}

/** One of the caller's devices, as `GET /devices/` lists it. */
export interface DeviceInfo {
  id: number;
  created: string;
  name: string;
  details: string;
  last_request_datetime: string | null;
}

/** The client of one JwtDevices server. */
export interface JwtDevicesClient {
  /** Signs in as a new device and keeps its tokens in the storage (and its DPoP key in the key storage, when the server bound it). */
  signIn(username: string, password: string, options?: SignInOptions): Promise<{ deviceId?: number; bound: boolean }>;
  /** A `fetch` that authenticates: it attaches the access token, refreshes it before it expires and once on a 401. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Logs this device out at the server and forgets the session (also when the server cannot be told). */
  signOut(): Promise<void>;
  /** Ends every other device of the user. */
  signOutOtherDevices(): Promise<void>;
  /** The user's devices. */
  devices(): Promise<DeviceInfo[]>;
  /** Listens to an event; returns a function that stops listening. */
  on<K extends keyof ClientEvents>(name: K, listener: Listener<K>): () => void;
}

/** Creates a client. One client per server and storage: its refreshes are shared by every request it sends. */
export function createClient(options: ClientOptions): JwtDevicesClient {
  const base = new URL(String(options.baseUrl));
  if (!base.pathname.endsWith("/")) {
    base.pathname += "/";
  }
  const fetchImpl: FetchLike = options.fetch ?? ((request) => globalThis.fetch(request));
  const timeoutMs = options.timeoutMs ?? 15_000;
  const retry = options.retry ?? {};
  const events = new Emitter();
  const url = (path: string) => new URL(path, base).toString();
  const hasWebCrypto = typeof globalThis.crypto?.subtle?.generateKey === "function";
  // By default, bind where WebCrypto can (React Native has no crypto.subtle of its own); asked for explicitly, it must.
  const dpopOptions = options.dpop ?? hasWebCrypto;
  if (dpopOptions !== false && !hasWebCrypto) {
    throw new JwtDevicesError("DPoP needs WebCrypto (crypto.subtle): install a polyfill with P-256 ECDSA, or pass dpop: false.");
  }
  const dpop = dpopOptions === false ? null : { keys: (dpopOptions === true ? undefined : dpopOptions.keyStorage) ?? defaultKeyStorage(), nonces: new DpopNonces() };
  const refresher = new Refresher({
    refreshUrl: url("device-refresh-token/"),
    lockName: `jwt-devices refresh ${base}`,
    storage: options.storage,
    fetch: fetchImpl,
    events,
    timeoutMs,
    retry,
    rotationReuseIntervalMs: options.rotationReuseIntervalMs ?? 30_000,
    refreshMarginMs: options.refreshMarginMs,
    dpop,
  });

  const authorized = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(typeof input === "string" ? new URL(input, base) : input, init);
    if (new URL(request.url).origin !== base.origin) {
      // The access token is for this server only.
      throw new JwtDevicesError(`client.fetch sends only to ${base.origin}.`);
    }
    const sendWith = async ({ token, keys }: Credentials) => {
      const copy = request.clone();
      if (keys && dpop) {
        copy.headers.set("Authorization", `DPoP ${token}`);
        copy.headers.set("DPoP", await createProof(keys, copy.method, copy.url, token, dpop.nonces.for(copy.url)));
      } else {
        copy.headers.set("Authorization", `Bearer ${token}`);
      }
      const response = await fetchImpl(copy);
      const freshNonce = dpop?.nonces.remember(copy.url, response) ?? false;
      return { response, freshNonce };
    };
    // A bound request the server answers with a nonce demand goes once more, with the nonce it gave.
    const sendRetryingNonce = async (credentials: Credentials) => {
      const first = await sendWith(credentials);
      if (!credentials.keys || !first.freshNonce || !resourceAsksForNonce(first.response)) {
        return first.response;
      }
      await first.response.body?.cancel();
      return (await sendWith(credentials)).response;
    };
    const credentials = await refresher.token();
    const response = await sendRetryingNonce(credentials);
    if (response.status !== 401 || resourceAsksForNonce(response)) {
      return response;
    }
    await response.body?.cancel();
    return sendRetryingNonce(await refresher.refresh(credentials.token));
  };

  return {
    async signIn(username, password, signInOptions) {
      const headers: Record<string, string> = { "Content-Type": "application/json" };
      if (signInOptions?.deviceModel) {
        headers["X-Device-Model"] = signInOptions.deviceModel;
      }
      const body = JSON.stringify({ username, password });
      const loginUrl = url("auth-token/");
      const keys = dpop ? await generateDpopKey() : undefined;
      const make = async () => {
        const request = new Request(loginUrl, { method: "POST", headers, body });
        if (keys && dpop) {
          request.headers.set("DPoP", await createProof(keys, "POST", loginUrl, undefined, dpop.nonces.for(loginUrl)));
        }
        return request;
      };
      const sendLogin = async () => {
        const answer = await sendRetryingBusy(fetchImpl, make, timeoutMs, retry);
        dpop?.nonces.remember(loginUrl, answer);
        return answer;
      };
      let response = await sendLogin();
      if (keys && (await tokenEndpointAsksForNonce(response))) {
        await response.body?.cancel();
        response = await sendLogin();
      }
      const answer = await readJson<{ token: string; permanent_token?: string; device_id?: number; token_type?: string }>(response);
      // Without "token_type": "DPoP" the server did not bind the device: the key is dropped, and no proofs follow.
      const bound = !!keys && answer.token_type?.toLowerCase() === "dpop";
      await refresher.adopt(
        {
          permanentToken: answer.permanent_token,
          deviceId: answer.device_id,
          token: answer.token,
          refreshAt: refreshTime(answer.token, Date.now(), options.refreshMarginMs),
          tokenType: bound ? "DPoP" : undefined,
        },
        bound ? keys : undefined,
      );
      return { deviceId: answer.device_id, bound };
    },

    fetch: authorized,

    async signOut() {
      const session = await options.storage.get();
      try {
        if (session?.deviceId !== undefined) {
          const response = await authorized("device-logout/", { method: "DELETE", headers: { "Device-Id": String(session.deviceId) } });
          // 404: the device had already ended.
          if (!response.ok && response.status !== 404) {
            await readJson<unknown>(response);
          }
        }
      } catch (error) {
        if (!(error instanceof SignInRequiredError)) {
          throw error;
        }
      } finally {
        await refresher.forget();
      }
    },

    async signOutOtherDevices() {
      const response = await authorized("device-logout-others/", { method: "POST" });
      if (!response.ok) {
        await readJson<unknown>(response);
      }
    },

    async devices() {
      return readJson<DeviceInfo[]>(await authorized("devices/"));
    },

    on: (name, listener) => events.on(name, listener),
  };
}
