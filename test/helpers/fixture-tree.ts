// Fixture trees on disk: a copy in a temporary git repository, and the built CLI run on it
// synchronously (the fixture tests compare its whole output).
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CLI, git, readTree, requireBuild, ROOT } from "./cli.ts";

export { readTree, ROOT as REPO };

/** A temporary git repository holding a copy of `from` (or nothing), committed. */
export function tempGitRepo(from: string | null, prefix = "mwc-"): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  if (from) cpSync(from, dir, { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "--allow-empty", "-m", "fixture");
  return dir;
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout as written: a dry-run diff of a file in a PEP 263 encoding carries that file's bytes. */
  stdoutBytes: Buffer;
}

export function runCli(cwd: string, args: string[], env: Record<string, string> = {}): CliRun {
  requireBuild();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, maxBuffer: 256 << 20, env: { ...process.env, NO_COLOR: "1", ...env } });
  return { status: r.status, stdout: r.stdout.toString("utf8"), stderr: r.stderr.toString("utf8"), stdoutBytes: r.stdout };
}
