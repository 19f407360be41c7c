import { randomBase62 } from "./ids.ts";

/**
 * Request ids: `req_` + a random per-process prefix + a counter. Unique across processes and
 * restarts (the prefix carries ~71 bits), ordered within a process, and far cheaper than a UUID
 * per request. They only correlate log lines and audit rows; nothing relies on them being secret.
 */
export function requestIdGenerator(): () => string {
  const prefix = `req_${randomBase62(12)}`;
  let counter = 0;
  return () => prefix + (counter++).toString(36).padStart(8, "0");
}

const SAFE_REQUEST_ID = /^[\w\-=.]{1,200}$/;

/** A request id set by a proxy in front of us is kept if it cannot corrupt logs or headers. */
export function isSafeRequestId(text: string): boolean {
  return SAFE_REQUEST_ID.test(text);
}
