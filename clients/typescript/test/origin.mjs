// One loopback origin for the browser test: it serves a test page and the built ESM, and passes every other
// request through to the real server, so that pages and API share an origin (as a site behind one proxy does).
import { readFile } from "node:fs/promises";
import { createServer, request } from "node:http";
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));

// The page keeps its session in IndexedDB, shared by the origin's tabs: the storage the guide names for that, whose
// write the next tab to take the refresh lock is sure to read (localStorage is not, between Chromium's processes).
const page = `<!doctype html><meta charset="utf-8"><title>tab</title>
<script type="module">
import { createClient, hasSharedLock, indexedDbStorage } from "/client/index.js";
const storage = indexedDbStorage();
const client = createClient({ baseUrl: location.origin + "/", storage });
const events = { tokenRefreshed: 0, signInRequired: [] };
client.on("tokenRefreshed", () => events.tokenRefreshed++);
client.on("signInRequired", (event) => events.signInRequired.push(event.code));
window.tab = { client, storage, events, sharedLock: hasSharedLock() };
</script>`;

export function startOrigin(apiBaseUrl) {
  const api = new URL(apiBaseUrl);
  const server = createServer(async (req, res) => {
    if (req.url === "/tab.html") {
      res.writeHead(200, { "Content-Type": "text/html" }).end(page);
    } else if (req.url.startsWith("/client/") && /^[a-z-]+\.js$/.test(req.url.slice(8))) {
      res.writeHead(200, { "Content-Type": "text/javascript" }).end(await readFile(dist + req.url.slice(8)));
    } else {
      const upstream = request({ host: api.hostname, port: api.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}
