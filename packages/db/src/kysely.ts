// The one place the rest of the workspace gets Kysely from, so there is a single copy of it.
export {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
  type Transaction,
  sql,
} from "kysely";
export type { Database, DB } from "./types.ts";
