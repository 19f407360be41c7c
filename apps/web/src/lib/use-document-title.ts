import { useEffect } from "react";

export const PRODUCT_NAME = "Keyward";

/** Sets the tab title to "<page> · Keyward" while the page is shown. */
export function useDocumentTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · ${PRODUCT_NAME}` : PRODUCT_NAME;
  }, [title]);
}
