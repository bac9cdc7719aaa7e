// The CLI as people install it: from the packed tarball with npx, and as a pre-commit hook
// of this repository. Both are slow (npm installs from the registry); one test each.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, vi } from "vitest";
import { asText, FIXTURE, FIXTURE_AFTER, git, makeTree, readTree, requireBuild, ROOT } from "./helpers/cli.ts";
import { PYTHON, toolsEnv } from "./setup/parts.ts";

vi.setConfig({ testTimeout: 300_000 });

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "mwc-pkg-"));
const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined } as NodeJS.ProcessEnv;

test("npm pack, then npx --yes file:<tarball>: --help, and a real run in another folder", () => {
  requireBuild();
  const out = tmp();
  const name = execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", out], { cwd: ROOT, encoding: "utf8", env }).trim().split("\n").pop()!;
  const tarball = path.join(out, name);
  const dir = makeTree(FIXTURE);
  const npx = (...args: string[]) => spawnSync("npx", ["--yes", `file:${tarball}`, ...args], { cwd: dir, encoding: "utf8", env });
  const help = npx("--help");
  expect(help.stderr.replace(/npm warn.*\n/gi, "")).toBe("");
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/^Usage: middleware-codemod \[options\] \[paths\.\.\.\]/);
  const run = npx("src");
  expect({ status: run.status, stdout: run.stdout }).toEqual({
    status: 0,
    stdout: "Middleware classes: 5 (2 set-async-capable-false, 1 set-async-capable-true, 1 needs-review, 1 unchanged)\nFiles: 7 scanned, 3 changed, 0 errors\n",
  });
  expect(readTree(dir)).toEqual(asText(FIXTURE_AFTER));
});

/** A commit of this checkout's files (tracked and not ignored) in a fresh repository. */
function hookRepository(): { repo: string; rev: string } {
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
  const kept = new Set(files.flatMap((f) => f.split("/").map((_, i, parts) => parts.slice(0, i + 1).join("/"))));
  const repo = makeTree({}, { from: ROOT, filter: (f) => kept.has(f), prefix: "mwc-pkg-" });
  return { repo, rev: git(repo, "rev-parse", "HEAD").trim() };
}

test("pre-commit: the check hook fails with the diff while edits are pending; the apply hook writes them", () => {
  // Debian's pre-commit as provisioned (test/setup/provision.mjs): first on PATH, and its
  // Python packages first on PYTHONPATH, ahead of anything installed system-wide.
  const toolEnv = toolsEnv(env);
  const bin = toolEnv.PATH!.split(path.delimiter)[0];
  const which = spawnSync("sh", ["-c", "command -v pre-commit"], { encoding: "utf8", env: toolEnv });
  expect(which.stdout.trim()).toBe(path.join(bin, "pre-commit"));
  const imported = spawnSync(PYTHON, ["-c", "import pre_commit; print(pre_commit.__file__)"], { encoding: "utf8", env: toolEnv });
  expect(imported.stdout.startsWith(toolEnv.PYTHONPATH + path.sep), imported.stdout + imported.stderr).toBe(true);
  const { repo, rev } = hookRepository();
  expect(readdirSync(repo)).toContain(".pre-commit-hooks.yaml");
  const dir = makeTree(FIXTURE);
  writeFileSync(
    path.join(dir, ".pre-commit-config.yaml"),
    `repos:\n  - repo: ${repo}\n    rev: ${rev}\n    hooks:\n      - id: middleware-codemod-check\n      - id: middleware-codemod\n        stages: [manual]\n`,
  );
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "pre-commit config");
  const home = tmp(); // pre-commit's cache: its clone of the hook repository, built once
  const preCommit = (...args: string[]) => spawnSync("pre-commit", ["run", ...args], { cwd: dir, encoding: "utf8", env: { ...toolEnv, PRE_COMMIT_HOME: home } });

  const check = preCommit("middleware-codemod-check", "--all-files");
  expect(check.status, check.stdout + check.stderr).toBe(1);
  expect(check.stdout).toContain("middleware declarations (check)");
  expect(check.stdout).toContain("+  static asyncCapable = false;");
  expect(readTree(dir)).toEqual(asText({ ...FIXTURE, ".pre-commit-config.yaml": readTree(dir)[".pre-commit-config.yaml"] }));

  const apply = preCommit("middleware-codemod", "--all-files", "--hook-stage", "manual");
  expect(apply.status, apply.stdout + apply.stderr).toBe(1); // pre-commit fails a hook that modified files
  expect(apply.stdout).toContain("files were modified by this hook");
  const after = readTree(dir);
  expect(after).toEqual(asText({ ...FIXTURE_AFTER, ".pre-commit-config.yaml": after[".pre-commit-config.yaml"] }));

  git(dir, "add", "-A");
  const again = preCommit("middleware-codemod-check", "--all-files");
  expect(again.status, again.stdout + again.stderr).toBe(0);
});
