// What users of ruff, ast-grep and django-upgrade expect in checks and reviews, end to end
// through the built CLI: suppression (comments, --exclude), --strict, --target values, the
// report file and the work-tree check, every file counted, chains that cannot be counted.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, test, vi } from "vitest";
import { asText, FIXTURE, FIXTURE_AFTER, makeTree, readTree, runCli, writeTree } from "./helpers/cli.ts";

vi.setConfig({ testTimeout: 60_000 });

/** A small Django project: one chain with a package that is not installed, four middleware classes. */
const DJANGO = {
  "manage.py": 'import os\n\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
  "mysite/__init__.py": "",
  "mysite/settings.py": `MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "mysite.middleware.TimingMiddleware",
]
`,
  "mysite/middleware.py": `from django.utils.deprecation import MiddlewareMixin


class TimingMiddleware(MiddlewareMixin):
    def process_request(self, request):
        request.started = 1


class LegacyMiddleware(MiddlewareMixin):  # middleware-codemod: ignore[MWC101]
    def process_response(self, request, response):
        return response


class OptInMiddleware(MiddlewareMixin):  # middleware-codemod: ignore[needs-review]
    async_capable = True

    def process_request(self, request):
        pass


class AuditMiddleware(MiddlewareMixin):
    async_capable = True

    def process_request(self, request):
        pass
`,
};

const CHAIN_NOTES = `MIDDLEWARE mysite/settings.py:1: not analysed (corsheaders.middleware.CorsMiddleware could not be read)
  note: To count this chain: install the package that provides \`corsheaders\` in the project's virtualenv (.venv, venv or $VIRTUAL_ENV), or pass --site-packages DIR naming a site-packages folder that has it.
`;

