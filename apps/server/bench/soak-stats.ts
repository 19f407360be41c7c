// What `pnpm soak` records: latency per request kind, unexpected answers by kind (with the first
// few bodies), and the server's memory over time; plus the figures printed from them.

export class Recorder {
  readonly latencies = new Map<string, number[]>();
  readonly errors = new Map<string, { count: number; samples: string[] }>();
  requests = 0;

  time(kind: string, ms: number): void {
    const list = this.latencies.get(kind);
    if (list) list.push(ms);
    else this.latencies.set(kind, [ms]);
    this.requests++;
  }

  error(kind: string, sample: string): void {
    const entry = this.errors.get(kind) ?? { count: 0, samples: [] };
    this.errors.set(kind, entry);
    entry.count++;
    if (entry.samples.length < 3) entry.samples.push(sample.slice(0, 400));
  }

  get errorCount(): number {
    let n = 0;
    for (const e of this.errors.values()) n += e.count;
    return n;
  }
}

export interface MemorySample {
  /** Seconds since the workload started. */
  t: number;
  rssMb: number;
  heapUsedMb?: number;
  heapTotalMb?: number;
  externalMb?: number;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Least-squares slope of y over t, in y-units per minute (t in seconds); 0 below 3 points. */
export function slopePerMinute(points: { t: number; y: number }[]): number {
  if (points.length < 3) return 0;
  const n = points.length;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.y - my);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : (60 * num) / den;
}

export function printTable(rows: string[][], log: (line: string) => void): void {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  for (const [n, row] of rows.entries()) {
    log(
      `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ")}`,
    );
    if (n === 0) log(`  ${widths.map((w) => "-".repeat(w)).join("  ")}`);
  }
}
