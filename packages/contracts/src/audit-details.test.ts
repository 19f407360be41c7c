import { describe, expect, it } from "vitest";
import { summarizeAuditDetails } from "./audit-details.ts";

const utc = (iso: string) => `${iso.slice(0, 16)}Z`;

describe("summarizeAuditDetails", () => {
  it("reads an edit as old → new, field by field, and a description as changed only", () => {
    const details = {
      userId: "usr_1",
      changes: {
        name: { from: "deploy", to: "deploy-2" },
        status: { from: "enabled", to: "disabled" },
        scopes: { from: ["all"], to: ["token:read", "audit:read"] },
        allow: { from: [], to: ["token:*"] },
        expiresAt: { from: null, to: "2026-12-24T10:00:00.000Z" },
        description: { from: "a long text", to: "another long text" },
      },
    };
    expect(summarizeAuditDetails(details, utc)).toBe(
      [
        "name: deploy → deploy-2",
        "status: enabled → disabled",
        "scopes: all → token:read, audit:read",
        "allow: none → token:*",
        "expiresAt: never → 2026-12-24T10:00Z",
        "description changed",
      ].join(" · "),
    );
  });

  it("reads a creation's fields, an expiry or its absence, and role moves", () => {
    expect(
      summarizeAuditDetails({ status: "enabled", scopes: ["all"], allow: [], expiresAt: null }),
    ).toBe("status: enabled · scopes: all · allow: none · never expires");
    expect(summarizeAuditDetails({ expiresAt: "2026-12-24T10:00:00.000Z" }, utc)).toBe(
      "expires 2026-12-24T10:00Z",
    );
    expect(
      summarizeAuditDetails({ from: { id: "rol_member", name: "Member" }, to: { name: "Guest" } }),
    ).toBe("from Member to Guest");
    expect(summarizeAuditDetails({ role: { id: "rol_member", name: "Member" } })).toBe(
      "role: Member",
    );
  });

  it("reads a settings change, one {from, to} per setting, and leaves odd shapes readable", () => {
    expect(summarizeAuditDetails({ maxTokenLifetime: { from: null, to: "30d" } })).toBe(
      "maxTokenLifetime: none → 30d",
    );
    expect(summarizeAuditDetails({ changes: { name: "not a change" } })).toBe("name changed");
    expect(summarizeAuditDetails({ knownBrowser: true, userId: "usr_1" })).toBe(
      "from a browser this user signed in on before",
    );
    expect(summarizeAuditDetails({ bulk: true, requested: 250, userId: "usr_1" })).toBe(
      "in a bulk action on 250 tokens",
    );
    expect(summarizeAuditDetails({ bulk: true, requested: 1 })).toBe("in a bulk action on 1 token");
    expect(summarizeAuditDetails({})).toBe("");
  });
});
