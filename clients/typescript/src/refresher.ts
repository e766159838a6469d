import { createProof, tokenEndpointAsksForNonce, type DpopKeyStorage, type DpopNonces } from "./dpop.js";
import { SignInRequiredError, TransientError } from "./errors.js";
import type { Emitter } from "./events.js";
import { problemCode, retryAfterMs, send, sleep, type FetchLike, type RetryOptions } from "./http.js";
import { refreshTime } from "./jwt.js";
import { withSharedLock } from "./lock.js";
import type { StoredSession, TokenStorage } from "./storage.js";

export interface RefresherSettings {
  refreshUrl: string;
  lockName: string;
  storage: TokenStorage;
  fetch: FetchLike;
  events: Emitter;
  timeoutMs: number;
  retry: RetryOptions;
  rotationReuseIntervalMs: number;
  refreshMarginMs?: number;
  /** Where the DPoP key is kept and the server's nonces; null when the client does not bind devices. */
  dpop: { keys: DpopKeyStorage; nonces: DpopNonces } | null;
}

/** An access token to send, and the key it is bound to (its requests then go as `DPoP` with a proof). */
export interface Credentials {
  token: string;
  keys?: CryptoKeyPair;
}

interface Current extends Credentials {
  refreshAt: number;
}

/**
 * Keeps the access token fresh: one refresh in flight per client, and across tabs through a shared lock; a
 * rotated permanent token is stored before it is used; a lost answer is asked for again with the same token.
 */
export class Refresher {
  private current: Current | null = null;
  private inFlight: Promise<Credentials> | null = null;
  private signedIn = false;

  constructor(private readonly settings: RefresherSettings) {}

  /** A token to send now: the one in hand while fresh, else a refreshed one. */
  async token(): Promise<Credentials> {
    if (this.current && Date.now() < this.current.refreshAt) {
      return this.current;
    }
    return this.refresh(this.current?.token);
  }

  /** A token other than `stale` (which the server refused or which is about to expire). */
  refresh(stale: string | undefined): Promise<Credentials> {
    this.inFlight ??= withSharedLock(this.settings.lockName, () => this.refreshLocked(stale)).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Takes a session just signed in to, and the key the server bound it to. The key is stored before the session, so that another tab that sees the session finds its key. */
  async adopt(session: StoredSession, keys?: CryptoKeyPair): Promise<void> {
    if (keys) {
      await this.settings.dpop?.keys.set(keys);
    } else {
      await this.settings.dpop?.keys.clear();
    }
    await this.settings.storage.set(session);
    this.current = session.token && session.refreshAt !== undefined ? { token: session.token, refreshAt: session.refreshAt, keys } : null;
    this.signedIn = true;
  }

  /** Forgets the session and its DPoP key, here and in the storages. */
  async forget(): Promise<void> {
    this.current = null;
    this.signedIn = false;
    await this.settings.storage.clear();
    await this.settings.dpop?.keys.clear();
  }

  private async refreshLocked(stale: string | undefined): Promise<Credentials> {
    // Another tab (or an earlier run) may have refreshed while this one waited for the lock.
    const session = await this.settings.storage.get();
    if (!session) {
      throw await this.end("not_signed_in");
    }
    const keys = await this.keysOf(session);
    if (session.token && session.token !== stale && session.refreshAt !== undefined && Date.now() < session.refreshAt) {
      this.current = { token: session.token, refreshAt: session.refreshAt, keys };
      this.signedIn = true;
      return this.current;
    }
    if (!session.permanentToken) {
      throw await this.end("access_token_expired");
    }
    this.signedIn = true;
    return this.redeem(session, session.permanentToken, keys);
  }

  /** The key of a bound session; a bound session whose key is gone can no longer be used. */
  private async keysOf(session: StoredSession): Promise<CryptoKeyPair | undefined> {
    if (session.tokenType !== "DPoP") {
      return undefined;
    }
    const keys = await this.settings.dpop?.keys.get();
    if (!keys) {
      throw await this.end("dpop_key_missing");
    }
    return keys;
  }

  private async redeem(session: StoredSession, permanentToken: string, keys: CryptoKeyPair | undefined): Promise<Credentials> {
    const { refreshUrl, fetch, timeoutMs, retry, rotationReuseIntervalMs, dpop } = this.settings;
    const started = Date.now();
    let busyRetries = 0;
    let nonceRetried = false;
    for (let lost = 0; ; ) {
      let response: Response;
      try {
        const headers: Record<string, string> = { "Permanent-Token": permanentToken };
        if (keys && dpop) {
          headers.DPoP = await createProof(keys, "POST", refreshUrl, undefined, dpop.nonces.for(refreshUrl));
        }
        response = await send(fetch, new Request(refreshUrl, { method: "POST", headers }), timeoutMs);
        dpop?.nonces.remember(refreshUrl, response);
      } catch (error) {
        // The request may have reached the server and rotated the token. Presented again within the reuse
        // interval, the same token gets the same successor; after it, it would be taken for a stolen copy.
        const delay = 250 * 2 ** lost++;
        if (Date.now() + delay - started < rotationReuseIntervalMs / 2) {
          await sleep(delay);
          continue;
        }
        throw new TransientError(undefined, undefined, undefined, { cause: error });
      }
      if (response.ok) {
        return this.keep(session, await response.json(), keys);
      }
      if (keys && !nonceRetried && (await tokenEndpointAsksForNonce(response))) {
        // Once, with the nonce the server just gave.
        nonceRetried = true;
        await response.body?.cancel();
        continue;
      }
      const code = await problemCode(response);
      if (response.status === 429 || response.status === 503) {
        const waitMs = retryAfterMs(response) ?? 1000 * 2 ** busyRetries;
        if (busyRetries++ < (retry.attempts ?? 2) && waitMs <= (retry.maxDelayMs ?? 30_000)) {
          await sleep(waitMs);
          continue;
        }
        throw new TransientError(response.status, code, retryAfterMs(response));
      }
      if (response.status >= 500) {
        // As a lost answer: a gateway may have dropped the server's reply.
        const delay = 250 * 2 ** lost++;
        if (Date.now() + delay - started < rotationReuseIntervalMs / 2) {
          await sleep(delay);
          continue;
        }
        throw new TransientError(response.status, code);
      }
      // Any other refusal of a refresh means the permanent token no longer works.
      throw await this.end(code ?? "invalid_permanent_token", response.status);
    }
  }

  private async keep(session: StoredSession, body: { token: string; permanent_token?: string }, keys: CryptoKeyPair | undefined): Promise<Credentials> {
    const refreshAt = refreshTime(body.token, Date.now(), this.settings.refreshMarginMs);
    const rotated = typeof body.permanent_token === "string";
    // The successor is written before anything uses it: a crash after this point loses nothing.
    await this.settings.storage.set({ ...session, permanentToken: rotated ? body.permanent_token : session.permanentToken, token: body.token, refreshAt });
    this.current = { token: body.token, refreshAt, keys };
    this.settings.events.emit("tokenRefreshed", { deviceId: session.deviceId, rotated });
    return this.current;
  }

  private async end(code: string, status?: number): Promise<SignInRequiredError> {
    const wasSignedIn = this.signedIn;
    await this.forget();
    if (wasSignedIn) {
      this.settings.events.emit("signInRequired", { code });
    }
    return new SignInRequiredError(code, status);
  }
}
