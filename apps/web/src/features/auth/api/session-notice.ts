/**
 * Why the user is about to see the sign-in page, handed from whoever ended the session (a 401, the
 * Sign out button) to the sign-in page. It lives outside React because the API client's 401
 * handler runs outside any component.
 */
export type SessionNotice = "session_ended" | "signed_out";

let current: SessionNotice | null = null;

export function setSessionNotice(notice: SessionNotice): void {
  current = notice;
}

export function peekSessionNotice(): SessionNotice | null {
  return current;
}

export function clearSessionNotice(): void {
  current = null;
}

export const sessionNoticeMessages: Record<SessionNotice, string> = {
  session_ended: "Your session has ended, please sign in again.",
  signed_out: "You have signed out.",
};
