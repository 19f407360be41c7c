import { linkSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// One process at a time on an embedded database. PGlite runs PostgreSQL inside the process that
// opened it and writes the database back to its directory, so two processes on one directory
// overwrite each other: a `pnpm seed:demo` run beside a running server had its 36 users vanish
// when the server restarted. Like PostgreSQL's postmaster.pid, the holder names itself in a file
// made exclusively; a file whose process is gone (a crash, kill -9) is taken over.

const LOCK_FILE = "pgdata.lock";

/** Lock files this process holds, so that it cannot open one database twice either. */
const held = new Set<string>();

export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is open in another process (pid ${holderPid}): it ` +
        "serves one process at a time. Stop that process (the running Keyward server, say) and " +
        "try again, or use a PostgreSQL server (DATABASE_URL) for several processes. If no such " +
        `process is running, delete ${join(dataDir, LOCK_FILE)}.`,
    );
    this.name = "EmbeddedDatabaseInUseError";
  }
}

/**
 * Takes the embedded database in `dataDir` for this process, or throws
 * EmbeddedDatabaseInUseError. Returns the release, which is also run when the process exits.
 */
export function lockEmbeddedDatabase(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  if (held.has(path)) throw new EmbeddedDatabaseInUseError(dataDir, process.pid);
  // Written whole under a name of our own, then linked into place: a link fails if the lock
  // exists, and a lock that exists is never half written.
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, `${process.pid}\n`);
  try {
    // Twice at most: once more after removing a lock whose holder is gone.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(draft, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const holder = holderOf(path);
        // Our own pid in a file we do not hold is a previous life's (a container restarted
        // with the same pid); any other live pid holds the database.
        if (holder !== undefined && holder !== process.pid && isRunning(holder))
          throw new EmbeddedDatabaseInUseError(dataDir, holder);
        removeIfHeldBy(path, holder);
        continue;
      }
      held.add(path);
      const release = () => {
        if (!held.delete(path)) return;
        process.off("exit", release);
        removeIfHeldBy(path, process.pid);
      };
      process.on("exit", release);
      return release;
    }
    throw new EmbeddedDatabaseInUseError(dataDir, holderOf(path) ?? 0);
  } finally {
    unlinkSync(draft);
  }
}

/** The pid a lock file names; undefined when it is unreadable or names none. */
function holderOf(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the lock file if it still names `pid`: another process may have taken it meanwhile. */
function removeIfHeldBy(path: string, pid: number | undefined): void {
  if (holderOf(path) !== pid) return;
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
