import { lazy, Suspense, useState } from "react";
import { pageHeading } from "../../../app/navigation.ts";
import { Button } from "../../../components/ui/button.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { hasPermission } from "../../../lib/permissions.ts";
import { useCurrentUser } from "../../auth/api/get-me.ts";
import { SectionPage } from "../../shell/components/section-page.tsx";
import { type TokensMode, TokensTable } from "./tokens-table.tsx";

// The create dialog (its form, zod and the contracts' schemas) is a separate chunk: the table
// renders without it, and hovering or focusing "Create API token" starts the download early.
const loadCreateDialog = () => import("./create-token-dialog.tsx");
const CreateTokenDialog = lazy(loadCreateDialog);

/** Administration → API tokens and Profile → API tokens: one screen, two scopes. */
export function TokensPage({ mode }: { mode: TokensMode }) {
  const me = useCurrentUser();
  const [creating, setCreating] = useState(false);
  const canManage =
    mode === "admin"
      ? hasPermission(me, "tokens.all.manage")
      : hasPermission(me, "tokens.own.manage");
  const openCreate = canManage ? () => setCreating(true) : undefined;
  const heading = pageHeading(mode === "admin" ? "admin.tokens" : "profile.tokens");

  return (
    <SectionPage
      {...heading}
      actions={
        canManage ? (
          <Button
            variant="primary"
            onClick={openCreate}
            onMouseEnter={() => void loadCreateDialog()}
            onFocus={() => void loadCreateDialog()}
            leading={<Icon name="plus" size={16} />}
          >
            Create API token
          </Button>
        ) : null
      }
    >
      <TokensTable mode={mode} canManage={canManage} onCreate={openCreate} />
      {creating ? (
        <Suspense fallback={null}>
          <CreateTokenDialog
            me={me}
            chooseUser={mode === "admin"}
            onClose={() => setCreating(false)}
          />
        </Suspense>
      ) : null}
    </SectionPage>
  );
}
