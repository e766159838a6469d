// Two tabs of one origin in headless Chromium, refreshing at once with rotation on, share one refresh through
// the Web Locks API: the server answers one refresh and neither tab is told its token was reused.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { password } from "./clients.mjs";
import { startOrigin } from "./origin.mjs";
import { sleep, startServer } from "./server.mjs";

let server, origin, browser;
before(async () => {
  server = await startServer({ "JwtDevices:RotatePermanentTokens": "true" });
  await server.addUser("alice", password);
  origin = await startOrigin(server.baseUrl);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
});
after(async () => {
  await browser?.close();
  await origin?.close();
  await server?.stop();
});

test("two tabs refreshing at once with rotation on cause one refresh, and neither is told its token was reused", async () => {
  const context = await browser.newContext();
  const [first, second] = [await context.newPage(), await context.newPage()];
  for (const tab of [first, second]) {
    await tab.goto(new URL("tab.html", origin.url).toString());
    await tab.waitForFunction(() => window.tab !== undefined);
  }
  assert.equal(await first.evaluate(() => window.tab.sharedLock), true);
  await first.evaluate((pw) => window.tab.client.signIn("alice", pw, { deviceModel: "first tab" }), password);
  // The second tab starts from the session the first one stored, as a tab opened later does.
  assert.equal(await second.evaluate(() => window.tab.client.fetch("me").then((r) => r.status)), 200);
  await sleep(4000); // past the refresh point: the token lives 5 s and is refreshed 1.25 s before

  const statuses = await Promise.all([first, second].map((tab) =>
    tab.evaluate(() => Promise.all(Array.from({ length: 8 }, () => window.tab.client.fetch("me").then((r) => r.status))))));

  assert.deepEqual(statuses, [Array(8).fill(200), Array(8).fill(200)]);
  assert.equal(server.refreshes(), 1);
  assert.equal(server.reuses(), 0);
  const events = await Promise.all([first, second].map((tab) => tab.evaluate(() => window.tab.events)));
  assert.deepEqual(events.map((e) => e.signInRequired), [[], []]);
  assert.equal(events[0].tokenRefreshed + events[1].tokenRefreshed, 1);
  // The rotated chain is intact: a later refresh by either tab works.
  await sleep(4000);
  assert.equal(await second.evaluate(() => window.tab.client.devices().then((d) => d.length)), 1);
  assert.equal(server.reuses(), 0);
  await context.close();
});
