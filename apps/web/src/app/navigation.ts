import type { Me } from "@keyward/contracts/auth";
import type { Permission } from "@keyward/contracts/permissions";
import type { IconName } from "../components/ui/icons.tsx";
import { expandPermissions } from "../lib/permissions.ts";

/**
 * The one table of pages a signed-in user can reach and who may use them. The sidebar shows
 * exactly the pages `canUsePage` allows, and the route guard refuses the others with the same
 * rule, so the two can never disagree.
 */
export type PageId =
  | "admin.tokens"
  | "admin.users"
  | "admin.roles"
  | "admin.audit"
  | "admin.settings"
  | "profile"
  | "profile.tokens"
  | "profile.sessions";

export interface PageInfo {
  id: PageId;
  /** Label in the navigation and the page's h1. */
  label: string;
  path: string;
  /** One sentence on what the section is for, shown under the heading. */
  description: string;
  /** Any one of these grants access; `null` means every signed-in user. */
  anyOf: readonly Permission[] | null;
  icon: IconName;
  section: SectionId;
}

export type SectionId = "admin" | "profile";

export const sectionLabels: Record<SectionId, string> = {
  admin: "Administration",
  profile: "Profile",
};

export const pages: Record<PageId, PageInfo> = {
  "admin.tokens": {
    id: "admin.tokens",
    label: "API tokens",
    path: "/admin/tokens",
    description:
      "Every user's API tokens: who owns them, when they expire and when they were last used.",
    anyOf: ["tokens.all.read", "tokens.all.manage"],
    icon: "key",
    section: "admin",
  },
  "admin.users": {
    id: "admin.users",
    label: "Users",
    path: "/admin/users",
    description: "The people who can sign in to Keyward, their roles and whether they are active.",
    anyOf: ["users.manage"],
    icon: "users",
    section: "admin",
  },
  "admin.roles": {
    id: "admin.roles",
    label: "Roles",
    path: "/admin/roles",
    description: "Roles grant permissions. Every user has exactly one role.",
    anyOf: ["roles.manage"],
    icon: "shield",
    section: "admin",
  },
  "admin.audit": {
    id: "admin.audit",
    label: "Audit log",
    path: "/admin/audit",
    description:
      "A record of every change to tokens, users, roles and settings: who, what and when.",
    anyOf: ["audit.read"],
    icon: "scroll",
    section: "admin",
  },
  "admin.settings": {
    id: "admin.settings",
    label: "Settings",
    path: "/admin/settings",
    description: "Token lifetime and browser session policy for this Keyward deployment.",
    anyOf: ["settings.manage"],
    icon: "sliders",
    section: "admin",
  },
  profile: {
    id: "profile",
    label: "Profile",
    path: "/profile",
    description: "Your account, your role and what it allows you to do.",
    anyOf: null,
    icon: "user",
    section: "profile",
  },
  "profile.tokens": {
    id: "profile.tokens",
    label: "API tokens",
    path: "/profile/tokens",
    description: "Tokens you use instead of your password to call the API on your own behalf.",
    anyOf: ["tokens.own.manage"],
    icon: "key",
    section: "profile",
  },
  "profile.sessions": {
    id: "profile.sessions",
    label: "Sessions",
    path: "/profile/sessions",
    description: "Browsers where you are signed in. End any session you do not recognise.",
    anyOf: null,
    icon: "monitor",
    section: "profile",
  },
};

export const navSections: readonly { id: SectionId; pages: readonly PageId[] }[] = [
  {
    id: "admin",
    pages: ["admin.tokens", "admin.users", "admin.roles", "admin.audit", "admin.settings"],
  },
  { id: "profile", pages: ["profile", "profile.tokens", "profile.sessions"] },
];

/** The role's permissions, with implied ones added (managing all tokens implies reading them). */
export function permissionSetOf(me: Pick<Me, "role">): ReadonlySet<Permission> {
  return new Set(expandPermissions(me.role.permissions));
}

export function canUsePage(me: Pick<Me, "role">, pageId: PageId): boolean {
  const { anyOf } = pages[pageId];
  if (anyOf === null) return true;
  const granted = permissionSetOf(me);
  return anyOf.some((permission) => granted.has(permission));
}

/** The navigation this user gets: sections with at least one usable page, in a fixed order. */
export function navigationFor(
  me: Pick<Me, "role">,
): { id: SectionId; label: string; pages: PageInfo[] }[] {
  return navSections
    .map((section) => ({
      id: section.id,
      label: sectionLabels[section.id],
      pages: section.pages.filter((id) => canUsePage(me, id)).map((id) => pages[id]),
    }))
    .filter((section) => section.pages.length > 0);
}

/**
 * Where "/" leads: the first administration page the role can use; otherwise the user's own
 * tokens if they may manage them; otherwise the profile, which everyone has.
 */
export function homePathFor(me: Pick<Me, "role">): string {
  const adminSection = navSections.find((section) => section.id === "admin");
  const firstAdminPage = adminSection?.pages.find((id) => canUsePage(me, id));
  if (firstAdminPage) return pages[firstAdminPage].path;
  if (canUsePage(me, "profile.tokens")) return pages["profile.tokens"].path;
  return pages.profile.path;
}

/** Route `handle` that ties a route to its page, read by the layout's guard via useRouteHandle(). */
export interface RouteHandle {
  page?: PageId;
  /** The catch-all route: shown to signed-out visitors too, instead of sending them to sign-in. */
  notFound?: boolean;
}

/** Heading, section label and tab title of a page, from the same table the navigation uses. */
export function pageHeading(id: PageId): {
  title: string;
  eyebrow: string;
  description: string;
  documentTitle: string;
} {
  const page = pages[id];
  const eyebrow = sectionLabels[page.section];
  return {
    title: page.label,
    eyebrow,
    description: page.description,
    documentTitle: page.label === eyebrow ? page.label : `${page.label} · ${eyebrow}`,
  };
}
