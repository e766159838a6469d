/**
 * When to refresh an access token. The payload is read, never verified (the server does that). The lifetime is
 * taken as `exp - iat` and counted from when the token arrived on this machine, so a client clock that is off
 * by minutes still refreshes on time.
 */
export function refreshTime(token: string, receivedAt: number, marginMs?: number): number {
  const payload = readPayload(token);
  if (typeof payload?.exp !== "number") {
    return receivedAt; // No expiry to read: refresh before the next use.
  }
  const lifetimeMs = typeof payload.iat === "number" ? (payload.exp - payload.iat) * 1000 : payload.exp * 1000 - receivedAt;
  return receivedAt + lifetimeMs - (marginMs ?? defaultMargin(lifetimeMs));
}

/**
 * 30 seconds, or a quarter of the lifetime when that is shorter. 30 seconds covers a slow request and a refresh
 * round trip on a poor mobile network before the server (whose default clock skew is zero) refuses the token;
 * a quarter keeps short lifetimes (tests, strict deployments) from refreshing on every request.
 */
function defaultMargin(lifetimeMs: number): number {
  return Math.max(0, Math.min(30_000, lifetimeMs / 4));
}

function readPayload(token: string): { exp?: unknown; iat?: unknown } | null {
  const part = token.split(".")[1];
  if (!part) {
    return null;
  }
  try {
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}
