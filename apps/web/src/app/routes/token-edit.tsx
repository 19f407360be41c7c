import { useParams } from "react-router";
import { TokenEditPage } from "../../features/tokens/components/token-edit-page.tsx";

function useTokenId(): string {
  const { tokenId } = useParams();
  return tokenId ?? "";
}

/** /admin/tokens/:tokenId */
export function AdminTokenEdit() {
  return <TokenEditPage key={useTokenId()} mode="admin" tokenId={useTokenId()} />;
}

/** /profile/tokens/:tokenId */
export function ProfileTokenEdit() {
  return <TokenEditPage key={useTokenId()} mode="own" tokenId={useTokenId()} />;
}
