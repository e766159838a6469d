// The npm package as `npm pack` makes it, installed into a fresh folder: it imports as ESM, its type
// declarations check a TypeScript caller, it holds only what it should, and it signs in against the real server;
// and the sample of samples/TypeScriptClient runs with it against the quick-start app.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { password } from "./clients.mjs";
import { startServer } from "./server.mjs";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const tsc = join(packageDir, "node_modules", "typescript", "bin", "tsc");
const quickStartDll = fileURLToPath(new URL("../../../samples/QuickStart/bin/Debug/net10.0/QuickStart.dll", import.meta.url));
let server, work, app;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "jwtdevices-npm-"));
  // CI packs once and names the file; alone, the test packs the current build itself.
  const tarball = process.env.JWTDEVICES_NPM_PACKAGE ?? join(work, run("npm", ["pack", "--silent", "--pack-destination", work], packageDir).trim().split("\n").pop());
  app = join(work, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--offline", tarball], app);
  server = await startServer();
  await server.addUser("alice", password);
});
after(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

test("the packed package installs into a fresh folder, type-checks a caller and signs in", async () => {
  const installed = join(app, "node_modules", "@jwt-devices", "client");
  assert.deepEqual(readdirSync(installed).sort(), ["README.md", "dist", "package.json"]);
  assert.ok(!readdirSync(join(installed, "dist")).some((file) => file.endsWith(".ts") && !file.endsWith(".d.ts")));

  writeFileSync(join(app, "main.ts"), `
import { createClient, memoryStorage, SignInRequiredError, type DeviceInfo } from "@jwt-devices/client";
const client = createClient({ baseUrl: process.argv[2], storage: memoryStorage() });
await client.signIn("alice", ${JSON.stringify(password)}, { deviceModel: "packed" });
const devices: DeviceInfo[] = await client.devices();
const me = await client.fetch("me");
console.log(JSON.stringify({ names: devices.map((d) => d.name), me: me.status, errors: typeof SignInRequiredError }));
declare const process: { argv: string[] };
`);
  writeFileSync(join(app, "tsconfig.json"), JSON.stringify({
    compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2022", "DOM"], types: [], strict: true, outDir: "out" },
    files: ["main.ts"],
  }));
  run("node", [tsc, "-p", "tsconfig.json"], app);

  const result = JSON.parse(run("node", ["out/main.js", server.baseUrl], app));
  assert.deepEqual(result, { names: ["packed"], me: 200, errors: "function" });
});

test("the sample signs in to the quick-start app, calls GET /hello, lists the devices and signs out", async () => {
  const quickStart = await startServer({}, quickStartDll);
  try {
    await quickStart.cli(["add-user", "alice"], "Correct-Horse-7\n");
    copyFileSync(fileURLToPath(new URL("../../../samples/TypeScriptClient/quickstart.mjs", import.meta.url)), join(app, "quickstart.mjs"));

    const output = run("node", ["quickstart.mjs", quickStart.baseUrl, "alice"], app, "Correct-Horse-7\n");

    assert.match(output, /^signed in as device 1 \(bound to a DPoP key\)\nGET \/hello: 200 Hello, alice!\ndevice 1: quickstart\.mjs, last seen .+\nsigned out\n$/);
  } finally {
    await quickStart.stop();
  }
});

function run(command, args, cwd, input) {
  return execFileSync(command, args, { cwd, encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"] });
}
