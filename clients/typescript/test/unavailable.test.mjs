// 503 (the database out of reach) is "try later", retried within a bound, never "sign in again".
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { SignInRequiredError, TransientError } from "../dist/index.js";
import { password, signedIn, watchedFetch } from "./clients.mjs";
import { sleep, startServer } from "./server.mjs";

describe("503", () => {
  let server;
  before(async () => {
    // With rotation on every refresh writes, so a locked database refuses it.
    server = await startServer({ "JwtDevices:RotatePermanentTokens": "true" });
    await server.addUser("alice", password);
  });
  after(() => server?.stop());

  test("is retried within its bound, then surfaces as a transient error, not as sign-in required", async () => {
    const watched = watchedFetch();
    const { client, storage, signals } = await signedIn(server, { fetch: watched.fetch, retry: { attempts: 1, maxDelayMs: 10_000 } });
    await sleep(4000);
    const lock = await lockDatabase(server.database);
    try {
      await assert.rejects(client.fetch("me"), (error) => error instanceof TransientError && error.status === 503 && error.code === "service_unavailable" && !(error instanceof SignInRequiredError));
    } finally {
      await lock.release();
    }
    assert.deepEqual(watched.refreshes.map((r) => r.status), [503, 503]);
    assert.ok(watched.refreshes[1].at - watched.refreshes[0].at >= 5000 - 50, "waited for Retry-After: 5");
    assert.deepEqual(signals, []);
    assert.notEqual(await storage.get(), null);

    // The outage over, the same session carries on.
    assert.equal((await client.fetch("me")).status, 200);
    assert.equal(server.reuses(), 0);
  });
});

/** Holds SQLite's write lock on the database from another process until released. */
async function lockDatabase(path) {
  const holder = spawn("python3", ["-c",
    "import sqlite3, sys\n" +
    "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n" +
    "c.execute('BEGIN EXCLUSIVE')\n" +
    "print('locked', flush=True)\n" +
    "sys.stdin.read()\n", path], { stdio: ["pipe", "pipe", "inherit"] });
  await new Promise((resolve, reject) => {
    holder.stdout.once("data", resolve);
    holder.once("exit", (code) => reject(new Error(`the lock holder exited ${code}`)));
  });
  return {
    release: () => new Promise((resolve) => {
      holder.once("exit", resolve);
      holder.stdin.end();
    }),
  };
}
