// DPoP (RFC 9449) in Node: a key per device made at sign-in, a proof for sign-in, refresh and every request (each
// checked by the jose package under the key in its header), server nonces, the fallback to an unbound device, and
// the key forgotten with its device. Against a stand-in server (dpop-server.mjs).
import assert from "node:assert/strict";
import { after, afterEach, test } from "node:test";
import { createClient, memoryKeyStorage, memoryStorage, SignInRequiredError } from "../dist/index.js";
import { ath, startDpopServer } from "./dpop-server.mjs";

let server;
afterEach(() => server?.close());
after(() => server?.close());

function client(options = {}) {
  const storage = memoryStorage();
  const keyStorage = memoryKeyStorage();
  const signals = [];
  const instance = createClient({ baseUrl: server.url, storage, dpop: { keyStorage }, ...options });
  instance.on("signInRequired", (event) => signals.push(event.code));
  return { client: instance, storage, keyStorage, signals };
}

test("sign-in binds the device, and sign-in, refresh and requests carry valid proofs by one key", async () => {
  server = await startDpopServer();
  const { client: c, storage, keyStorage } = client();
  const started = Math.floor(Date.now() / 1000);

  assert.deepEqual(await c.signIn("alice", "pw"), { deviceId: 7, bound: true });
  assert.equal((await c.fetch("me?page=2#top")).status, 200);
  server.expireToken();
  assert.equal((await c.fetch("me")).status, 200);

  assert.equal((await storage.get()).tokenType, "DPoP");
  const keys = await keyStorage.get();
  assert.equal(keys.privateKey.extractable, false);
  const [login] = server.to("/auth-token/").map((seen) => seen.proof);
  const [refresh] = server.to("/device-refresh-token/").map((seen) => seen.proof);
  const requests = server.to("/me");
  assert.deepEqual([login.htm, login.htu, login.ath], ["POST", `${server.url}auth-token/`, undefined]);
  assert.deepEqual([refresh.htm, refresh.htu, refresh.ath], ["POST", `${server.url}device-refresh-token/`, undefined]);
  assert.equal(requests.length, 3); // the third after a refused (expired) token, refreshed
  for (const seen of requests) {
    const token = seen.authorization.slice("DPoP ".length);
    assert.ok(seen.authorization.startsWith("DPoP "));
    assert.deepEqual([seen.proof.htm, seen.proof.htu, seen.proof.ath], ["GET", `${server.url}me`, await ath(token)]);
  }
  const proofs = [login, refresh, ...requests.map((seen) => seen.proof)];
  assert.equal(new Set(proofs.map((proof) => proof.thumbprint)).size, 1);
  assert.equal(new Set(proofs.map((proof) => proof.jti)).size, proofs.length);
  for (const proof of proofs) {
    assert.deepEqual(proof.jwkMembers, ["crv", "kty", "x", "y"]);
    assert.equal(proof.signatureLength, 64); // r‖s, not DER
    assert.ok(proof.iat >= started && proof.iat <= Math.floor(Date.now() / 1000) + 1);
    assert.equal(proof.nonce, undefined);
  }
});

test("a server nonce is asked for once at sign-in, remembered for later proofs, and a new one retried once on a request", async () => {
  server = await startDpopServer({ requiresNonce: true });
  const { client: c } = client();

  await c.signIn("alice", "pw");
  assert.equal((await c.fetch("me")).status, 200);
  server.state.nonce = "nonce-2";
  assert.equal((await c.fetch("me")).status, 200);
  server.expireToken();
  assert.equal((await c.fetch("me")).status, 200);

  assert.deepEqual(server.to("/auth-token/").map((seen) => seen.proof.nonce), [undefined, "nonce-1"]);
  assert.deepEqual(server.to("/me").map((seen) => seen.proof.nonce), ["nonce-1", "nonce-1", "nonce-2", "nonce-2", "nonce-2"]);
  assert.deepEqual(server.to("/device-refresh-token/").map((seen) => seen.proof.nonce), ["nonce-2"]);
});

test("a nonce demand repeated after its retry is returned to the caller, with no refresh", async () => {
  server = await startDpopServer({ requiresNonce: true });
  let n = 10;
  let moveNonce = false;
  // The server moves its nonce on before each request once signed in: every proof's nonce is stale.
  const moving = async (request) => {
    if (moveNonce) {
      server.state.nonce = `nonce-${++n}`;
    }
    return fetch(request);
  };
  const { client: c } = client({ fetch: moving });
  await c.signIn("alice", "pw");
  moveNonce = true;

  const response = await c.fetch("me");

  assert.equal(response.status, 401);
  assert.equal(server.to("/me").length, 2);
  assert.equal(server.to("/device-refresh-token/").length, 0);
});

test("a server that does not bind gets an unbound device: Bearer, and no proofs after the offered one", async () => {
  server = await startDpopServer({ binds: false });
  const { client: c, storage, keyStorage } = client();

  assert.deepEqual(await c.signIn("alice", "pw"), { deviceId: 7, bound: false });
  assert.equal((await c.fetch("me")).status, 200);
  server.expireToken();
  assert.equal((await c.fetch("me")).status, 200);

  assert.equal((await storage.get()).tokenType, undefined);
  assert.equal(await keyStorage.get(), null);
  assert.ok(server.to("/auth-token/")[0].proof, "offered at sign-in");
  assert.ok(server.state.requests.slice(1).every((seen) => seen.proof === null));
  assert.ok(server.to("/me").every((seen) => seen.authorization.startsWith("Bearer ")));
});

test("with dpop: false no proof is sent at all", async () => {
  server = await startDpopServer();
  const c = createClient({ baseUrl: server.url, storage: memoryStorage(), dpop: false });

  assert.deepEqual(await c.signIn("alice", "pw"), { deviceId: 7, bound: false });
  assert.equal((await c.fetch("me")).status, 200);

  assert.ok(server.state.requests.every((seen) => seen.proof === null));
});

test("sign-out sends a proof, then forgets the key with the session", async () => {
  server = await startDpopServer();
  const { client: c, storage, keyStorage } = client();
  await c.signIn("alice", "pw");

  await c.signOut();

  assert.equal(server.to("/device-logout/")[0].proof.htm, "DELETE");
  assert.equal(await storage.get(), null);
  assert.equal(await keyStorage.get(), null);
});

test("a device the server ended has its key forgotten with the session", async () => {
  server = await startDpopServer();
  const { client: c, storage, keyStorage, signals } = client();
  await c.signIn("alice", "pw");
  server.state.ended = true;
  server.expireToken();

  await assert.rejects(c.fetch("me"), (error) => error instanceof SignInRequiredError && error.code === "invalid_permanent_token");

  assert.deepEqual(signals, ["invalid_permanent_token"]);
  assert.equal(await storage.get(), null);
  assert.equal(await keyStorage.get(), null);
});

test("a bound session whose key is gone is sign-in required, not a request without a proof", async () => {
  server = await startDpopServer();
  const { client: c, storage } = client();
  await c.signIn("alice", "pw");
  // As after a restart with the session persisted and the key in a memory key storage.
  const restarted = createClient({ baseUrl: server.url, storage: memoryStorage(await storage.get()), dpop: { keyStorage: memoryKeyStorage() } });

  await assert.rejects(restarted.fetch("me"), (error) => error instanceof SignInRequiredError && error.code === "dpop_key_missing");
});
