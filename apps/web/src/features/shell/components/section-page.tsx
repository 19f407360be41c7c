import type { ReactNode } from "react";
import { EmptyState, type EmptyStateProps } from "../../../components/ui/empty-state.tsx";
import { PageHeader } from "../../../components/ui/page-header.tsx";
import { useDocumentTitle } from "../../../lib/use-document-title.ts";

export interface SectionPageProps {
  title: string;
  eyebrow: string;
  description: string;
  /** Title for the browser tab when the heading alone is ambiguous ("API tokens"). */
  documentTitle?: string;
  actions?: ReactNode;
  /** Shown when the section has nothing to list yet. */
  empty?: EmptyStateProps;
  children?: ReactNode;
}

/** The frame every section page shares: heading, purpose, then content or an empty state. */
export function SectionPage({
  title,
  eyebrow,
  description,
  documentTitle,
  actions,
  empty,
  children,
}: SectionPageProps) {
  useDocumentTitle(documentTitle ?? title);
  return (
    <div className="page">
      <PageHeader title={title} eyebrow={eyebrow} description={description} actions={actions} />
      {children}
      {empty ? <EmptyState {...empty} /> : null}
    </div>
  );
}
