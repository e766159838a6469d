// With rotation on, a refresh whose answer is lost on the way back is asked for again with the same permanent
// token, gets the same successor, and the client carries on: the server sees no reuse.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createClient, memoryStorage } from "../dist/index.js";
import { sleep, startServer } from "./server.mjs";

let server;
before(async () => {
  server = await startServer({ "JwtDevices:RotatePermanentTokens": "true" });
  await server.addUser("alice", "correct horse battery");
});
after(() => server?.stop());

/** A fetch that lets the first `drops` refresh requests reach the server, then throws as a dropped connection does. */
function droppingFetch(drops) {
  const seen = { refreshes: 0, dropped: 0, permanentTokens: [], sentAt: [] };
  const wrapped = async (request) => {
    const sentAt = Date.now();
    const response = await fetch(request);
    if (new URL(request.url).pathname === "/device-refresh-token/") {
      seen.refreshes++;
      seen.sentAt.push(sentAt);
      seen.permanentTokens.push(request.headers.get("Permanent-Token"));
      if (seen.dropped < drops) {
        seen.dropped++;
        await response.body?.cancel();
        throw new TypeError("fetch failed");
      }
    }
    return response;
  };
  return { fetch: wrapped, seen };
}

test("a lost refresh answer is retried with the same token and the client carries on", async () => {
  const { fetch, seen } = droppingFetch(1);
  const storage = memoryStorage();
  const client = createClient({ baseUrl: server.baseUrl, storage, fetch });
  await client.signIn("alice", "correct horse battery", { deviceModel: "lost-answer" });
  const issued = (await storage.get()).permanentToken;
  await sleep(4000); // past the refresh point (5 s lifetime, 1.25 s margin)

  const answer = await client.fetch("me");

  assert.equal(answer.status, 200);
  assert.equal(seen.dropped, 1);
  assert.deepEqual(seen.permanentTokens, [issued, issued], "the retry presents the same token");
  assert.equal(server.refreshes(), 2, "both reached the server");
  const successor = (await storage.get()).permanentToken;
  assert.notEqual(successor, issued);

  // The successor kept is the live one: the next refresh rotates again, and the device stays.
  await sleep(4000);
  assert.equal((await client.fetch("me")).status, 200);
  assert.deepEqual(seen.permanentTokens, [issued, issued, successor]);
  assert.equal((await client.devices()).length, 1);
  assert.equal(server.reuses(), 0);
});

test("a refresh answer lost past the reuse interval surfaces as a transient error and keeps the session", async () => {
  const { fetch, seen } = droppingFetch(100);
  const storage = memoryStorage();
  const client = createClient({ baseUrl: server.baseUrl, storage, fetch, rotationReuseIntervalMs: 2000 });
  await client.signIn("alice", "correct horse battery", { deviceModel: "lost-answers" });
  await sleep(4000);

  await assert.rejects(client.fetch("me"), (error) => error.name === "TransientError" && error.status === undefined);

  // Retried only within half the interval, so that no retry reaches the server after it.
  assert.ok(seen.refreshes >= 1);
  assert.ok(seen.sentAt.every((at) => at - seen.sentAt[0] < 1000), "every retry within a second of the first try");
  assert.notEqual(await storage.get(), null);
  assert.equal(server.reuses(), 0);
});
