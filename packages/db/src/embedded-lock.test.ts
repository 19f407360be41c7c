import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createDb } from "./client.ts";
import { EmbeddedDatabaseInUseError } from "./embedded-lock.ts";

const holderScript = new URL("../test/hold-embedded-database.ts", import.meta.url).pathname;
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), "keyward-lock-"));
  dirs.push(dir);
  return dir;
}

/** Another process holding the embedded database in `dataDir`, once it says so. */
async function holdInAnotherProcess(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", holderScript, dataDir], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("open")) resolve();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`holder exited (${code}): ${output}`)));
  });
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });

async function heldBy(dataDir: string): Promise<number[]> {
  const handle = await createDb({ dataDir });
  try {
    const rows = await sql<{ by: number }>`select by from held order by by`.execute(handle.db);
    return rows.rows.map((row) => row.by);
  } finally {
    await handle.close();
  }
}

describe("the embedded database serves one process at a time", () => {
  it("refuses a second process, naming the one that holds it, and opens once that one is done", async () => {
    const dataDir = dataDirectory();
    const holder = await holdInAnotherProcess(dataDir);
    const refused = await createDb({ dataDir }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(EmbeddedDatabaseInUseError);
    expect((refused as EmbeddedDatabaseInUseError).holderPid).toBe(holder.pid);
    expect((refused as Error).message).toContain(dataDir);

    holder.stdin?.end();
    await exited(holder);
    expect(holder.exitCode).toBe(0);
    expect(existsSync(join(dataDir, "pgdata.lock"))).toBe(false);
    expect(await heldBy(dataDir)).toEqual([holder.pid]);
  });

  it("takes over from a process that died holding it", async () => {
    const dataDir = dataDirectory();
    const holder = await holdInAnotherProcess(dataDir);
    holder.kill("SIGKILL");
    await exited(holder);
    expect(existsSync(join(dataDir, "pgdata.lock"))).toBe(true);
    const handle = await createDb({ dataDir });
    await handle.close();
    expect(existsSync(join(dataDir, "pgdata.lock"))).toBe(false);
  });

  it("takes over a lock file that names no process, and refuses a second open in this process", async () => {
    const dataDir = dataDirectory();
    writeFileSync(join(dataDir, "pgdata.lock"), "");
    const first = await createDb({ dataDir });
    try {
      await expect(createDb({ dataDir })).rejects.toBeInstanceOf(EmbeddedDatabaseInUseError);
    } finally {
      await first.close();
    }
    const again = await createDb({ dataDir });
    await again.close();
  });
});
