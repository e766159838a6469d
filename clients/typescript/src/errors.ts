/**
 * Errors of the client. None of them carries a token: messages name the status and the server's `code` only.
 */

/** The base of every error the client throws. */
export class JwtDevicesError extends Error {
  override name = "JwtDevicesError";
}

/**
 * The session is over: the user must sign in again. The storage has been cleared.
 * `code` is the server's problem-details code (`invalid_permanent_token`, `expired_permanent_token`,
 * `permanent_token_reused`, `credentials_changed`, `inactive_user`, ...), or `not_signed_in` when the
 * storage held no session.
 */
export class SignInRequiredError extends JwtDevicesError {
  override name = "SignInRequiredError";
  constructor(readonly code: string, readonly status?: number) {
    super(`Sign-in required (${code}).`);
  }
}

/**
 * Try later: the server answered 429 or 503 past the retry bound, a 5xx, or the connection failed or timed out.
 * The session is kept. `retryAfterMs` is the server's `Retry-After`, when it sent one.
 */
export class TransientError extends JwtDevicesError {
  override name = "TransientError";
  constructor(readonly status: number | undefined, readonly code: string | undefined, readonly retryAfterMs?: number, options?: { cause?: unknown }) {
    super(status === undefined ? "The server could not be reached; try again later." : `The server answered ${status}${code ? ` (${code})` : ""}; try again later.`, options);
  }
}

/** Any other refusal with a problem-details body, such as `invalid_credentials` at sign-in. */
export class ProblemError extends JwtDevicesError {
  override name = "ProblemError";
  constructor(readonly status: number, readonly code: string | undefined) {
    super(`The server answered ${status}${code ? ` (${code})` : ""}.`);
  }
}
