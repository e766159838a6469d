// Clients for the tests: signed in, with a fetch that notes each refresh.
import { createClient, memoryStorage } from "../dist/index.js";

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

export async function signedIn(server, options = {}) {
  const storage = memoryStorage();
  const client = createClient({ baseUrl: server.baseUrl, storage, ...options });
  const signals = [];
  client.on("signInRequired", (event) => signals.push(event.code));
  const { deviceId } = await client.signIn("alice", password, { deviceModel: "errors" });
  return { client, storage, signals, deviceId };
}
