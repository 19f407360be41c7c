// The one place the rest of the workspace gets Kysely from, so there is a single copy of it.
export {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type KyselyPlugin,
  type RawBuilder,
  type SqlBool,
  sql,
  type Transaction,
} from "kysely";
export type { Database, DB } from "./types.ts";
