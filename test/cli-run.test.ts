// The default mode (apply in place) and --report, end to end through the built CLI.
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test, vi } from "vitest";
import { writeAtomically } from "../cli/write.ts";
import { asText, FIXTURE, FIXTURE_AFTER, git, makeTree, readTree, runCli, writeTree } from "./helpers/cli.ts";

vi.setConfig({ testTimeout: 60_000 });

const SUMMARY = (changed: string, report?: string) =>
  `Middleware classes: 5 (2 set-async-capable-false, 1 set-async-capable-true, 1 needs-review, 1 unchanged)\nFiles: 7 scanned, ${changed}, 0 errors\n${report ? `Report: ${report}\n` : ""}`;

describe("apply in place", () => {
  test("writes exactly the declarations, summary on stdout, exit 0; a second run changes nothing", async () => {
    const dir = makeTree(FIXTURE);
    chmodSync(path.join(dir, "src/session.ts"), 0o640);
    const r = await runCli([], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: SUMMARY("3 changed"), stderr: "" });
    expect(readTree(dir)).toEqual(asText(FIXTURE_AFTER));
    expect(statSync(path.join(dir, "src/session.ts")).mode & 0o777).toBe(0o640); // mode kept
    git(dir, "commit", "-qam", "codemod");
    const again = await runCli([], { cwd: dir });
    expect(again).toEqual({
      code: 0,
      stdout: "Middleware classes: 5 (0 set-async-capable-false, 0 set-async-capable-true, 1 needs-review, 4 unchanged)\nFiles: 7 scanned, 0 changed, 0 errors\n",
      stderr: "",
    });
    expect(readTree(dir)).toEqual(asText(FIXTURE_AFTER));
  });

  test("refuses to write into a dirty work tree, naming the files and the override", async () => {
    const dir = makeTree(FIXTURE);
    writeTree(dir, { "src/util.ts": "export const answer = 43;\n", "notes.ts": "// new\n" });
    const r = await runCli(["src"], { cwd: dir });
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr: "middleware-codemod: refusing to write: uncommitted changes in src/util.ts; commit or stash them, or pass --allow-dirty\n",
    });
    expect(readTree(dir)).toEqual(asText({ ...FIXTURE, "src/util.ts": "export const answer = 43;\n", "notes.ts": "// new\n" }));
    // Untracked files count too, and only the scanned paths are checked.
    const all = await runCli([], { cwd: dir });
    expect(all.stderr).toBe("middleware-codemod: refusing to write: uncommitted changes in notes.ts, src/util.ts; commit or stash them, or pass --allow-dirty\n");
    const allowed = await runCli(["--allow-dirty"], { cwd: dir });
    expect(allowed.code).toBe(0);
    expect(readTree(dir)).toEqual(asText({ ...FIXTURE_AFTER, "src/util.ts": "export const answer = 43;\n", "notes.ts": "// new\n" }));
  });

  test("a dirty tree with nothing to change is no reason to refuse", async () => {
    const dir = makeTree(FIXTURE_AFTER);
    writeTree(dir, { "src/util.ts": "export const answer = 43;\n" });
    expect((await runCli([], { cwd: dir })).code).toBe(0);
  });

  test("outside git it writes, with a warning on stderr", async () => {
    const dir = makeTree(FIXTURE, { git: false });
    const r = await runCli(["."], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: SUMMARY("3 changed"), stderr: "middleware-codemod: warning: . is not in a git work tree; writing without a way to undo\n" });
    expect(readTree(dir)).toEqual(asText(FIXTURE_AFTER));
  });

  test("nothing outside the given paths is written", async () => {
    // Only src/session.ts is given: its class is decided with the mixin read from the same
    // file list only, so the other classes are not even scanned.
    const dir = makeTree(FIXTURE);
    const r = await runCli(["src/session.ts", "src/mixin.ts"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readTree(dir)).toEqual(asText({ ...FIXTURE, "src/session.ts": FIXTURE_AFTER["src/session.ts"] }));
  });

  test("unreadable and non-UTF-8 files are errors with file:line:column; the others are still written; exit 2", async () => {
    const bad = Buffer.concat([Buffer.from("export const a = 1;\nconst b = '"), Buffer.from([0xff, 0xfe]), Buffer.from("';\n")]);
    const dir = makeTree({ ...FIXTURE, "src/latin1.ts": bad, "src/locked.ts": "export const c = 1;\n" });
    chmodSync(path.join(dir, "src/locked.ts"), 0o000);
    // Without root, git cannot read the locked file either and reports it as changed.
    const r = await runCli(["--allow-dirty"], { cwd: dir });
    chmodSync(path.join(dir, "src/locked.ts"), 0o644);
    const root = process.getuid?.() === 0; // root reads a 000 file anyway
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "src/latin1.ts:2:12: not valid UTF-8 (byte 0xff at offset 31)\n" + (root ? "" : "src/locked.ts: cannot read: EACCES: permission denied, open '" + path.join(dir, "src/locked.ts") + "'\n"),
    );
    expect(r.stdout).toBe(
      `Middleware classes: 5 (2 set-async-capable-false, 1 set-async-capable-true, 1 needs-review, 1 unchanged)\nFiles: 9 scanned, 3 changed, ${root ? "1 error" : "2 errors"}\n`,
    );
    expect(readTree(dir)).toEqual(asText({ ...FIXTURE_AFTER, "src/latin1.ts": `base64:${bad.toString("base64")}`, "src/locked.ts": "export const c = 1;\n" }));
  });

  test("a file that changed on disk since it was read is not written (writeAtomically)", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "mwc-"));
    const file = path.join(dir, "a.ts");
    writeFileSync(file, "new\n");
    await expect(writeAtomically(file, "old\n", "edited\n")).rejects.toThrow("changed on disk during the run; not written");
    expect(readFileSync(file, "utf8")).toBe("new\n");
    await writeAtomically(file, "new\n", "edited\n");
    expect(readFileSync(file, "utf8")).toBe("edited\n");
  });
});

