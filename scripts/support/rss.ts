/** Resident memory of a process tree, read from /proc (Linux): the server and every process it started. */
import { readdirSync, readFileSync } from "node:fs";
import { round } from "../../bench/support/stats";

export interface ProcessRss {
  pid: number;
  name: string;
  rssMiB: number;
}

/** VmRSS of the server process and every process under it, in MiB. */
export function rssTree(rootPid: number): ProcessRss[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // the process ended meanwhile
    }
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parentOf) if (ppid === tree[i]) tree.push(pid);
  return tree.flatMap((pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kib = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? "0");
      const name = /^Name:\s+(.+)$/m.exec(status)?.[1] ?? "?";
      return [{ pid, name, rssMiB: round(kib / 1024, 1) }];
    } catch {
      return [];
    }
  });
}

/** The tree's total RSS in MiB. */
export function totalRssMiB(tree: ProcessRss[]): number {
  return round(tree.reduce((sum, p) => sum + p.rssMiB, 0), 1);
}
