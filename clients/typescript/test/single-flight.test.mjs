// 64 concurrent requests across an access token's expiry cause exactly one refresh, counted at the server.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient, memoryKeyStorage, memoryStorage } from "../dist/index.js";
import { sleep, startServer } from "./server.mjs";

for (const rotate of [false, true]) {
  describe(`single flight, rotation ${rotate ? "on" : "off"}`, () => {
    let server;
    before(async () => {
      server = await startServer({ "JwtDevices:RotatePermanentTokens": String(rotate) });
      await server.addUser("alice", "correct horse battery");
    });
    after(() => server?.stop());

    test("64 requests spread across the expiry cause one refresh", async () => {
      const client = createClient({ baseUrl: server.baseUrl, storage: memoryStorage() });
      let refreshed = 0;
      client.on("tokenRefreshed", () => refreshed++);
      await client.signIn("alice", "correct horse battery", { deviceModel: "single-flight" });

      // The token lives 5 s and is refreshed 1.25 s before: send from 3 s to 5.5 s, across both points.
      const answers = await Promise.all(
        Array.from({ length: 64 }, (_, i) => sleep(3000 + i * 40).then(() => client.fetch("me"))),
      );

      assert.deepEqual(answers.map((r) => r.status), Array(64).fill(200));
      assert.equal(server.refreshes(), 1);
      assert.equal(refreshed, 1);
      await assertDeviceAlive(client, server);
    });

    test("64 requests refused with 401 at once cause one refresh", async () => {
      const signedIn = memoryStorage();
      // The device's DPoP key goes with its session (the server binds devices by default).
      const dpop = { keyStorage: memoryKeyStorage() };
      const first = createClient({ baseUrl: server.baseUrl, storage: signedIn, dpop });
      await first.signIn("alice", "correct horse battery", { deviceModel: "after-expiry" });
      await sleep(5500);
      // A client that wrongly believes its token fresh (a restored session, say) learns otherwise from the 401s.
      const session = await signedIn.get();
      const client = createClient({ baseUrl: server.baseUrl, storage: memoryStorage({ ...session, refreshAt: Date.now() + 3_600_000 }), dpop });
      const before = server.refreshes();

      const answers = await Promise.all(Array.from({ length: 64 }, () => client.fetch("me")));

      assert.deepEqual(answers.map((r) => r.status), Array(64).fill(200));
      assert.equal(server.refreshes() - before, 1);
      await assertDeviceAlive(client, server);
    });
  });
}

async function assertDeviceAlive(client, server) {
  const devices = await client.devices();
  assert.ok(devices.length >= 1);
  assert.equal(server.reuses(), 0);
  assert.doesNotMatch(server.log(), /revoked/i);
}
