import { useSyncExternalStore } from "react";

// Names of users this tab has seen (in search results or token rows), so a filter read from a
// shared link can show a name rather than a bare id. Only display text, never access.
const labels = new Map<string, string>();
const listeners = new Set<() => void>();
let version = 0;

/** `replace: false` keeps a better label already known (a search result's display name). */
export function rememberUser(id: string, label: string, replace = true): void {
  if (!label || labels.get(id) === label || (!replace && labels.has(id))) return;
  labels.set(id, label);
  version++;
  for (const listener of listeners) listener();
}

export function userLabel(id: string): string {
  return labels.get(id) ?? id;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Re-renders the caller when a label it may show becomes known. */
export function useUserLabels(): void {
  useSyncExternalStore(subscribe, () => version);
}
