// --dry-run, --json and --format, end to end through the built CLI.
import { execFileSync } from "node:child_process";
import { describe, expect, test, vi } from "vitest";
import { asText, FIXTURE, FIXTURE_AFTER, makeTree, readTree, runCli } from "./helpers/cli.ts";

vi.setConfig({ testTimeout: 60_000 });

const DIFF = `diff --git a/src/security.ts b/src/security.ts
--- a/src/security.ts
+++ b/src/security.ts
@@ -1,6 +1,7 @@
 import { MiddlewareMixin } from "./mixin.ts";
 
 export class SecurityMiddleware extends MiddlewareMixin {
+  static asyncCapable = false;
   processResponse(request: unknown, response: unknown) {
     return response;
   }
diff --git a/src/session.ts b/src/session.ts
--- a/src/session.ts
+++ b/src/session.ts
@@ -1,6 +1,7 @@
 import { MiddlewareMixin } from "./mixin.ts";
 
 export class SessionMiddleware extends MiddlewareMixin {
+  static asyncCapable = false;
   processRequest(request: { session?: unknown }) {
     request.session = {};
   }
diff --git a/src/streaming.ts b/src/streaming.ts
--- a/src/streaming.ts
+++ b/src/streaming.ts
@@ -1,6 +1,7 @@
 import { SessionMiddleware } from "./session.ts";
 
 export class StreamingSessionMiddleware extends SessionMiddleware {
+  static asyncCapable = true;
   async processRequest(request: unknown) {
     await Promise.resolve(request);
   }
`;

const SUMMARY = `Middleware classes: 5 (2 set-async-capable-false, 1 set-async-capable-true, 1 needs-review, 1 unchanged)
Files: 7 scanned, 3 would change, 0 errors
`;

const AUDIT_REASON =
  "declares asyncCapable = true (line 4) while processRequest is sync: each request pays a context switch per hook. Keep it if it is a deliberate opt-in (high in-process concurrency over non-ORM I/O); otherwise replace it with asyncCapable = false so that the chain groups it with its sync neighbours.";

describe("--dry-run", () => {
  test("prints the whole diff, writes nothing, exit 1; the summary goes to stderr", async () => {
    const dir = makeTree(FIXTURE);
    const r = await runCli(["--dry-run"], { cwd: dir });
    expect(r).toEqual({ code: 1, stdout: DIFF, stderr: SUMMARY });
    expect(readTree(dir)).toEqual(asText(FIXTURE));
  });

  test("git apply accepts the diff and gives exactly the files of a real run", async () => {
    const dir = makeTree(FIXTURE);
    const { stdout } = await runCli(["--dry-run"], { cwd: dir });
    execFileSync("git", ["apply", "--whitespace=nowarn", "-"], { cwd: dir, input: stdout });
    expect(readTree(dir)).toEqual(asText(FIXTURE_AFTER));
    // And the real run on a fresh copy gives the same tree.
    const real = makeTree(FIXTURE);
    await runCli([], { cwd: real });
    expect(readTree(real)).toEqual(readTree(dir));
  });

  test("CRLF files and files without a final newline still apply cleanly", async () => {
    const crlf = String(FIXTURE["src/session.ts"]).replace(/\n/g, "\r\n");
    const noEol = String(FIXTURE["src/security.ts"]).replace(/\n$/, "");
    const tree = { ...FIXTURE, "src/session.ts": crlf, "src/security.ts": noEol };
    const dir = makeTree(tree);
    const { stdout, code } = await runCli(["--dry-run"], { cwd: dir });
    expect(code).toBe(1);
    execFileSync("git", ["apply", "--whitespace=nowarn", "-"], { cwd: dir, input: stdout });
    const real = makeTree(tree);
    await runCli([], { cwd: real });
    expect(readTree(dir)).toEqual(readTree(real));
  });

  test("exit 0 and empty stdout when nothing needs changing", async () => {
    const dir = makeTree(FIXTURE_AFTER);
    const r = await runCli(["--dry-run"], { cwd: dir });
    expect(r).toEqual({
      code: 0,
      stdout: "",
      stderr: "Middleware classes: 5 (0 set-async-capable-false, 0 set-async-capable-true, 1 needs-review, 4 unchanged)\nFiles: 7 scanned, 0 would change, 0 errors\n",
    });
  });

  test("colours only on a terminal: a pipe gets none even with FORCE_COLOR", async () => {
    const dir = makeTree(FIXTURE);
    const r = await runCli(["--dry-run"], { cwd: dir, env: { FORCE_COLOR: "1" } });
    expect(r.stdout).toBe(DIFF);
    expect(r.stderr).toBe(SUMMARY);
  });
});

