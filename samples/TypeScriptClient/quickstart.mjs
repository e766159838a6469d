// The TypeScript client against the quick-start app (samples/QuickStart): sign in, call its protected
// GET /hello, list the devices, sign out.
//
//   npm install @jwt-devices/client
//   echo 'Correct-Horse-7' | node quickstart.mjs http://localhost:5000/ alice
//
// The password is read from standard input, so that it shows neither in the shell's history nor in `ps`.
import { createClient, memoryStorage, SignInRequiredError, TransientError } from "@jwt-devices/client";

const [baseUrl = "http://localhost:5000/", username = "alice"] = process.argv.slice(2);
const password = (await readStdin()).trim();

const client = createClient({ baseUrl, storage: memoryStorage() });
client.on("tokenRefreshed", ({ rotated }) => console.error(`access token refreshed${rotated ? " (permanent token rotated)" : ""}`));
client.on("signInRequired", ({ code }) => console.error(`signed out by the server: ${code}`));

try {
  // Bound to a new DPoP key when the server binds devices: every request then carries a proof by it.
  const { deviceId, bound } = await client.signIn(username, password, { deviceModel: "quickstart.mjs" });
  console.log(`signed in as device ${deviceId}${bound ? " (bound to a DPoP key)" : ""}`);

  const hello = await client.fetch("hello");
  console.log(`GET /hello: ${hello.status} ${await hello.text()}`);

  for (const device of await client.devices()) {
    console.log(`device ${device.id}: ${device.name}, last seen ${device.last_request_datetime}`);
  }

  await client.signOut();
  console.log("signed out");
} catch (error) {
  if (error instanceof SignInRequiredError) {
    console.error(`sign in again (${error.code})`);
  } else if (error instanceof TransientError) {
    console.error(`try again later${error.retryAfterMs ? ` (in ${error.retryAfterMs / 1000} s)` : ""}`);
  } else {
    console.error(error.message);
  }
  process.exitCode = 1;
}

async function readStdin() {
  let text = "";
  for await (const chunk of process.stdin) {
    text += chunk;
  }
  return text;
}
