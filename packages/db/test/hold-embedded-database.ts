// A process that opens the embedded database in the directory it is given, writes one row,
// says "open" and keeps the database until it is killed or its stdin ends.
import { sql } from "kysely";
import { createDb } from "../src/client.ts";

const handle = await createDb({ dataDir: process.argv[2] });
await sql`create table if not exists held (by int)`.execute(handle.db);
await sql`insert into held values (${process.pid})`.execute(handle.db);
process.stdout.write("open\n");
process.stdin.resume();
process.stdin.on("end", () => {
  void handle.close().then(() => process.exit(0));
});
