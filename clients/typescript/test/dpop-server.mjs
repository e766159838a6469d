// A stand-in for a DPoP-binding JwtDevices server on loopback: it keeps the wire contract (log-in and refresh
// answers with "token_type", DPoP resource requests, nonces) and checks every proof with the jose package (not the
// client's code), recording what it saw. It also serves a test page and the built ESM, for the browser test.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify } from "jose";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));

export async function checkProof(proof) {
  const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: ["ES256"] });
  const jwk = decodeProtectedHeader(proof).jwk;
  return { ...payload, jwkMembers: Object.keys(jwk).sort(), thumbprint: await calculateJwkThumbprint(protectedHeader.jwk), signatureLength: Buffer.from(proof.split(".")[2], "base64url").length };
}

export function ath(token) {
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)).then((hash) => Buffer.from(hash).toString("base64url"));
}

/** options: { binds = true, requiresNonce = false, page } */
export function startDpopServer({ binds = true, requiresNonce = false, page = "" } = {}) {
  const state = { binds, requiresNonce, nonce: "nonce-1", boundTo: null, token: null, issued: 0, ended: false, requests: [] };
  const issue = () => {
    const now = Math.floor(Date.now() / 1000);
    state.token = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ iat: now, exp: now + 300, n: ++state.issued })).toString("base64url")}.signature`;
    return { token: state.token, ...(state.boundTo ? { token_type: "DPoP" } : {}) };
  };
  const needsNonce = (proof) => state.requiresNonce && proof.nonce !== state.nonce;

  const server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/tab.html") {
      return res.writeHead(200, { "Content-Type": "text/html" }).end(page);
    }
    if (path.startsWith("/client/") && /^[a-z-]+\.js$/.test(path.slice(8))) {
      return res.writeHead(200, { "Content-Type": "text/javascript" }).end(await readFile(dist + path.slice(8)));
    }
    for await (const _ of req) {
      // The body is not read.
    }
    const header = req.headers.dpop;
    let proof = null;
    try {
      proof = header ? await checkProof(header) : null;
    } catch (error) {
      proof = { invalid: String(error) };
    }
    const authorization = req.headers.authorization ?? null;
    state.requests.push({ method: req.method, path, authorization, proof });
    const headers = state.requiresNonce ? { "DPoP-Nonce": state.nonce } : {};
    const json = (status, body) => res.writeHead(status, { ...headers, "Content-Type": "application/json" }).end(JSON.stringify(body));
    const unauthorized = (error) => res.writeHead(401, { ...headers, "WWW-Authenticate": `DPoP error="${error}", algs="ES256"` }).end();
    if (proof?.invalid) {
      return json(400, { error: "invalid_dpop_proof" });
    }
    if (req.method === "POST" && path === "/auth-token/") {
      if (proof && needsNonce(proof)) {
        return json(400, { error: "use_dpop_nonce" });
      }
      state.boundTo = state.binds && proof ? proof.thumbprint : null;
      state.ended = false;
      return json(200, { ...issue(), permanent_token: "permanent-1", device_id: 7 });
    }
    if (req.method === "POST" && path === "/device-refresh-token/") {
      if (state.ended) {
        return json(400, { code: "invalid_permanent_token" });
      }
      if (state.boundTo && (!proof || proof.thumbprint !== state.boundTo)) {
        return json(400, { error: "invalid_dpop_proof" });
      }
      if (state.boundTo && needsNonce(proof)) {
        return json(400, { error: "use_dpop_nonce" });
      }
      return json(200, issue());
    }
    const scheme = state.boundTo ? "DPoP" : "Bearer";
    if (authorization !== `${scheme} ${state.token}`) {
      return unauthorized("invalid_token");
    }
    if (state.boundTo) {
      if (!proof || proof.thumbprint !== state.boundTo || proof.ath !== (await ath(state.token))) {
        return unauthorized("invalid_dpop_proof");
      }
      if (needsNonce(proof)) {
        return unauthorized("use_dpop_nonce");
      }
    }
    if (req.method === "GET" && path === "/me") {
      return json(200, { user: "alice" });
    }
    if (req.method === "DELETE" && path === "/device-logout/") {
      return res.writeHead(204, headers).end();
    }
    return json(404, {});
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}/`,
        state,
        to: (path) => state.requests.filter((seen) => seen.path === path),
        /** Refuses the current access token, as once it expired: the next request refreshes. */
        expireToken: () => (state.token = "expired"),
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}
