// 429 is "try later": Retry-After is honoured within a bound, and past it the session is kept.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient, TransientError } from "../dist/index.js";
import { password, signedIn, watchedFetch } from "./clients.mjs";
import { sleep, startServer } from "./server.mjs";

describe("429", () => {
  let server;
  before(async () => {
    server = await startServer({ "RateLimits:RefreshesPerClientPerMinute": "1" });
    await server.addUser("alice", password);
  });
  after(() => server?.stop());

  test("past the retry bound is a transient error that keeps the session; within it, Retry-After is waited for", async () => {
    const first = watchedFetch();
    const { client, storage, dpop, signals } = await signedIn(server, { fetch: first.fetch, retry: { attempts: 2, maxDelayMs: 2000 } });
    await sleep(4000);
    assert.equal((await client.fetch("me")).status, 200); // the one refresh of this minute
    await sleep(4000);

    await assert.rejects(client.fetch("me"), (error) => error instanceof TransientError && error.status === 429 && error.code === "too_many_requests" && error.retryAfterMs > 2000);
    assert.deepEqual(first.refreshes.map((r) => r.status), [200, 429], "no retry sooner than Retry-After");
    assert.notEqual(await storage.get(), null);
    assert.deepEqual(signals, []);

    // A client that may wait that long waits exactly as long as it was told, then carries on.
    const patient = watchedFetch();
    const waiting = createClient({ baseUrl: server.baseUrl, storage, dpop, fetch: patient.fetch, retry: { attempts: 1, maxDelayMs: 70_000 } });
    assert.equal((await waiting.fetch("me")).status, 200);
    const [refused, accepted] = patient.refreshes;
    assert.equal(refused.status, 429);
    assert.equal(accepted.status, 200);
    assert.ok(accepted.at - refused.at >= Number(refused.retryAfter) * 1000 - 50, "waited for Retry-After");
  });
});
