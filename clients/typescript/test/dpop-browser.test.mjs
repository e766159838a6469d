// DPoP in headless Chromium: the device's private key is a non-extractable WebCrypto key kept in IndexedDB, used
// again after a reload, and deleted at sign-out. Against the stand-in server (dpop-server.mjs), which serves the page.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchChromium, localStorageSession } from "./browser.mjs";
import { startDpopServer } from "./dpop-server.mjs";

// The session in localStorage, the key in IndexedDB (the client's default in browsers).
const page = `<!doctype html><meta charset="utf-8"><title>dpop</title>
<script type="module">
import { createClient } from "/client/index.js";
${localStorageSession}
// Reads the stored key straight from IndexedDB, not through the client.
function storedKey() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("jwt-devices-dpop");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains("keys")) { db.close(); return resolve(undefined); }
      const get = db.transaction("keys").objectStore("keys").get("device-key");
      get.onsuccess = () => { db.close(); resolve(get.result); };
      get.onerror = () => reject(get.error);
    };
  });
}
async function describeKey() {
  const pair = await storedKey();
  if (!pair) return null;
  const exported = await crypto.subtle.exportKey("pkcs8", pair.privateKey).then(() => "exported", (e) => e.name);
  return { extractable: pair.privateKey.extractable, type: pair.privateKey.type, curve: pair.privateKey.algorithm.namedCurve, exported };
}
window.tab = { client: createClient({ baseUrl: location.origin + "/", storage }), describeKey };
</script>`;

let server, browser;
before(async () => {
  server = await startDpopServer({ page });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("the browser keeps a non-extractable key in IndexedDB, signs with it after a reload, and deletes it at sign-out", async () => {
  const context = await browser.newContext();
  const tab = await context.newPage();
  const open = async () => {
    await tab.goto(new URL("tab.html", server.url).toString());
    await tab.waitForFunction(() => window.tab !== undefined);
  };
  await open();

  assert.deepEqual(await tab.evaluate(() => window.tab.client.signIn("alice", "pw")), { deviceId: 7, bound: true });
  assert.equal(await tab.evaluate(() => window.tab.client.fetch("me").then((r) => r.status)), 200);
  assert.deepEqual(await tab.evaluate(() => window.tab.describeKey()), { extractable: false, type: "private", curve: "P-256", exported: "InvalidAccessError" });
  await open(); // a reload: a new client, the session from localStorage, the key from IndexedDB
  assert.equal(await tab.evaluate(() => window.tab.client.fetch("me").then((r) => r.status)), 200);
  server.expireToken();
  assert.equal(await tab.evaluate(() => window.tab.client.fetch("me").then((r) => r.status)), 200);

  const proofs = server.state.requests.filter((seen) => seen.path !== "/favicon.ico").map((seen) => seen.proof);
  assert.ok(proofs.every((proof) => proof && !proof.invalid));
  assert.equal(new Set(proofs.map((proof) => proof.thumbprint)).size, 1);
  assert.equal(server.to("/device-refresh-token/").length, 1);
  await tab.evaluate(() => window.tab.client.signOut());
  assert.equal(await tab.evaluate(() => window.tab.describeKey()), null);
  assert.equal(await tab.evaluate(() => localStorage.getItem("jwt-devices-session")), null);
  await context.close();
});
