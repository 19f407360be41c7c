import {
  auditExportColumns,
  type ExportAuditQuery,
  MAX_AUDIT_EXPORT_ROWS,
} from "@keyward/contracts/audit";
import { sql } from "@keyward/db/kysely";
import { stringify } from "csv-stringify/sync";
import type { ServiceContext } from "../../context.ts";
import { ServiceError } from "../errors.ts";
import { countUpTo } from "../pagination.ts";
import { filteredAudit, olderThanEvent, requireAuditReader, toAuditDto } from "./list-audit.ts";
import { recordAudit } from "./record-audit.ts";

/** Rows read per query while the export streams: one index range each, never a long transaction. */
const BATCH_ROWS = 1_000;

export interface AuditExport {
  /** Events in the export (counted before it streams). */
  rows: number;
  /** UTF-8 CSV with a byte-order mark (so spreadsheets read it as UTF-8) and a header row. */
  csv: ReadableStream<Uint8Array>;
}

/**
 * Every audit event a filter selects, newest first, as CSV for spreadsheets and auditors'
 * evidence. Values that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`…: token names,
 * user agents and usernames come from users) are prefixed with `'`. At most `maxRows` events:
 * a larger export is refused before anything streams, asking for a narrower range. The export
 * itself is audited (who took which part of the log).
 */
export async function exportAudit(
  ctx: ServiceContext,
  query: ExportAuditQuery,
  maxRows = MAX_AUDIT_EXPORT_ROWS,
): Promise<AuditExport> {
  requireAuditReader(ctx);
  const { db } = ctx.deps.db;
  const rows = await countUpTo(
    db,
    filteredAudit(db, query).select(sql<number>`1`.as("one")),
    maxRows + 1,
  );
  if (rows > maxRows) {
    throw new ServiceError(
      400,
      "export_too_large",
      `An export holds at most ${maxRows.toLocaleString("en")} events. Narrow the time range or the filters.`,
    );
  }
  await recordAudit(db, ctx, {
    action: "audit.export",
    details: { rows, filters: query },
  });

  // Newest first, from the row after the previous batch's last; events written meanwhile are
  // newer than the first batch and stay out, so the export is the log as it was when it began.
  let afterId: string | undefined;
  let sent = 0;
  const encoder = new TextEncoder();
  const csv = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const first = afterId === undefined;
      let batch = filteredAudit(db, query).selectAll("a");
      if (afterId) batch = batch.where(olderThanEvent(afterId));
      const found = await batch
        .orderBy("a.occurred_at", "desc")
        .orderBy("a.id", "desc")
        .limit(Math.min(BATCH_ROWS, maxRows - sent))
        .execute();
      const records = found.map((row) => {
        const event = toAuditDto(row);
        return { ...event, details: JSON.stringify(event.details) };
      });
      const text = stringify(records, {
        columns: [...auditExportColumns],
        header: first,
        bom: first,
        escape_formulas: true,
      });
      if (text) controller.enqueue(encoder.encode(text));
      sent += found.length;
      const last = found.at(-1);
      if (!last || found.length < BATCH_ROWS || sent >= maxRows) {
        controller.close();
        return;
      }
      afterId = String(last.id);
    },
  });
  return { rows, csv };
}
