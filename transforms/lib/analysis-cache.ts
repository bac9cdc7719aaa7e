// The whole-project analysis of the jscodeshift transform, shared between the worker
// processes of one jscodeshift run and between runs on an unchanged tree: one analysis per
// tree state instead of one per worker.
//
// The result lives in the OS temp folder, one file per project root and options, holding the
// tree's fingerprint (every file's name, size and times), the run that wrote or last used it,
// and the result. A lock file makes the workers that start together wait for the first one's
// analysis instead of each running its own. Within one run the tree changes under the run's
// own writes, so a worker that finds the entry of its own run (same jscodeshift process) takes
// it as it is; any other run takes it only when the fingerprint still matches.
//
// Synchronous on purpose: jscodeshift calls the transform for a whole chunk of files at once,
// and a blocked event loop keeps them waiting until the first call has the result.
import { createHash } from "node:crypto";
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync, type Dirent } from "node:fs";
import os from "node:os";
import path from "node:path";

const NEVER_ENTER = new Set(["node_modules", ".git", ".hg", ".svn", "__pycache__"]);
const WAIT_MS = 20;
/** A lock older than this is taken to be left behind by a process that died without removing it. */
const STALE_LOCK_MS = 15 * 60_000;

interface Entry {
  tree: string;
  run: string | null;
  result: string;
}

/**
 * `compute`'s result for this key and tree state: cached, or computed once while the other
 * processes asking for the same key wait. `key` names everything besides the tree that the
 * result depends on (root, options, the engine's build).
 */
export function sharedResult(key: unknown, root: string, compute: () => string): string {
  const dir = path.join(os.tmpdir(), "middleware-codemod-jscodeshift");
  if (!ownPrivateFolder(dir)) return compute(); // every worker analyses for itself
  const file = path.join(dir, `${createHash("sha256").update(JSON.stringify(key)).digest("hex").slice(0, 32)}.json`);
  const run = runId();
  return withLock(`${file}.lock`, () => {
    const entry = readEntry(file);
    if (entry && run && entry.run === run) return entry.result;
    const tree = treeFingerprint(root);
    if (entry && entry.tree === tree) {
      if (run) writeEntry(file, { ...entry, run });
      return entry.result;
    }
    const result = compute();
    writeEntry(file, { tree, run, result });
    return result;
  });
}

/**
 * The cache folder exists, is a folder (not a link) and only this user can write to it: in a
 * temp folder shared between users, anyone else's entry could carry edits of their choosing.
 */
function ownPrivateFolder(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const s = lstatSync(dir);
    if (!s.isDirectory()) return false;
    if (process.getuid && (s.uid !== process.getuid() || (s.mode & 0o022) !== 0)) return false;
    return true;
  } catch {
    return false;
  }
}

/** The files under root with their sizes and times: any edit, addition, removal or rename changes it. */
export function treeFingerprint(root: string): string {
  const hash = createHash("sha256");
  const walk = (dir: string, rel: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      hash.update(`!${rel}:${(e as NodeJS.ErrnoException).code}\n`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!NEVER_ENTER.has(e.name)) walk(path.join(dir, e.name), r);
        continue;
      }
      try {
        const s = lstatSync(path.join(dir, e.name));
        hash.update(`${r}\0${s.size}\0${s.mtimeMs}\0${s.ctimeMs}\n`);
      } catch {
        hash.update(`?${r}\n`);
      }
    }
  };
  walk(root, "");
  return hash.digest("hex");
}

/**
 * The jscodeshift run this process belongs to: its parent, which forked it as a worker, named
 * by process id and start time (so that a reused process id is another run). Null where that
 * cannot be told (not a forked worker, no /proc): then only the fingerprint counts.
 */
function runId(): string | null {
  if (!process.send) return null;
  try {
    const stat = readFileSync(`/proc/${process.ppid}/stat`, "utf8");
    const startTime = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    return startTime ? `${process.ppid}:${startTime}` : null;
  } catch {
    return null;
  }
}

function readEntry(file: string): Entry | null {
  try {
    const e = JSON.parse(readFileSync(file, "utf8")) as Entry;
    return typeof e.tree === "string" && typeof e.result === "string" ? e : null;
  } catch {
    return null;
  }
}

/** Written to a temporary name and renamed: a reader sees the old entry or the new one, never half of one. */
function writeEntry(file: string, entry: Entry): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, file);
  } catch {
    rmSync(tmp, { force: true }); // a full disk costs the next run an analysis, nothing more
  }
}

function withLock<T>(lock: string, fn: () => T): T {
  let held = false;
  for (;;) {
    try {
      const fd = openSync(lock, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held = true;
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") break; // no lock possible: go on without one
      if (isStale(lock)) rmSync(lock, { force: true });
      else sleep(WAIT_MS);
    }
  }
  try {
    return fn();
  } finally {
    if (held) rmSync(lock, { force: true });
  }
}

function isStale(lock: string): boolean {
  try {
    const pid = Number(readFileSync(lock, "utf8"));
    if (pid > 0 && !isAlive(pid)) return true;
    return Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS;
  } catch {
    return false; // removed meanwhile: the next attempt takes it
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(sleeper, 0, 0, ms);
