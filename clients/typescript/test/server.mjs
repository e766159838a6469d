// Starts the real JwtDevices server (the build in src/JwtDevices.Server/bin), or another built app such as the
// quick start, on a free loopback port, with a temporary SQLite database and a fresh signing key, and reads its
// log to count refreshes and reuse detections.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const serverDll =
  process.env.JWTDEVICES_SERVER_DLL ??
  fileURLToPath(new URL("../../../src/JwtDevices.Server/bin/Debug/net10.0/JwtDevices.Server.dll", import.meta.url));

/** A free loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * settings: configuration keys to values, such as { "JwtDevices:RotatePermanentTokens": "true" }.
 * Access tokens live 5 seconds unless said otherwise.
 */
export async function startServer(settings = {}, dll = serverDll) {
  if (!existsSync(dll)) {
    throw new Error(`The app is not built: run "dotnet build" first (looked for ${dll}).`);
  }
  const dir = mkdtempSync(join(tmpdir(), "jwtdevices-ts-"));
  const database = join(dir, "test.db");
  const config = {
    // A short busy timeout, so that a locked database is an outage (503) within a second.
    "ConnectionStrings:Default": `Data Source=${database};Default Timeout=1`,
    "JwtDevices:SigningKey": randomBytes(32).toString("base64"),
    "JwtDevices:AccessTokenLifetime": "00:00:05",
    "Logging:LogLevel:Default": "Warning",
    // Refreshes (event 6) are logged at Debug, reuse detections (event 7) as warnings.
    "Logging:LogLevel:JwtDevices.Events.DeviceEventRaiser": "Debug",
    "Logging:Console:FormatterName": "simple",
    "Logging:Console:FormatterOptions:SingleLine": "true",
    ...settings,
  };
  // Through the environment, so that commands keep their exact arguments.
  const env = { ...process.env, ASPNETCORE_ENVIRONMENT: "Production", DOTNET_NOLOGO: "1", DOTNET_CLI_TELEMETRY_OPTOUT: "1" };
  for (const [key, value] of Object.entries(config)) {
    env[key.replaceAll(":", "__")] = value;
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}/`;
  const child = spawn("dotnet", [dll, "--urls", baseUrl], { stdio: ["ignore", "pipe", "pipe"], env });
  let log = "";
  child.stdout.on("data", (chunk) => (log += chunk));
  child.stderr.on("data", (chunk) => (log += chunk));
  const exited = new Promise((resolve) => child.once("exit", resolve));

  const server = {
    baseUrl,
    database,
    log: () => log,
    /** Refreshes the server answered (every 200 of the refresh endpoint). */
    refreshes: () => count(log, /DeviceEventRaiser\[6\]/g),
    /** Replaced permanent tokens presented again (each revokes its device). */
    reuses: () => count(log, /DeviceEventRaiser\[7\]/g),
    /** Runs a command of the server's command line against the same database. */
    cli: (commandArgs, input) => runCli(dll, commandArgs, env, input),
    addUser: (name, password) => runCli(dll, ["users", "add", name, "--password-stdin"], env, password),
    async stop() {
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  for (let i = 0; ; i++) {
    try {
      await fetch(baseUrl); // any answer: it listens
      break;
    } catch {
      // Not listening yet.
    }
    if (i > 120 || child.exitCode !== null) {
      await server.stop();
      throw new Error(`The server did not start:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return server;
}

function runCli(dll, args, env, input) {
  return new Promise((resolve, reject) => {
    const child = spawn("dotnet", [dll, ...args], { stdio: ["pipe", "pipe", "pipe"], env });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.stdin.end(input ?? "");
    child.once("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`${args.slice(0, 3).join(" ")} exited ${code}: ${output}`))));
  });
}

function count(text, pattern) {
  return (text.match(pattern) ?? []).length;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
