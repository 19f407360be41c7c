import { z } from "zod";

// Scopes narrow what an API token may do; they never add to its owner's role. A scope is
// `resource:action`, `resource:*`, or `all` (everything the owner's role allows). An allow list
// entry names one resource (`token:tok_…`) or every resource of a kind (`user:*`).

/** Every resource a scope can name, with the actions that make sense for it. */
export const scopeResources = {
  token: ["read", "create", "update", "delete"],
  user: ["read", "create", "update"],
  role: ["read", "create", "update", "delete"],
  audit: ["read"],
  settings: ["read", "update"],
  session: ["read", "create", "delete"],
} as const satisfies Record<string, readonly string[]>;

export type ScopeResource = keyof typeof scopeResources;
/** A concrete, checkable scope such as `token:read`. */
export type RequiredScope = {
  [R in ScopeResource]: `${R}:${(typeof scopeResources)[R][number]}`;
}[ScopeResource];

export const ALL_SCOPE = "all";

const resourceNames = Object.keys(scopeResources) as ScopeResource[];

function isResource(name: string): name is ScopeResource {
  return (resourceNames as string[]).includes(name);
}

/** True when `text` is a scope this version knows: `all`, `resource:*` or `resource:action`. */
export function isKnownScope(text: string): boolean {
  if (text === ALL_SCOPE) return true;
  const [resource, action, extra] = text.split(":");
  if (extra !== undefined || !resource || !action || !isResource(resource)) return false;
  return action === "*" || (scopeResources[resource] as readonly string[]).includes(action);
}

export const scopeSchema = z
  .string()
  .trim()
  .refine(isKnownScope, { message: "Unknown scope. GET /api/v1/scopes lists them." });

const allowEntryPattern = /^([a-z]+):(\*|[A-Za-z0-9_-]{1,64})$/;

export const allowEntrySchema = z
  .string()
  .trim()
  .refine(
    (text) => {
      const match = allowEntryPattern.exec(text);
      return match?.[1] !== undefined && isResource(match[1]);
    },
    { message: "An allow list entry is resource:id or resource:*, e.g. token:tok_123 or user:*" },
  );

/** Does a set of granted scopes cover one required scope (`token:read`)? */
export function scopesCover(granted: readonly string[], required: RequiredScope): boolean {
  const [resource] = required.split(":");
  return granted.some((g) => g === ALL_SCOPE || g === required || g === `${resource}:*`);
}

/**
 * Is every scope in `wanted` covered by `granted`? Used so a token can never mint a token that
 * may do more than itself: `all` is only covered by `all`, `token:*` only by `token:*` or `all`.
 */
export function scopeSetWithin(wanted: readonly string[], granted: readonly string[]): boolean {
  if (granted.includes(ALL_SCOPE)) return true;
  return wanted.every((w) => {
    if (w === ALL_SCOPE) return false;
    if (granted.includes(w)) return true;
    const [resource] = w.split(":");
    return granted.includes(`${resource}:*`);
  });
}

/** Does an allow list permit one resource? An empty list permits everything. */
export function allowListPermits(
  allow: readonly string[],
  resource: ScopeResource,
  id: string,
): boolean {
  if (allow.length === 0) return true;
  return allow.some((entry) => entry === `${resource}:*` || entry === `${resource}:${id}`);
}

/**
 * Is every entry in `wanted` covered by the `granted` allow list? An empty `wanted` list means
 * "no restriction", which only an unrestricted (empty) `granted` list covers.
 */
export function allowListWithin(wanted: readonly string[], granted: readonly string[]): boolean {
  if (granted.length === 0) return true;
  if (wanted.length === 0) return false;
  return wanted.every((entry) => {
    const [resource, id] = entry.split(":");
    if (!resource || !id || !isResource(resource)) return false;
    return id === "*" ? granted.includes(`${resource}:*`) : allowListPermits(granted, resource, id);
  });
}

export const scopeCatalogEntrySchema = z.object({
  scope: z.string(),
  resource: z.string().nullable(),
  action: z.string().nullable(),
  description: z.string(),
});
export type ScopeCatalogEntry = z.infer<typeof scopeCatalogEntrySchema>;

export const scopeCatalogSchema = z.object({
  scopes: z.array(scopeCatalogEntrySchema),
  resources: z.array(z.string()),
});
export type ScopeCatalog = z.infer<typeof scopeCatalogSchema>;

const resourceLabels: Record<ScopeResource, string> = {
  token: "API tokens",
  user: "users",
  role: "roles",
  audit: "the audit log",
  settings: "token and session policy",
  session: "sessions",
};

const actionVerbs: Record<string, string> = {
  read: "Read",
  create: "Create",
  update: "Change",
  delete: "Delete",
};

/** The catalog served by GET /api/v1/scopes and shown in the create dialog. */
export function buildScopeCatalog(): ScopeCatalog {
  const scopes: ScopeCatalogEntry[] = [
    {
      scope: ALL_SCOPE,
      resource: null,
      action: null,
      description: "Everything the owner's role allows (the default).",
    },
  ];
  for (const resource of resourceNames) {
    scopes.push({
      scope: `${resource}:*`,
      resource,
      action: "*",
      description: `Every action on ${resourceLabels[resource]}.`,
    });
    for (const action of scopeResources[resource]) {
      scopes.push({
        scope: `${resource}:${action}`,
        resource,
        action,
        description: `${actionVerbs[action]} ${resourceLabels[resource]}.`,
      });
    }
  }
  return { scopes, resources: [...resourceNames] };
}
