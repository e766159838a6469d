export { createClient, type ClientOptions, type DeviceInfo, type DpopOptions, type JwtDevicesClient, type SignInOptions } from "./client.js";
export { indexedDbKeyStorage, memoryKeyStorage, type DpopKeyStorage } from "./dpop.js";
export { JwtDevicesError, ProblemError, SignInRequiredError, TransientError } from "./errors.js";
export type { ClientEvents } from "./events.js";
export type { FetchLike, RetryOptions } from "./http.js";
export { hasSharedLock } from "./lock.js";
export { indexedDbStorage, memoryStorage, type StoredSession, type TokenStorage } from "./storage.js";
