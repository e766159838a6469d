// What the browser tests share: headless Chromium, and the test pages' session storage over localStorage.
import { chromium } from "playwright-core";

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

// Page script: a `storage` that keeps the session in localStorage, shared by the origin's tabs; see the guide for
// why a real site should prefer memory or a platform store.
export const localStorageSession = `const key = "jwt-devices-session";
const storage = {
  async get() { return JSON.parse(localStorage.getItem(key) ?? "null"); },
  async set(session) { localStorage.setItem(key, JSON.stringify(session)); },
  async clear() { localStorage.removeItem(key); },
};`;
