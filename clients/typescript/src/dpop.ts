/**
 * DPoP (RFC 9449): the device's P-256 key, made with WebCrypto (`crypto.subtle`, in browsers and Node 20+), signs a
 * proof for sign-in, refresh and every request. The private key is made non-extractable: script can use it to sign
 * but never read it, so a copied session is worth nothing away from this browser or process.
 */

import { idbRecord } from "./idb.js";

/** Where the client keeps the device's DPoP key pair. One key storage per client, as for the token storage. */
export interface DpopKeyStorage {
  get(): Promise<CryptoKeyPair | null>;
  /** Keeps the key of a newly bound device, replacing any earlier one. Must be durable when it resolves. */
  set(keys: CryptoKeyPair): Promise<void>;
  /** Forgets the key (signed out, or the server ended the device). */
  clear(): Promise<void>;
}

/** A key storage in memory only: the binding ends with the process. The default where IndexedDB is missing (Node, React Native). */
export function memoryKeyStorage(): DpopKeyStorage {
  let keys: CryptoKeyPair | null = null;
  return {
    async get() {
      return keys;
    },
    async set(value) {
      keys = value;
    },
    async clear() {
      keys = null;
    },
  };
}

/**
 * A key storage in IndexedDB, the default in browsers: the `CryptoKey` objects are stored as they are (structured
 * clone), so the private key stays non-extractable across reloads and is shared by the origin's tabs.
 */
export function indexedDbKeyStorage(name = "jwt-devices-dpop", key = "device-key"): DpopKeyStorage {
  return idbRecord<CryptoKeyPair>(name, "keys", key);
}

/** The default key storage: IndexedDB where there is one (browsers), memory elsewhere. */
export function defaultKeyStorage(): DpopKeyStorage {
  return typeof indexedDB === "undefined" ? memoryKeyStorage() : indexedDbKeyStorage();
}

/** A new P-256 key pair whose private key cannot be exported. */
export function generateDpopKey(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
}

/** The latest `DPoP-Nonce` of each origin (RFC 9449 §8): any answer may bring a fresh one, and the next proof carries it. */
export class DpopNonces {
  private readonly latest = new Map<string, string>();

  for(url: string): string | undefined {
    return this.latest.get(new URL(url).origin);
  }

  /** Keeps the answer's nonce; returns whether it brought one. */
  remember(url: string, response: Response): boolean {
    const nonce = response.headers.get("DPoP-Nonce");
    if (!nonce) {
      return false;
    }
    this.latest.set(new URL(url).origin, nonce);
    return true;
  }
}

/** A resource's 401 with `WWW-Authenticate: DPoP error="use_dpop_nonce"`. */
export function resourceAsksForNonce(response: Response): boolean {
  return response.status === 401 && /(^|,)\s*DPoP\s[^]*error="use_dpop_nonce"/i.test(response.headers.get("WWW-Authenticate") ?? "");
}

/** A token endpoint's 400 `{"error": "use_dpop_nonce"}` with a `DPoP-Nonce`. Reads a clone: the body stays readable. */
export async function tokenEndpointAsksForNonce(response: Response): Promise<boolean> {
  if (response.status !== 400 || !response.headers.get("DPoP-Nonce")) {
    return false;
  }
  try {
    return (await response.clone().json())?.error === "use_dpop_nonce";
  } catch {
    return false;
  }
}

/**
 * A proof for one request: `typ` `dpop+jwt`, ES256, the public `jwk`; `jti`, `htm`, `htu` (the URL without query
 * and fragment), `iat`, and `ath` (for a resource request, the hash of the access token) and `nonce` when given.
 */
export async function createProof(keys: CryptoKeyPair, method: string, url: string, accessToken?: string, nonce?: string): Promise<string> {
  const { kty, crv, x, y } = await crypto.subtle.exportKey("jwk", keys.publicKey);
  const target = new URL(url);
  const payload: Record<string, unknown> = {
    jti: base64Url(crypto.getRandomValues(new Uint8Array(16))),
    htm: method.toUpperCase(),
    htu: `${target.origin}${target.pathname}`,
    iat: Math.floor(Date.now() / 1000),
  };
  if (accessToken !== undefined) {
    payload.ath = base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(accessToken))));
  }
  if (nonce !== undefined) {
    payload.nonce = nonce;
  }
  const signingInput = `${encodeJson({ typ: "dpop+jwt", alg: "ES256", jwk: { kty, crv, x, y } })}.${encodeJson(payload)}`;
  // WebCrypto's ECDSA signature is already r‖s (IEEE P1363), as JWS wants.
  const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, new TextEncoder().encode(signingInput));
  return `${signingInput}.${base64Url(new Uint8Array(signature))}`;
}

function encodeJson(value: unknown): string {
  return base64Url(new TextEncoder().encode(JSON.stringify(value)));
}

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
