// -i through a real pseudo-terminal: type keys as a person would (one key per answer, no
// Enter: a prompt that waited for Enter would time out), then check the files.
// Review order is the decisions' order (by file): audit (needs review, offers a flip),
// security, session, streaming (proposed edits).
import { spawn } from "node-pty";
import { describe, expect, test, vi } from "vitest";
import { asText, CLI, FIXTURE, FIXTURE_AFTER, makeTree, readTree, requireBuild } from "./helpers/cli.ts";

vi.setConfig({ testTimeout: 60_000 });

const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");

/** Run `-i` in a pty; `keys[k]` answers item k+1 (undefined: stop answering). */
function interactive(dir: string, keys: string[], args: string[] = []): Promise<{ code: number; output: string }> {
  requireBuild();
  return new Promise((resolve, reject) => {
    const term = spawn(process.execPath, [CLI, "-i", ...args], { cwd: dir, cols: 200, rows: 50, env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "" } as Record<string, string> });
    let output = "";
    let answered = 0;
    const timer = setTimeout(() => reject(new Error(`timed out; output so far:\n${strip(output)}`)), 45_000);
    term.onData((data) => {
      output += data;
      const text = strip(output);
      // Answer item k once its header and the whole choice list are on screen.
      const k = answered + 1;
      const header = text.indexOf(`[${k}/`);
      if (answered < keys.length && header >= 0 && text.indexOf("?) explain", header) >= 0) {
        answered++;
        // "?x": ask for the explanation, then answer x once it is on screen.
        const [first, then] = keys[k - 1].length === 2 && keys[k - 1][0] === "?" ? ["?", keys[k - 1][1]] : [keys[k - 1], null];
        setTimeout(() => term.write(first), 50);
        if (then) {
          const wait = setInterval(() => {
            if (strip(output).indexOf("Fix safety:", header) >= 0) {
              clearInterval(wait);
              term.write(then);
            }
          }, 50);
        }
      }
    });
    term.onExit(({ exitCode }) => {
      clearTimeout(timer);
      resolve({ code: exitCode, output: strip(output) });
    });
  });
}

/** A sync-only base and, in other files, a sync-only subclass and one with native async hooks. */
const CHAIN = {
  "src/mixin.ts": FIXTURE["src/mixin.ts"],
  "src/base.ts": `import { MiddlewareMixin } from "./mixin.ts";

export class BaseMiddleware extends MiddlewareMixin {
  processRequest(request: unknown) {
    return undefined;
  }
}
`,
  "src/child.ts": `import { BaseMiddleware } from "./base.ts";

export class ChildMiddleware extends BaseMiddleware {
  processResponse(request: unknown, response: unknown) {
    return response;
  }
}
`,
  // Sorts before base.ts: review still asks about the base first.
  "src/a-stream.ts": `import { BaseMiddleware } from "./base.ts";

export class StreamMiddleware extends BaseMiddleware {
  async processRequest(request: unknown) {
    return undefined;
  }

  async processResponse(request: unknown, response: unknown) {
    return response;
  }
}
`,
};

const AUDIT_FLIPPED = String(FIXTURE["src/audit.ts"]).replace("static asyncCapable = true;", "static asyncCapable = false;");

