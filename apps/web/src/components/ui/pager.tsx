import { useId } from "react";
import { Button } from "./button.tsx";
import { Icon } from "./icons.tsx";

export interface PagerProps {
  limit: number;
  pageSizes: readonly number[];
  onLimit: (limit: number) => void;
  /** 1-based page number when known (paged here in this tab), else null. */
  pageNumber: number | null;
  /** Rows on this page. */
  count: number;
  total: number | null;
  totalIsEstimate?: boolean;
  hasPrevious: boolean;
  hasNext: boolean;
  /** A request is under way: paging waits for it. */
  busy?: boolean;
  onPrevious: () => void;
  onNext: () => void;
  onFirst: () => void;
}

/** The footer of a cursor-paged table: page size, where we are, previous and next. */
export function Pager({
  limit,
  pageSizes,
  onLimit,
  pageNumber,
  count,
  total,
  totalIsEstimate = false,
  hasPrevious,
  hasNext,
  busy = false,
  onPrevious,
  onNext,
  onFirst,
}: PagerProps) {
  const id = useId();
  const firstRow = pageNumber ? (pageNumber - 1) * limit + 1 : null;
  const of =
    total === null ? "" : ` of ${totalIsEstimate ? "about " : ""}${total.toLocaleString()}`;
  return (
    <nav className="pager" aria-label="Pagination">
      <div className="pager-size">
        <label htmlFor={`${id}-size`}>Rows per page</label>
        <select
          id={`${id}-size`}
          className="input select select-sm"
          value={limit}
          onChange={(event) => onLimit(Number(event.target.value))}
        >
          {pageSizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </div>
      <p className="pager-position">
        {count > 0
          ? firstRow
            ? `${firstRow.toLocaleString()}–${(firstRow + count - 1).toLocaleString()}${of}`
            : `${count}${of}`
          : null}
      </p>
      <div className="pager-buttons">
        {pageNumber === null ? (
          <Button size="sm" variant="ghost" onClick={onFirst}>
            First page
          </Button>
        ) : null}
        <Button
          size="sm"
          onClick={onPrevious}
          disabled={!hasPrevious || busy}
          leading={<Icon name="chevronLeft" size={14} />}
        >
          Previous
        </Button>
        <Button size="sm" onClick={onNext} disabled={!hasNext || busy}>
          Next
          <Icon name="chevronRight" size={14} />
        </Button>
      </div>
    </nav>
  );
}
