// The safety net before writing: uncommitted changes in the scanned paths, per git.
import { execFileSync } from "node:child_process";
import { closeSync, openSync, readSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { relativeName } from "../transforms/lib/files.ts";
import { REPORT_MARKER } from "./formats/markdown.ts";

export interface GitState {
  /** Scanned paths that are not inside a git work tree (written without a safety net). */
  outside: string[];
  /** Files with uncommitted changes (untracked included), relative to cwd; reports this tool wrote are not counted. */
  dirty: string[];
}

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return null; // not a work tree, or no git at all: both mean "no safety net"
  }
}

export function gitState(cwd: string, paths: string[]): GitState {
  const state: GitState = { outside: [], dirty: [] };
  const realCwd = realpathSync(cwd); // git answers with real paths
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    const dir = statSync(abs).isDirectory() ? abs : path.dirname(abs);
    const top = git(dir, ["rev-parse", "--show-toplevel"])?.trim();
    if (!top) {
      state.outside.push(p);
      continue;
    }
    // -z: names unquoted and NUL-separated; a rename or copy adds its source as a second entry.
    const out = git(top, ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", abs]) ?? "";
    const entries = out.split("\0");
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      if (!e) continue;
      const file = path.join(top, e.slice(3));
      if (!isOwnReport(file)) state.dirty.push(relativeName(realCwd, file));
      if (e[0] === "R" || e[0] === "C") i++;
    }
  }
  state.dirty = [...new Set(state.dirty)].sort();
  return state;
}

/** A report this tool wrote (it starts with the marker): rewriting it loses nothing. */
function isOwnReport(file: string): boolean {
  const head = Buffer.alloc(REPORT_MARKER.length);
  let fd: number | null = null;
  try {
    fd = openSync(file, "r");
    return readSync(fd, head, 0, head.length, 0) === head.length && head.toString("utf8") === REPORT_MARKER;
  } catch {
    return false; // deleted, a folder, unreadable: a change like any other
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
