import { ProblemError, TransientError } from "./errors.js";

export type FetchLike = (input: Request) => Promise<Response>;

/** How the client retries 429 and 503 answers of the authentication endpoints. */
export interface RetryOptions {
  /** How many times to retry after 429 or 503. Default 2. */
  attempts?: number;
  /** The longest `Retry-After` the client waits for; a longer one gives up at once with a TransientError. Default 30 000 ms. */
  maxDelayMs?: number;
}

/** Sends with a timeout; a network failure or a timeout rejects (with no token in its message). */
export async function send(fetchImpl: FetchLike, request: Request, timeoutMs: number): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await fetchImpl(new Request(request, { signal: controller.signal }));
  } finally {
    clearTimeout(timer);
  }
}

/** Sends, retrying 429 and 503 after their `Retry-After` within the bound; other answers are returned. */
export async function sendRetryingBusy(fetchImpl: FetchLike, make: () => Request | Promise<Request>, timeoutMs: number, retry: RetryOptions): Promise<Response> {
  const attempts = retry.attempts ?? 2;
  const maxDelayMs = retry.maxDelayMs ?? 30_000;
  for (let attempt = 0; ; attempt++) {
    const response = await send(fetchImpl, await make(), timeoutMs);
    if (response.status !== 429 && response.status !== 503) {
      return response;
    }
    const waitMs = retryAfterMs(response) ?? 1000 * 2 ** attempt;
    if (attempt >= attempts || waitMs > maxDelayMs) {
      throw new TransientError(response.status, await problemCode(response), retryAfterMs(response));
    }
    await response.body?.cancel();
    await sleep(waitMs);
  }
}

/** `Retry-After` in milliseconds: delay-seconds or an HTTP date. */
export function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get("Retry-After");
  if (value === null) {
    return undefined;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value) * 1000;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The problem-details `code` of an answer, or its OAuth-style `error` (as DPoP refusals have), if it has one. */
export async function problemCode(response: Response): Promise<string | undefined> {
  try {
    const body = await response.clone().json();
    const code = body?.code ?? body?.error;
    return typeof code === "string" ? code : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a JSON answer, or throws the problem it carries. */
export async function readJson<T>(response: Response): Promise<T> {
  if (!response.ok) {
    const code = await problemCode(response);
    throw response.status >= 500 ? new TransientError(response.status, code) : new ProblemError(response.status, code);
  }
  return (await response.json()) as T;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