describe("-i, --interactive", () => {
  test("shows class, file:line, reason and the hunk; skip one, accept the others one by one", async () => {
    const dir = makeTree(FIXTURE);
    const r = await interactive(dir, ["n", "y", "n", "y"]);
    expect(r.code).toBe(0);
    expect(r.output).toContain("[2/4] SecurityMiddleware  src/security.ts:3  set-async-capable-false\r\nprocessResponse is sync; asyncCapable = true comes from MiddlewareMixin.\r\n@@ -1,6 +1,7 @@");
    expect(r.output).toContain("+  static asyncCapable = false;");
    expect(r.output).toContain("[1/4] AuditMiddleware  src/audit.ts:3  needs review");
    expect(r.output).toContain(
      "Middleware classes: 5 (1 set-async-capable-false, 1 set-async-capable-true, 1 needs-review, 1 unchanged, 1 skipped in review)\r\n" +
        "Files: 7 scanned, 2 changed, 0 errors\r\n" +
        "Review: written: SecurityMiddleware, StreamingSessionMiddleware; skipped: AuditMiddleware (src/audit.ts:3): replace with asyncCapable = false, SessionMiddleware (src/session.ts:3): set-async-capable-false\r\n",
    );
    expect(readTree(dir)).toEqual(asText({ ...FIXTURE, "src/security.ts": FIXTURE_AFTER["src/security.ts"], "src/streaming.ts": FIXTURE_AFTER["src/streaming.ts"] }));
  });

  test("a needs-review action flips a deliberate opt-in; 'a' applies all remaining edits", async () => {
    const dir = makeTree(FIXTURE);
    const r = await interactive(dir, ["y", "a"]);
    expect(r.code).toBe(0);
    expect(r.output).toContain("replace with asyncCapable = false?");
    expect(readTree(dir)).toEqual(asText({ ...FIXTURE_AFTER, "src/audit.ts": AUDIT_FLIPPED }));
  });

  test("an action that changes what the class does says so on the prompt", async () => {
    const timer = `export class RequestTimer {
  constructor(private readonly getResponse: (req: unknown) => unknown) {}

  call(req: { isAsync: boolean }) {
    if (req.isAsync) return this.acall(req);
    return this.getResponse(req);
  }

  async acall(req: unknown) {
    return await this.getResponse(req);
  }
}
`;
    const dir = makeTree({ "src/timer.ts": timer });
    const r = await interactive(dir, ["n"]);
    expect(r.code).toBe(0);
    expect(r.output).toContain("[1/1] RequestTimer  src/timer.ts:1  needs review");
    expect(r.output).toContain("declare asyncCapable = true (turns on an async path that has never run)?");
    expect(readTree(dir)).toEqual(asText({ "src/timer.ts": timer }));
  });

  test("quit writes what was accepted so far; the summary says what was written and what was skipped", async () => {
    const dir = makeTree(FIXTURE);
    const r = await interactive(dir, ["n", "y", "q"]);
    expect(r.code).toBe(0);
    expect(readTree(dir)).toEqual(asText({ ...FIXTURE, "src/security.ts": FIXTURE_AFTER["src/security.ts"] }));
    // Two declarations were proposed besides the one written: neither is counted as set.
    expect(r.output).toContain(
      "Middleware classes: 5 (1 set-async-capable-false, 0 set-async-capable-true, 1 needs-review, 1 unchanged, 2 skipped in review)\r\n" +
        "Files: 7 scanned, 1 changed, 0 errors\r\n" +
        "Review: written: SecurityMiddleware; skipped (quit): AuditMiddleware (src/audit.ts:3): replace with asyncCapable = false, SessionMiddleware (src/session.ts:3): set-async-capable-false, StreamingSessionMiddleware (src/streaming.ts:3): set-async-capable-true\r\n",
    );
  });

  test("one keypress answers (no Enter); ? shows the rule's explanation and asks again", async () => {
    const dir = makeTree(FIXTURE);
    const r = await interactive(dir, ["?n", "a"]);
    expect(r.code).toBe(0);
    expect(r.output).toContain("replace with asyncCapable = false? [y,n,q,?]");
    expect(r.output).toContain("Apply this edit? [y,n,a,q,?]");
    expect(r.output).toContain("y) replace with asyncCapable = false  n) skip (keep as it is)  q) quit, writing what was accepted so far  ?) explain");
    // The explanation: the decision's reason, then the rule's what / why / example / fix safety.
    expect(r.output).toContain("What: declares asyncCapable = true (line 4) while processRequest is sync");
    expect(r.output).toContain("MWC201 (needs-review, rule deliberate-opt-in): Explicit async opt-in on sync hooks\r\n");
    expect(r.output).toContain("Fix safety: Flipping it to false is safe for correctness");
    expect(r.output).toContain("replace with asyncCapable = false? n: skip (keep as it is)");
    expect(readTree(dir)).toEqual(asText(FIXTURE_AFTER));
  });

  test("Ctrl-C writes nothing, exit 130", async () => {
    const dir = makeTree(FIXTURE);
    const r = await interactive(dir, ["y", "y", "\x03"]);
    expect(r.code).toBe(130);
    expect(r.output).toContain("interrupted: nothing written");
    expect(readTree(dir)).toEqual(asText(FIXTURE));
  });

  test("refuses before reviewing when the work tree is dirty", async () => {
    const dir = makeTree(FIXTURE);
    const { writeFileSync } = await import("node:fs");
    writeFileSync(`${dir}/src/util.ts`, "export const answer = 43;\n");
    const r = await interactive(dir, []);
    expect(r.code).toBe(2);
    expect(r.output).toContain("refusing to write: uncommitted changes in src/util.ts; commit or stash them, or pass --allow-dirty");
  });

  test("on a terminal, long runs show progress on stderr (cleared before the summary)", async () => {
    // Not interactive: a plain run in the pty, where stderr is a terminal.
    requireBuild();
    const dir = makeTree(FIXTURE);
    const raw = await new Promise<string>((resolve) => {
      const term = spawn(process.execPath, [CLI, "--dry-run"], { cwd: dir, cols: 120, rows: 40, env: { ...process.env, NO_COLOR: "1" } as Record<string, string> });
      let out = "";
      term.onData((d) => (out += d));
      term.onExit(() => resolve(out));
    });
    expect(raw).toMatch(/\r\x1b\[Kreading 7 TS\/JS files/);
    expect(raw).not.toMatch(/\x1b\[3\dm/); // NO_COLOR: no colour codes even on a terminal
  });

  test("skipping a base's declaration decides its subclasses again: a sync-only subclass is then proposed", async () => {
    const tree = { "src/mixin.ts": CHAIN["src/mixin.ts"], "src/base.ts": CHAIN["src/base.ts"], "src/child.ts": CHAIN["src/child.ts"] };
    const dir = makeTree(tree);
    const r = await interactive(dir, ["n", "y"], ["--report", "report.md"]);
    expect(r.code).toBe(0);
    expect(r.output).toContain("[1/1] BaseMiddleware  src/base.ts:3  set-async-capable-false\r\n");
    expect(r.output).toContain(
      "[2/2] ChildMiddleware  src/child.ts:3  set-async-capable-false\r\nprocessRequest and processResponse are sync; asyncCapable = true comes from MiddlewareMixin through BaseMiddleware.\r\n@@ -1,6 +1,7 @@",
    );
    expect(r.output).toContain(
      "Middleware classes: 2 (1 set-async-capable-false, 0 set-async-capable-true, 0 needs-review, 0 unchanged, 1 skipped in review)\r\n" +
        "Files: 3 scanned, 1 changed, 0 errors\r\n" +
        "Review: written: ChildMiddleware; skipped: BaseMiddleware (src/base.ts:3): set-async-capable-false\r\nReport: report.md\r\n",
    );
    const files = readTree(dir);
    const report = files["report.md"];
    delete files["report.md"];
    expect(files).toEqual(asText({ ...tree, "src/child.ts": CHAIN["src/child.ts"].replace("BaseMiddleware {\n", "BaseMiddleware {\n  static asyncCapable = false;\n") }));
    // The report tells the final decisions: the base unchanged (declined), the subclass declared.
    expect(report).toMatch(/## Classes now declared sync-only \(1\)\n\n.*ChildMiddleware/);
    expect(report).toMatch(/## Unchanged \(1\)\n\n.*BaseMiddleware.*its declaration was declined in review/);
    expect(report).not.toContain("declared in this run");
  });

  test("the base is asked first; skipping it makes a subclass's async declaration defensive", async () => {
    const tree = { "src/mixin.ts": CHAIN["src/mixin.ts"], "src/base.ts": CHAIN["src/base.ts"], "src/a-stream.ts": CHAIN["src/a-stream.ts"] };
    const dir = makeTree(tree);
    const r = await interactive(dir, ["n", "y"]);
    expect(r.code).toBe(0);
    expect(r.output).toContain("[1/2] BaseMiddleware  src/base.ts:3  set-async-capable-false\r\n");
    expect(r.output).toContain("[2/2] StreamMiddleware  src/a-stream.ts:3  set-async-capable-true\r\nprocessRequest and processResponse are async; defensive: ");
    expect(r.output).not.toContain("required: BaseMiddleware is declared sync-only in this run");
    expect(readTree(dir)).toEqual(asText({ ...tree, "src/a-stream.ts": CHAIN["src/a-stream.ts"].replace("BaseMiddleware {\n", "BaseMiddleware {\n  static asyncCapable = true;\n") }));
  });
});
