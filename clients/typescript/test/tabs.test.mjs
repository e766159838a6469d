// Two tabs of one origin in headless Chromium, refreshing at once with rotation on, share one refresh through
// the Web Locks API: the server answers one refresh and neither tab is told its token was reused.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchChromium } from "./browser.mjs";
import { password } from "./clients.mjs";
import { startOrigin } from "./origin.mjs";
import { sleep, startServer } from "./server.mjs";

let server, origin, browser;
before(async () => {
  // 10-second tokens, so that a slow machine still finishes the race well before the next refresh is due.
  server = await startServer({ "JwtDevices:RotatePermanentTokens": "true", "JwtDevices:AccessTokenLifetime": "00:00:10" });
  await server.addUser("alice", password);
  origin = await startOrigin(server.baseUrl);
  browser = await launchChromium();
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
  // Past the refresh point that the first tab stored (2.5 s before the token expires).
  const refreshAt = await first.evaluate(() => window.tab.storage.get().then((s) => s.refreshAt));
  await sleep(refreshAt - Date.now() + 200);
  const refreshesBefore = server.refreshes();

  const statuses = await Promise.all([first, second].map((tab) =>
    tab.evaluate(() => Promise.all(Array.from({ length: 8 }, () => window.tab.client.fetch("me").then((r) => r.status))))));

  assert.deepEqual(statuses, [Array(8).fill(200), Array(8).fill(200)]);
  assert.equal(server.refreshes() - refreshesBefore, 1);
  assert.equal(server.reuses(), 0);
  const events = await Promise.all([first, second].map((tab) => tab.evaluate(() => window.tab.events)));
  assert.deepEqual(events.map((e) => e.signInRequired), [[], []]);
  assert.equal(events[0].tokenRefreshed + events[1].tokenRefreshed, 1);
  // The rotated chain is intact: the device is still there, and the next refresh, by the other tab, works.
  assert.equal(await second.evaluate(() => window.tab.client.devices().then((d) => d.length)), 1);
  const nextRefreshAt = await second.evaluate(() => window.tab.storage.get().then((s) => s.refreshAt));
  await sleep(nextRefreshAt - Date.now() + 200);
  assert.equal(await second.evaluate(() => window.tab.client.fetch("me").then((r) => r.status)), 200);
  assert.equal(server.refreshes() - refreshesBefore, 2);
  assert.equal(server.reuses(), 0);
  await context.close();
});
