// A device logged out elsewhere is "sign in again", told once, with the storage cleared; a wrong password is not.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient, memoryStorage, ProblemError, SignInRequiredError } from "../dist/index.js";
import { password, signedIn } from "./clients.mjs";
import { sleep, startServer } from "./server.mjs";

describe("a device logged out elsewhere", () => {
  let server;
  before(async () => {
    server = await startServer({ "JwtDevices:RevocationPollInterval": "00:00:01" });
    await server.addUser("alice", password);
  });
  after(() => server?.stop());

  test("surfaces once as sign-in required, and the storage is cleared", async () => {
    const { client, storage, signals, deviceId } = await signedIn(server);
    const secrets = await storage.get();
    const other = await signedIn(server);
    assert.equal((await other.client.fetch(`devices/${deviceId}/`, { method: "DELETE" })).status, 204);

    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => client.fetch("me")));

    for (const outcome of outcomes) {
      assert.equal(outcome.status, "rejected");
      assert.ok(outcome.reason instanceof SignInRequiredError);
      assert.equal(outcome.reason.code, "invalid_permanent_token");
      for (const secret of [secrets.permanentToken, secrets.token]) {
        assert.ok(!`${outcome.reason.message} ${outcome.reason.stack}`.includes(secret), "no token in the error");
      }
    }
    assert.deepEqual(signals, ["invalid_permanent_token"]);
    assert.equal(await storage.get(), null);
    // Later calls are told too, without a second event.
    await assert.rejects(client.fetch("me"), (error) => error instanceof SignInRequiredError && error.code === "not_signed_in");
    assert.equal(signals.length, 1);
    assert.equal((await other.client.fetch("me")).status, 200);
  });

  test("revoked with the command line, surfaces as sign-in required", async () => {
    const { client, storage, signals, deviceId } = await signedIn(server);
    await server.cli(["devices", "revoke", String(deviceId)]);
    await sleep(2000); // the server reads the revocation log every second here

    await assert.rejects(client.fetch("me"), SignInRequiredError);
    assert.deepEqual(signals, ["invalid_permanent_token"]);
    assert.equal(await storage.get(), null);
  });

  test("a wrong password is a ProblemError with the server's code, and nothing is stored", async () => {
    const storage = memoryStorage();
    const client = createClient({ baseUrl: server.baseUrl, storage });

    await assert.rejects(client.signIn("alice", "wrong horse battery"),
      (error) => error instanceof ProblemError && error.status === 400 && error.code === "invalid_credentials" && !error.message.includes("wrong horse"));
    assert.equal(await storage.get(), null);
    await assert.rejects(client.fetch("me"), (error) => error instanceof SignInRequiredError && error.code === "not_signed_in");
  });
});