describe("suppression", () => {
  test("Python comments on the class line: by code and by outcome; counted, listed, never edited", async () => {
    const dir = makeTree(DJANGO);
    const r = await runCli(["--json"], { cwd: dir });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.summary).toEqual({ filesScanned: 4, filesChanged: 1, errors: 0, setFalse: 1, setTrue: 0, needsReview: 1, unchanged: 0, suppressed: 2 });
    expect(json.middleware.map((m: { class: string; outcome: string; code: string; fix: unknown; suppressed: unknown }) => [m.class, m.outcome, m.code, m.fix, m.suppressed])).toEqual([
      ["TimingMiddleware", "set-async-capable-false", "MWC101", { line: 5, text: "async_capable = False" }, null],
      ["LegacyMiddleware", "set-async-capable-false", "MWC101", null, { by: "comment", detail: "# middleware-codemod: ignore[MWC101]" }],
      ["OptInMiddleware", "needs-review", "MWC201", null, { by: "comment", detail: "# middleware-codemod: ignore[needs-review]" }],
      ["AuditMiddleware", "needs-review", "MWC201", null, null],
    ]);
    expect(r.stderr).toBe(
      "Middleware classes: 4 (1 set-async-capable-false, 0 set-async-capable-true, 1 needs-review, 0 unchanged, 2 suppressed)\nFiles: 4 scanned, 1 would change, 0 errors\n" + CHAIN_NOTES,
    );
    const write = await runCli([], { cwd: dir });
    expect(write.code).toBe(0);
    const after = readTree(dir);
    expect(after).toEqual(asText({ ...DJANGO, "mysite/middleware.py": DJANGO["mysite/middleware.py"].replace("(MiddlewareMixin):\n    def process_request(self, request):\n        request.started", "(MiddlewareMixin):\n    async_capable = False\n\n    def process_request(self, request):\n        request.started") }));
  });

  test("a comment naming another rule suppresses nothing", async () => {
    const dir = makeTree({ ...DJANGO, "mysite/middleware.py": DJANGO["mysite/middleware.py"].replace("ignore[MWC101]", "ignore[deliberate-opt-in]") });
    const json = JSON.parse((await runCli(["--json"], { cwd: dir })).stdout);
    expect(json.summary).toEqual({ filesScanned: 4, filesChanged: 1, errors: 0, setFalse: 2, setTrue: 0, needsReview: 1, unchanged: 0, suppressed: 1 });
  });

  test("TS/JS `// middleware-codemod-ignore`: the base is not declared, so its sync subclass is decided again", async () => {
    const tree = { ...FIXTURE, "src/session.ts": String(FIXTURE["src/session.ts"]).replace("extends MiddlewareMixin {", "extends MiddlewareMixin { // middleware-codemod-ignore") };
    const dir = makeTree(tree);
    const r = await runCli(["--dry-run", "--format", "github"], { cwd: dir });
    expect(r.code).toBe(1);
    // SessionMiddleware is neither annotated nor edited; StreamingSessionMiddleware now inherits
    // true from the mixin through it: its declaration is defensive, no longer required.
    expect(r.stdout).toBe(
      [
        "::notice file=src/security.ts,line=3,col=14,title=middleware-codemod MWC101 (set-async-capable-false)::SecurityMiddleware: processResponse is sync; asyncCapable = true comes from MiddlewareMixin. Fix: add `static asyncCapable = false;` at line 4.",
        "::notice file=src/streaming.ts,line=3,col=14,title=middleware-codemod MWC102 (set-async-capable-true)::StreamingSessionMiddleware: processRequest and processResponse are async; defensive: inherits asyncCapable = true from MiddlewareMixin through SessionMiddleware today, and SessionMiddleware could declare itself sync-only later. Fix: add `static asyncCapable = true;` at line 4.",
        "::warning file=src/audit.ts,line=3,col=14,title=middleware-codemod MWC201 (needs review%3A deliberate-opt-in)::AuditMiddleware: declares asyncCapable = true (line 4) while processRequest is sync: each request pays a context switch per hook. Keep it if it is a deliberate opt-in (high in-process concurrency over non-ORM I/O); otherwise replace it with asyncCapable = false so that the chain groups it with its sync neighbours.",
        "",
      ].join("\n"),
    );
    expect(r.stderr).toBe("Middleware classes: 5 (1 set-async-capable-false, 1 set-async-capable-true, 1 needs-review, 1 unchanged, 1 suppressed)\nFiles: 7 scanned, 2 would change, 0 errors\n");
  });

  test("--exclude GLOB (repeatable): classes in matching files are suppressed, still counted", async () => {
    const dir = makeTree(FIXTURE);
    const r = await runCli(["--json", "--exclude", "src/sec*.ts", "--exclude", "**/audit.ts"], { cwd: dir });
    const json = JSON.parse(r.stdout);
    expect(json.summary).toEqual({ filesScanned: 7, filesChanged: 2, errors: 0, setFalse: 1, setTrue: 1, needsReview: 0, unchanged: 1, suppressed: 2 });
    expect(json.middleware.filter((m: { suppressed: unknown }) => m.suppressed).map((m: { class: string; suppressed: unknown }) => [m.class, m.suppressed])).toEqual([
      ["AuditMiddleware", { by: "exclude", detail: "**/audit.ts" }],
      ["SecurityMiddleware", { by: "exclude", detail: "src/sec*.ts" }],
    ]);
    expect(r.code).toBe(1);
    // SARIF lists them with a suppression (code scanning shows them as dismissed); the report has a section.
    const sarif = await runCli(["--format", "sarif", "--exclude", "src/sec*.ts", "--exclude", "**/audit.ts", "--report", "report.md"], { cwd: dir });
    const results = JSON.parse(sarif.stdout).runs[0].results;
    expect(results.map((x: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; suppressions?: unknown; fixes?: unknown }) => [x.ruleId, x.locations[0].physicalLocation.artifactLocation.uri, x.suppressions ?? null, x.fixes ? "fix" : null])).toEqual([
      ["MWC101", "src/session.ts", null, "fix"],
      ["MWC102", "src/streaming.ts", null, "fix"],
      ["MWC101", "src/security.ts", [{ kind: "external", justification: "--exclude src/sec*.ts" }], null],
      ["MWC201", "src/audit.ts", [{ kind: "external", justification: "--exclude **/audit.ts" }], null],
    ]);
    expect(readTree(dir)["report.md"]).toContain(
      "## Suppressed (2)\n\n" +
        "- **AuditMiddleware** (`src/audit.ts:3`, MWC201), needs-review, suppressed by --exclude **/audit.ts: declares asyncCapable = true (line 4) while processRequest is sync: each request pays a context switch per hook.\n" +
        "- **SecurityMiddleware** (`src/security.ts:3`, MWC101), set-async-capable-false, suppressed by --exclude src/sec*.ts: processResponse is sync; asyncCapable = true comes from MiddlewareMixin.\n",
    );
  });
});

describe("--strict", () => {
  test("default: needs-review alone exits 0; --strict exits 1; a suppressed item does not count", async () => {
    const dir = makeTree(FIXTURE_AFTER);
    const summary = "Middleware classes: 5 (0 set-async-capable-false, 0 set-async-capable-true, 1 needs-review, 4 unchanged)\nFiles: 7 scanned, 0 would change, 0 errors\n";
    expect(await runCli(["--dry-run"], { cwd: dir })).toEqual({ code: 0, stdout: "", stderr: summary });
    expect(await runCli(["--dry-run", "--strict"], { cwd: dir })).toEqual({ code: 1, stdout: "", stderr: summary });
    expect((await runCli(["--strict"], { cwd: dir })).code).toBe(1); // a real run too
    expect((await runCli(["--dry-run", "--strict", "--exclude", "src/audit.ts"], { cwd: dir })).code).toBe(0);
    expect(readTree(dir)).toEqual(asText(FIXTURE_AFTER));
  });
});

