// The jscodeshift transform analyses the project once per run and tree state: several workers
// of one run share one analysis, a second run on the same tree reuses it, and a changed tree
// is analysed again. The engine logs each analysis under a test-only variable.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeTree, readTree, ROOT as REPO, runCliSync } from "./helpers/cli.ts";

const EXAMPLE = path.join(REPO, "fixtures/example");

/** A jscodeshift run on `tree`, with as many workers as `cpus` reported cores allow; the analyses the engine ran so far. */
function jscodeshift(tree: string, scratch: string, options: { dry?: boolean; cpus?: number; inBand?: boolean } = {}) {
  const cpus = options.cpus ?? 4;
  // jscodeshift starts one worker per core but one: pretend to have `cpus` cores, so that the
  // test runs several workers on any machine.
  const preload = path.join(scratch, "cpus.cjs");
  writeFileSync(preload, `const os = require("node:os"); const c = os.cpus()[0]; os.cpus = () => Array(${cpus}).fill(c);\n`);
  const log = path.join(scratch, "analyses.log");
  const r = spawnSync(
    path.join(REPO, "node_modules/.bin/jscodeshift"),
    ["-t", path.join(REPO, "transforms/async-capable.ts"), "--extensions=ts,tsx,js,jsx,mjs,cjs,mts,cts", ...(options.dry ? ["--dry"] : []), ...(options.inBand ? ["--run-in-band"] : []), "."],
    {
      cwd: tree,
      encoding: "utf8",
      env: {
        ...process.env,
        BABEL_DISABLE_CACHE: "1",
        NODE_OPTIONS: `--require ${preload}`,
        // The cache lives in the OS temp folder: this test's own.
        TMPDIR: path.join(scratch, "tmp"),
        MIDDLEWARE_CODEMOD_TEST_ANALYSIS_LOG: log,
      },
    },
  );
  expect(r.error).toBeUndefined();
  expect(r.status, r.stderr).toBe(0);
  const analyses = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
  return { stdout: r.stdout, analyses };
}

function scratchDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "mwc-jscs-"));
  mkdirSync(path.join(dir, "tmp"));
  return dir;
}

describe("jscodeshift transform: one analysis per run and tree state", () => {
  it("three workers of one run share one analysis and write the CLI's tree", () => {
    const scratch = scratchDir();
    const tree = makeTree({}, { from: path.join(EXAMPLE, "input") });
    const run = jscodeshift(tree, scratch);
    expect(run.stdout).toContain("Spawning 3 workers");
    expect(run.analyses).toHaveLength(1);
    expect(readTree(tree)).toEqual(readTree(path.join(EXAMPLE, "output")));
  });

  it("a second run on the same tree reuses the analysis; a changed tree is analysed again", () => {
    const scratch = scratchDir();
    const tree = makeTree({}, { from: path.join(EXAMPLE, "input") });
    expect(jscodeshift(tree, scratch, { dry: true }).analyses).toHaveLength(1);
    expect(jscodeshift(tree, scratch, { dry: true }).analyses).toHaveLength(1);

    // A new sync-only middleware: an edit the cached analysis does not have.
    const added = {
      "src/middleware/etag.ts": `import { MiddlewareMixin, type Request, type Response } from "@acme/http";\n\nexport class EtagMiddleware extends MiddlewareMixin {\n  processResponse(req: Request, res: Response): Response {\n    res.setHeader("ETag", String(req.url.length));\n    return res;\n  }\n}\n`,
    };
    for (const [name, text] of Object.entries(added)) writeFileSync(path.join(tree, name), text);
    const cli = makeTree({}, { from: tree });
    expect(runCliSync([], { cwd: cli }).code).toBe(0);

    const run = jscodeshift(tree, scratch);
    expect(run.analyses).toHaveLength(2);
    expect(readTree(tree)).toEqual(readTree(cli));
    expect(readTree(tree)["src/middleware/etag.ts"]).not.toBe(added["src/middleware/etag.ts"]);
  });

  it("a cache folder that others may write to is not used: each worker analyses for itself", () => {
    const scratch = scratchDir();
    const shared = path.join(scratch, "tmp", "middleware-codemod-jscodeshift");
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const tree = makeTree({}, { from: path.join(EXAMPLE, "input") });
    const run = jscodeshift(tree, scratch);
    expect(run.stdout).toContain("Spawning 3 workers");
    expect(run.analyses).toHaveLength(3);
    expect(readTree(shared)).toEqual({});
    expect(readTree(tree)).toEqual(readTree(path.join(EXAMPLE, "output")));
  });

  it("a run in the runner's own process (--run-in-band) gives the same tree", () => {
    const scratch = scratchDir();
    const tree = makeTree({}, { from: path.join(EXAMPLE, "input") });
    const run = jscodeshift(tree, scratch, { inBand: true });
    expect(run.stdout).not.toContain("Spawning");
    expect(run.analyses).toHaveLength(1);
    expect(readTree(tree)).toEqual(readTree(path.join(EXAMPLE, "output")));
  });
});
