// Clients for the tests: signed in, with a fetch that notes each refresh.
import { createClient, memoryKeyStorage, memoryStorage } from "../dist/index.js";

export const password = "correct horse battery";

/** A fetch that notes when each refresh request went out and how it was answered. */
export function watchedFetch() {
  const refreshes = [];
  const wrapped = async (request) => {
    const response = await fetch(request);
    if (new URL(request.url).pathname === "/device-refresh-token/") {
      refreshes.push({ at: Date.now(), status: response.status, retryAfter: response.headers.get("Retry-After") });
    }
    return response;
  };
  return { fetch: wrapped, refreshes };
}

/** A signed-in client; `dpop` is its key storage, for another client over the same session (the key goes with it). */
export async function signedIn(server, options = {}) {
  const storage = memoryStorage();
  const dpop = { keyStorage: memoryKeyStorage() };
  const client = createClient({ baseUrl: server.baseUrl, storage, dpop, ...options });
  const signals = [];
  client.on("signInRequired", (event) => signals.push(event.code));
  const { deviceId } = await client.signIn("alice", password, { deviceModel: "errors" });
  return { client, storage, dpop, signals, deviceId };
}