describe("--target", () => {
  test("an unreleased release (6.2) is accepted and said so in the summary and the report", async () => {
    const dir = makeTree(DJANGO);
    const r = await runCli(["--dry-run", "--target", "6.2", "--report", "MIDDLEWARE.md"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "Middleware classes: 4 (1 set-async-capable-false, 0 set-async-capable-true, 1 needs-review, 0 unchanged, 2 suppressed)\nFiles: 4 scanned, 1 would change, 0 errors\nReport: MIDDLEWARE.md\n" +
        "Django target: 6.2 is not released yet (in development): its upstream flags are expected, not read from a release\n" +
        CHAIN_NOTES,
    );
    expect(readTree(dir)["MIDDLEWARE.md"]).toContain(
      "\n\nDjango version used for upstream classes: 6.2 (--target); not released yet (in development): its upstream flags are expected, not read from a release.\n\n",
    );
    // A patch release counts as its release.
    expect(JSON.parse((await runCli(["--json", "--target", "4.2.11"], { cwd: dir })).stdout).target).toEqual({ version: "4.2", source: "--target" });
  });
});

describe("chains that cannot be counted", () => {
  test("say which package to install or --site-packages to pass; --backport says it skipped the chain", async () => {
    const dir = makeTree(DJANGO);
    const r = await runCli(["--dry-run", "--backport", "--target", "6.1"], { cwd: dir });
    expect(r.stderr).toBe(
      "Middleware classes: 4 (1 set-async-capable-false, 0 set-async-capable-true, 1 needs-review, 0 unchanged, 2 suppressed)\nFiles: 4 scanned, 1 would change, 0 errors\n" +
        "Backport: nothing backported: the MIDDLEWARE setting could not be counted (see the notes below)\n" +
        CHAIN_NOTES +
        "  note: --backport skipped this chain: it could not be counted, so no entry was pointed at a sync-only subclass.\n",
    );
    // A TS project: --backport has nothing to work on, and says so.
    const ts = makeTree(FIXTURE_AFTER);
    expect((await runCli(["--dry-run", "--backport"], { cwd: ts })).stderr).toBe(
      "Middleware classes: 5 (0 set-async-capable-false, 0 set-async-capable-true, 1 needs-review, 4 unchanged)\nFiles: 7 scanned, 0 would change, 0 errors\nBackport: nothing backported: no Python file was scanned\n",
    );
  });
});

describe("--report", () => {
  test("a report the tool wrote into the work tree does not make the next real run refuse", async () => {
    const dir = makeTree(FIXTURE);
    expect((await runCli(["--dry-run", "--report", "MIDDLEWARE.md"], { cwd: dir })).code).toBe(1);
    const r = await runCli(["--report", "MIDDLEWARE.md"], { cwd: dir });
    expect(r).toEqual({
      code: 0,
      stdout: "Middleware classes: 5 (2 set-async-capable-false, 1 set-async-capable-true, 1 needs-review, 1 unchanged)\nFiles: 7 scanned, 3 changed, 0 errors\nReport: MIDDLEWARE.md\n",
      stderr: "",
    });
    const { "MIDDLEWARE.md": report, ...files } = readTree(dir);
    expect(files).toEqual(asText(FIXTURE_AFTER));
    expect(report.startsWith("<!-- middleware-codemod report -->\n# Middleware async-capability report\n")).toBe(true);
    // A file of the same name that the tool did not write is a change like any other.
    const mine = makeTree(FIXTURE);
    writeTree(mine, { "MIDDLEWARE.md": "# my notes\n" });
    const refused = await runCli(["--report", "MIDDLEWARE.md"], { cwd: mine });
    expect(refused).toEqual({ code: 2, stdout: "", stderr: "middleware-codemod: refusing to write: uncommitted changes in MIDDLEWARE.md; commit or stash them, or pass --allow-dirty\n" });
    expect(readTree(mine)).toEqual(asText({ ...FIXTURE, "MIDDLEWARE.md": "# my notes\n" }));
  });

  test("a report that cannot be written is an error in plain words, and the summary claims no report", async () => {
    const dir = makeTree(FIXTURE);
    const r = await runCli(["--dry-run", "--report", "/proc/version"], { cwd: dir });
    expect(r).toEqual({
      code: 2,
      stdout: expect.any(String),
      stderr: "/proc/version: report not written: no such file or folder\nMiddleware classes: 5 (2 set-async-capable-false, 1 set-async-capable-true, 1 needs-review, 1 unchanged)\nFiles: 7 scanned, 3 would change, 1 error\n",
    });
  });
});

describe("every file looked at is counted", () => {
  test("binary files and pipes named like source files are errors with a reason, counted as scanned", async () => {
    const dir = makeTree({ ...FIXTURE, "src/blob.ts": Buffer.from([0x61, 0x00, 0x62]) });
    execFileSync("mkfifo", [path.join(dir, "src/pipe.ts")]);
    const r = await runCli(["--dry-run", "--json"], { cwd: dir });
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout);
    expect(json.summary).toEqual({ filesScanned: 9, filesChanged: 3, errors: 2, setFalse: 2, setTrue: 1, needsReview: 1, unchanged: 1, suppressed: 0 });
    expect(json.errors).toEqual([
      { file: "src/blob.ts", message: "binary content (NUL byte at offset 1)", line: 1, column: 2 },
      { file: "src/pipe.ts", message: "not a regular file (a pipe, socket or device); not read" },
    ]);
  });
});
