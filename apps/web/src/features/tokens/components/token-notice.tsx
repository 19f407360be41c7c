import type { ListTokensQuery, TokenList } from "@keyward/contracts/tokens";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Button } from "../../../components/ui/button.tsx";
import { Icon, type IconName } from "../../../components/ui/icons.tsx";
import { listTokensQueryOptions } from "../api/list-tokens.ts";
import type { TokenView, TokenViewApi } from "./token-view.ts";

/** What a notice above the token table is given: whose tokens, and the table's view. */
export interface TokenNoticeProps {
  mode: "admin" | "own";
  ownUserId: string;
  view: TokenView;
  update: TokenViewApi["update"];
}

/**
 * The first token a notice is about and how many there are, among the caller's own tokens on
 * their profile and everyone's for an administrator.
 */
export function useNoticeTokens(
  query: ListTokensQuery,
  { mode, ownUserId }: Pick<TokenNoticeProps, "mode" | "ownUserId">,
): TokenList | undefined {
  const scoped = mode === "own" ? { ...query, userId: [ownUserId] } : query;
  return useQuery({ ...listTokensQueryOptions(scoped), placeholderData: undefined }).data;
}

/** "12", or "About 12,000" when the list's total is an estimate. */
export function countOf(list: Pick<TokenList, "total" | "totalIsEstimate">): string {
  return `${list.totalIsEstimate ? "About " : ""}${list.total.toLocaleString("en")}`;
}

/** A one-line callout above the token table, with a button that filters the table to its subject. */
export function TokenNotice({
  tone,
  icon,
  children,
  showLabel,
  onShow,
}: {
  tone: "warning" | "info";
  icon: IconName;
  children: ReactNode;
  showLabel: string;
  onShow: () => void;
}) {
  return (
    <div className={`callout callout-${tone} token-notice`} role="note">
      <Icon name={icon} size={16} className="icon callout-icon" />
      <span className="token-notice-text">{children}</span>
      <Button variant="secondary" size="sm" onClick={onShow}>
        {showLabel}
      </Button>
    </div>
  );
}