describe("--report", () => {
  test("release-note-style Markdown: why, then one section per outcome with class, file:line and reason", async () => {
    const dir = makeTree(FIXTURE);
    const r = await runCli(["--report", "MIDDLEWARE.md", "src"], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: SUMMARY("3 changed", "MIDDLEWARE.md"), stderr: "" });
    const report = readFileSync(path.join(dir, "MIDDLEWARE.md"), "utf8");
    expect(report).toBe(`<!-- middleware-codemod report -->
# Middleware async-capability report

## What changed and why

Under an async server, \`MiddlewareMixin\` declares async support and wraps each synchronous request and response hook in its own sync-to-async hop. A middleware class whose hooks are all sync therefore claims an async support it does not have; the chain builder believes the claim, cannot group the class with its sync neighbours, and every request pays one context switch per hook instead of one per block of sync middleware. In Django's default stack of 7 middleware that is 13 thread hops per request to an async view, and 3 once those classes declare \`async_capable = False\`. The fix is one declaration per class: sync-only classes declare that they are sync-only, and classes with native async hooks declare their async support themselves, so that no declaration above them can turn them into a sync block. Nothing else in the files changed.

**Effect on throughput:** not measured for this framework; the counts above are context switches, not requests per second.

## Classes now declared sync-only (2)

- **SecurityMiddleware** (\`src/security.ts:3\`, MWC101): processResponse is sync; asyncCapable = true comes from MiddlewareMixin. Fix: added \`static asyncCapable = false;\` at line 4.
- **SessionMiddleware** (\`src/session.ts:3\`, MWC101): processRequest and processResponse are sync; asyncCapable = true comes from MiddlewareMixin. Fix: added \`static asyncCapable = false;\` at line 4.

## Classes that now declare async support (1)

- **StreamingSessionMiddleware** (\`src/streaming.ts:3\`, MWC102), required: processRequest and processResponse are async; required: SessionMiddleware is declared sync-only in this run. Fix: added \`static asyncCapable = true;\` at line 4.

## Needs review (1)

### AuditMiddleware (\`src/audit.ts:3\`, MWC201): Explicit async opt-in on sync hooks

**What:** declares asyncCapable = true (line 4) while processRequest is sync: each request pays a context switch per hook.

**Why:** The class declares async support while its request/response hooks are sync, so the mixin wraps each hook in its own sync-to-async hop on every request. Django's release note for the fix tells deployments with high in-process concurrency over non-ORM I/O to opt in exactly like this, so the codemod keeps it.

**Example:**

\`\`\`ts
class AuditMiddleware extends MiddlewareMixin {
  static asyncCapable = true; // deliberate, or a leftover?
  processRequest(request) { audit(request); }
}
\`\`\`

**What to do:** Keep it if it is a deliberate opt-in (high in-process concurrency over non-ORM I/O); otherwise replace it with asyncCapable = false so that the chain groups it with its sync neighbours.

**How safe:** Flipping it to false is safe for correctness (the hooks are sync either way) and removes a switch per hook; it only loses the concurrency that the opt-in may have been bought for.

## Unchanged (1)

- **ViewMiddleware** (\`src/view.ts:3\`, MWC001): no request or response hook: the mixin adds no switch for it, and declaring it sync-only would add one.
`);
  });
});
