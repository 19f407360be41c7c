import { useQuery } from "@tanstack/react-query";
import {
  auditLogLinkFor,
  HISTORY_EVENTS,
  HistoryPanel,
} from "../../audit/components/audit-history-panel.tsx";
import { tokenHistoryQueryOptions } from "../api/token-history.ts";

/**
 * A token's history on its page, for everyone who may see the token: its owner learns who
 * disabled or regenerated it, and when. The link to the audit log is for its readers.
 */
export function TokenHistoryPanel({
  tokenId,
  canReadAudit,
}: {
  tokenId: string;
  canReadAudit: boolean;
}) {
  const history = useQuery({
    ...tokenHistoryQueryOptions(tokenId, HISTORY_EVENTS + 1),
    select: (answer) => answer.items,
  });
  return (
    <HistoryPanel
      history={history}
      auditLink={canReadAudit ? auditLogLinkFor("token", tokenId) : null}
    />
  );
}
