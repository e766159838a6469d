// DPoP end to end: the client against the real server (src/JwtDevices.Server) in Node and in headless Chromium:
// it signs in bound, refreshes and calls GET /me with a proof each time (each checked with jose too), meets a
// required nonce, and its access token copied away from the key is refused.
import assert from "node:assert/strict";
import { after, afterEach, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createClient, memoryKeyStorage, memoryStorage } from "../dist/index.js";
import { launchChromium } from "./browser.mjs";
import { password } from "./clients.mjs";
import { checkProof } from "./dpop-server.mjs";
import { startOrigin } from "./origin.mjs";
import { sleep, startServer } from "./server.mjs";

const quickStartDll = fileURLToPath(new URL("../../../samples/QuickStart/bin/Debug/net10.0/QuickStart.dll", import.meta.url));

let server, origin, browser;
afterEach(async () => {
  await browser?.close();
  await origin?.close();
  await server?.stop();
  browser = origin = server = undefined;
});
after(() => server?.stop());

/** A client whose requests are recorded: path, status, scheme and proof. */
function recordedClient(settings = {}) {
  const seen = [];
  const storage = memoryStorage();
  const recording = async (request) => {
    const proof = request.headers.get("DPoP");
    const response = await fetch(request);
    seen.push({ path: new URL(request.url).pathname, status: response.status, scheme: request.headers.get("Authorization")?.split(" ")[0], proof });
    return response;
  };
  const client = createClient({ baseUrl: server.baseUrl, storage, fetch: recording, dpop: { keyStorage: memoryKeyStorage() }, ...settings });
  return { client, storage, seen };
}

async function waitForRefreshPoint(storage) {
  await sleep((await storage.get()).refreshAt - Date.now() + 200);
}

test("in Node the client signs in bound, refreshes and calls GET /me with a proof each time; the token alone is refused", async () => {
  server = await startServer();
  await server.addUser("alice", password);
  const { client, storage, seen } = recordedClient();

  assert.equal((await client.signIn("alice", password)).bound, true);
  const me = await client.fetch("me");
  await waitForRefreshPoint(storage);
  const again = await client.fetch("me");

  assert.equal(me.status, 200);
  assert.equal(again.status, 200);
  assert.equal(server.refreshes(), 1);
  assert.deepEqual(seen.map((s) => [s.path, s.status]), [["/auth-token/", 200], ["/me", 200], ["/device-refresh-token/", 200], ["/me", 200]]);
  const proofs = await Promise.all(seen.map((s) => checkProof(s.proof)));
  assert.equal(new Set(proofs.map((p) => p.thumbprint)).size, 1);
  assert.equal((await again.json()).dpop_jkt, proofs[0].thumbprint);
  assert.ok(seen.filter((s) => s.path === "/me").every((s) => s.scheme === "DPoP"));

  const { token, permanentToken } = await storage.get();
  assert.equal((await fetch(new URL("me", server.baseUrl), { headers: { Authorization: `Bearer ${token}` } })).status, 401);
  assert.equal((await fetch(new URL("me", server.baseUrl), { headers: { Authorization: `DPoP ${token}` } })).status, 401);
  const stolenRefresh = await fetch(new URL("device-refresh-token/", server.baseUrl), { method: "POST", headers: { "Permanent-Token": permanentToken } });
  assert.equal(stolenRefresh.status, 400);
  assert.match(await stolenRefresh.text(), /invalid_dpop_proof/);

  await client.signOut();
  assert.deepEqual(seen.map((s) => [s.path, s.status]).at(-1), ["/device-logout/", 204]);
});

// The quick-start app (the library hosted by an app of its own), since it takes the JwtDevices:Dpop settings.
test("in Node with a nonce required, sign-in asks once for it and every later call succeeds", async () => {
  server = await startServer({ "JwtDevices:Dpop:RequireNonce": "true" }, quickStartDll);
  const quickStartPassword = "Correct-Horse-7"; // the quick start's password rules
  await server.cli(["add-user", "alice"], `${quickStartPassword}\n`);
  const { client, storage, seen } = recordedClient();

  assert.equal((await client.signIn("alice", quickStartPassword)).bound, true);
  assert.equal((await client.fetch("hello")).status, 200);
  await waitForRefreshPoint(storage);
  assert.equal((await client.fetch("hello")).status, 200);

  const logins = seen.filter((s) => s.path === "/auth-token/");
  assert.deepEqual(logins.map((s) => s.status), [400, 200]);
  assert.equal((await checkProof(logins[0].proof)).nonce, undefined);
  assert.equal(typeof (await checkProof(logins[1].proof)).nonce, "string");
  assert.equal(seen.filter((s) => s.path === "/device-refresh-token/").at(-1).status, 200);
});

test("in Chromium the client signs in bound with its IndexedDB key, refreshes, and calls GET /me after a reload", async () => {
  server = await startServer();
  await server.addUser("alice", password);
  origin = await startOrigin(server.baseUrl);
  browser = await launchChromium();
  const tab = await (await browser.newContext()).newPage();
  const open = async () => {
    await tab.goto(new URL("tab.html", origin.url).toString());
    await tab.waitForFunction(() => window.tab !== undefined);
  };
  await open();

  assert.equal((await tab.evaluate((pw) => window.tab.client.signIn("alice", pw), password)).bound, true);
  const me = await tab.evaluate(() => window.tab.client.fetch("me").then(async (r) => [r.status, (await r.json()).dpop_jkt]));
  await open(); // a reload: the session and the key from IndexedDB
  const refreshAt = await tab.evaluate(() => window.tab.storage.get().then((s) => s.refreshAt));
  await sleep(refreshAt - Date.now() + 200);
  const again = await tab.evaluate(() => window.tab.client.fetch("me").then(async (r) => [r.status, (await r.json()).dpop_jkt]));

  assert.equal(me[0], 200);
  assert.equal(typeof me[1], "string");
  assert.deepEqual(again, me);
  assert.equal(server.refreshes(), 1);
});