describe("--json", () => {
  const middleware = [
    {
      file: "src/audit.ts",
      line: 3,
      class: "AuditMiddleware",
      language: "ts",
      outcome: "needs-review",
      reason: AUDIT_REASON,
      hooks: { processRequest: "sync" },
      asyncCapable: { before: true, after: true, declaredIn: "AuditMiddleware" },
      required: null,
      code: "MWC201",
      fix: null,
      suppressed: null,
    },
    {
      file: "src/security.ts",
      line: 3,
      class: "SecurityMiddleware",
      language: "ts",
      outcome: "set-async-capable-false",
      reason: "processResponse is sync; asyncCapable = true comes from MiddlewareMixin",
      hooks: { processResponse: "sync" },
      asyncCapable: { before: true, after: false, declaredIn: "MiddlewareMixin" },
      required: null,
      code: "MWC101",
      fix: { line: 4, text: "static asyncCapable = false;" },
      suppressed: null,
    },
    {
      file: "src/session.ts",
      line: 3,
      class: "SessionMiddleware",
      language: "ts",
      outcome: "set-async-capable-false",
      reason: "processRequest and processResponse are sync; asyncCapable = true comes from MiddlewareMixin",
      hooks: { processRequest: "sync", processResponse: "sync" },
      asyncCapable: { before: true, after: false, declaredIn: "MiddlewareMixin" },
      required: null,
      code: "MWC101",
      fix: { line: 4, text: "static asyncCapable = false;" },
      suppressed: null,
    },
    {
      file: "src/streaming.ts",
      line: 3,
      class: "StreamingSessionMiddleware",
      language: "ts",
      outcome: "set-async-capable-true",
      reason: "processRequest and processResponse are async; required: SessionMiddleware is declared sync-only in this run",
      code: "MWC102",
      fix: { line: 4, text: "static asyncCapable = true;" },
      suppressed: null,
      hooks: { processRequest: "async", processResponse: "async" },
      asyncCapable: { before: true, after: true, declaredIn: "MiddlewareMixin" },
      required: true,
    },
    {
      file: "src/view.ts",
      line: 3,
      class: "ViewMiddleware",
      language: "ts",
      outcome: "unchanged",
      reason: "no request or response hook: the mixin adds no switch for it, and declaring it sync-only would add one",
      hooks: { processView: "sync" },
      asyncCapable: { before: true, after: true, declaredIn: "MiddlewareMixin" },
      required: null,
      code: "MWC001",
      fix: null,
      suppressed: null,
    },
  ];
  const result = (filesChanged: number) => ({
    schemaVersion: 1,
    summary: { filesScanned: 7, filesChanged, errors: 0, setFalse: 2, setTrue: 1, needsReview: 1, unchanged: 1, suppressed: 0 },
    middleware,
    errors: [],
  });

  test("with --dry-run: the result object alone on stdout, no diff, exit 1", async () => {
    const dir = makeTree(FIXTURE);
    const r = await runCli(["--dry-run", "--json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual(result(3));
    expect(r.stderr).toBe(SUMMARY);
    expect(readTree(dir)).toEqual(asText(FIXTURE));
  });

  test("alone: a check like --dry-run, writes nothing, exit 1 while edits are pending", async () => {
    const dir = makeTree(FIXTURE);
    const r = await runCli(["--json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual(result(3));
    expect(r.stderr).toBe(SUMMARY);
    expect(readTree(dir)).toEqual(asText(FIXTURE));
  });

  test("with --write: applies and prints the result object, exit 0", async () => {
    const dir = makeTree(FIXTURE);
    const r = await runCli(["--json", "--write"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(result(3));
    expect(r.stderr).toBe(SUMMARY.replace("3 would change", "3 changed"));
    expect(readTree(dir)).toEqual(asText(FIXTURE_AFTER));
  });

  test("file errors are in the object and make the exit status 2", async () => {
    const dir = makeTree({ ...FIXTURE, "src/bad.ts": Buffer.from([0x61, 0x0a, 0xc3, 0x28, 0x0a]) });
    const r = await runCli(["--dry-run", "--json"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).errors).toEqual([{ file: "src/bad.ts", message: "not valid UTF-8 (byte 0xc3 at offset 2)", line: 2, column: 1 }]);
  });
});

describe("--format", () => {
  const ANNOTATIONS = [
    "::notice file=src/security.ts,line=3,col=14,title=middleware-codemod MWC101 (set-async-capable-false)::SecurityMiddleware: processResponse is sync; asyncCapable = true comes from MiddlewareMixin. Fix: add `static asyncCapable = false;` at line 4.",
    "::notice file=src/session.ts,line=3,col=14,title=middleware-codemod MWC101 (set-async-capable-false)::SessionMiddleware: processRequest and processResponse are sync; asyncCapable = true comes from MiddlewareMixin. Fix: add `static asyncCapable = false;` at line 4.",
    "::notice file=src/streaming.ts,line=3,col=14,title=middleware-codemod MWC102 (set-async-capable-true)::StreamingSessionMiddleware: processRequest and processResponse are async; required: SessionMiddleware is declared sync-only in this run. Fix: add `static asyncCapable = true;` at line 4.",
    `::warning file=src/audit.ts,line=3,col=14,title=middleware-codemod MWC201 (needs review%3A deliberate-opt-in)::AuditMiddleware: ${AUDIT_REASON}`,
    "::error file=src/bad.ts,line=2,col=1,title=middleware-codemod MWC901::not valid UTF-8 (byte 0xc3 at offset 2)",
    "",
  ].join("\n");

  test("github: one annotation per item at the class line, the insertion as the fix; an error per file error", async () => {
    const dir = makeTree({ ...FIXTURE, "src/bad.ts": Buffer.from([0x61, 0x0a, 0xc3, 0x28, 0x0a]) });
    const r = await runCli(["--dry-run", "--format", "github"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(ANNOTATIONS);
    expect(readTree(dir)["src/session.ts"]).toBe(FIXTURE["src/session.ts"]);
  });

  test("--format without --dry-run writes nothing (exit 1 while edits are pending); with --write it applies", async () => {
    const dir = makeTree(FIXTURE);
    const check = await runCli(["--format", "github"], { cwd: dir });
    expect(check).toEqual({ code: 1, stdout: ANNOTATIONS.split("\n").filter((l) => !l.startsWith("::error")).join("\n"), stderr: SUMMARY });
    const sarif = await runCli(["--format", "sarif"], { cwd: dir });
    expect(sarif.code).toBe(1);
    expect(readTree(dir)).toEqual(asText(FIXTURE));
    const applied = await runCli(["--format", "github", "--write"], { cwd: dir });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toBe(check.stdout.replace(/Fix: add /g, "Fix: added "));
    expect(readTree(dir)).toEqual(asText(FIXTURE_AFTER));
    expect(await runCli(["--dry-run", "--write"], { cwd: dir })).toEqual({ code: 2, stdout: "", stderr: "middleware-codemod: --write and --dry-run contradict each other; choose one\n" });
  });

  test("sarif: a SARIF 2.1.0 log; rules are codes with helpUri; one location per result, the class line; insertions as fixes", async () => {
    const dir = makeTree({ ...FIXTURE, "src/bad.ts": Buffer.from([0x61, 0x0a, 0xc3, 0x28, 0x0a]) });
    const r = await runCli(["--dry-run", "--format", "sarif"], { cwd: dir });
    expect(r.code).toBe(2);
    const log = JSON.parse(r.stdout);
    // Required by the 2.1.0 schema: log.version, runs; run.tool; tool.driver; driver.name;
    // result.message; plus what code scanning needs: $schema, rules, ruleId, level, locations.
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(log.runs).toHaveLength(1);
    const [run] = log.runs;
    expect(run.tool.driver.name).toBe("middleware-codemod");
    expect(run.tool.driver.rules.map((x: { id: string; name: string; helpUri: string }) => [x.id, x.name, x.helpUri])).toEqual([
      ["MWC101", "set-async-capable-false", "https://www.npmjs.com/package/middleware-codemod#mwc101"],
      ["MWC102", "set-async-capable-true", "https://www.npmjs.com/package/middleware-codemod#mwc102"],
      ["MWC201", "needs-review/deliberate-opt-in", "https://www.npmjs.com/package/middleware-codemod#mwc201"],
      ["MWC901", "file-error", "https://www.npmjs.com/package/middleware-codemod#mwc901"],
    ]);
    for (const rule of run.tool.driver.rules) for (const k of ["shortDescription", "fullDescription", "help"]) expect(typeof rule[k].text).toBe("string");
    const at = (file: string, line: number, column: number) => [{ physicalLocation: { artifactLocation: { uri: file, uriBaseId: "SRCROOT" }, region: { startLine: line, startColumn: column } } }];
    const fix = (file: string, line: number, text: string) => [
      {
        description: { text: `add \`${text.trim()}\` at line ${line}` },
        artifactChanges: [
          { artifactLocation: { uri: file, uriBaseId: "SRCROOT" }, replacements: [{ deletedRegion: { startLine: line, startColumn: 1, endLine: line, endColumn: 1 }, insertedContent: { text } }] },
        ],
      },
    ];
    expect(run.results).toEqual([
      {
        ruleId: "MWC101",
        ruleIndex: 0,
        level: "note",
        message: { text: "SecurityMiddleware: processResponse is sync; asyncCapable = true comes from MiddlewareMixin. Fix: add `static asyncCapable = false;` at line 4." },
        locations: at("src/security.ts", 3, 14),
        fixes: fix("src/security.ts", 4, "  static asyncCapable = false;\n"),
      },
      {
        ruleId: "MWC101",
        ruleIndex: 0,
        level: "note",
        message: { text: "SessionMiddleware: processRequest and processResponse are sync; asyncCapable = true comes from MiddlewareMixin. Fix: add `static asyncCapable = false;` at line 4." },
        locations: at("src/session.ts", 3, 14),
        fixes: fix("src/session.ts", 4, "  static asyncCapable = false;\n"),
      },
      {
        ruleId: "MWC102",
        ruleIndex: 1,
        level: "note",
        message: {
          text: "StreamingSessionMiddleware: processRequest and processResponse are async; required: SessionMiddleware is declared sync-only in this run. Fix: add `static asyncCapable = true;` at line 4.",
        },
        locations: at("src/streaming.ts", 3, 14),
        fixes: fix("src/streaming.ts", 4, "  static asyncCapable = true;\n"),
      },
      { ruleId: "MWC201", ruleIndex: 2, level: "warning", message: { text: `AuditMiddleware: ${AUDIT_REASON}` }, locations: at("src/audit.ts", 3, 14) },
      { ruleId: "MWC901", ruleIndex: 3, level: "error", message: { text: "not valid UTF-8 (byte 0xc3 at offset 2)" }, locations: at("src/bad.ts", 2, 1) },
    ]);
    expect(run.originalUriBaseIds.SRCROOT.uri).toBe(`file://${dir}/`);
  });
});
