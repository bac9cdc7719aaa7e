// action.yml, the composite GitHub Action: its check step is run here as the runner runs it
// (bash, the step's env with the inputs filled in, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as
// temporary files) on a copy of a fixture. The build step is the package's own `npm ci` +
// build, which the tests have already done.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test, vi } from "vitest";
import { FIXTURE, FIXTURE_AFTER, makeTree, readTree, requireBuild, ROOT, runCliSync } from "./helpers/cli.ts";

vi.setConfig({ testTimeout: 120_000 });

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  "working-directory"?: string;
}

interface Action {
  runs: { using: string; steps: Step[] };
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
}

/** action.yml as data (PyYAML, which Debian's pre-commit brings along). */
function loadAction(): Action {
  const json = execFileSync("/usr/bin/python3", ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", path.join(ROOT, "action.yml")], { encoding: "utf8" });
  return JSON.parse(json);
}

/** `${{ inputs.x }}` and `${{ github.action_path }}`, as the runner fills them in. */
function expand(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*(inputs\.([\w-]+)|github\.action_path)\s*\}\}/g, (_m, _all, name) => (name ? inputs[name] : ROOT));
}

interface StepRun {
  status: number | null;
  stdout: string;
  stderr: string;
  output: string;
  summary: string;
}

function runCheckStep(cwd: string, given: Record<string, string> = {}): StepRun {
  requireBuild();
  const action = loadAction();
  const step = action.runs.steps.find((s) => s.id === "check")!;
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, given[k] ?? v.default ?? ""]));
  const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, inputs)]));
  const files = mkdtempSync(path.join(tmpdir(), "mwc-gh-"));
  const output = path.join(files, "output");
  const summary = path.join(files, "summary");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const r = spawnSync("bash", ["-e", "-c", expand(step.run!, inputs)], {
    cwd: path.resolve(cwd, expand(step["working-directory"] ?? ".", inputs)),
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env, GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, output: readFileSync(output, "utf8"), summary: readFileSync(summary, "utf8") };
}

/** `diff<<DELIMITER\n…\nDELIMITER\nexit-code=N\n`, GitHub's multiline output syntax. */
function parseOutput(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const multi = /^([\w-]+)<<(.+)$/.exec(lines[i]);
    if (multi) {
      const end = lines.indexOf(multi[2], i + 1);
      expect(end, `no closing ${multi[2]}`).toBeGreaterThan(i);
      out[multi[1]] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (lines[i]) {
      const [k, ...v] = lines[i].split("=");
      out[k] = v.join("=");
    }
  }
  return out;
}

describe("action.yml", () => {
  test("a composite action: Node set up, the package built, then the check step calls action/check.sh", () => {
    const action = loadAction();
    expect(action.runs.using).toBe("composite");
    expect(action.runs.steps.map((s) => s.uses ?? s.run)).toEqual([
      "actions/setup-node@v4",
      "npm ci --ignore-scripts --no-audit --no-fund && npm run build",
      'bash "${{ github.action_path }}/action/check.sh"',
    ]);
    expect(Object.keys(action.inputs)).toEqual(["paths", "strict", "args", "working-directory", "node-version"]);
    expect(action.outputs).toEqual({
      diff: { description: expect.any(String), value: "${{ steps.check.outputs.diff }}" },
      "exit-code": { description: expect.any(String), value: "${{ steps.check.outputs.exit-code }}" },
    });
  });

  test("edits pending: annotations, the report in the job summary, the diff as output; the step fails; nothing written", () => {
    const dir = makeTree({}, { from: path.join(ROOT, "fixtures/django-example/input") });
    const before = readTree(dir);
    const r = runCheckStep(dir);
    expect(r.status).toBe(1);
    // The same annotations, report and diff as the CLI gives on its own.
    expect(r.stdout).toBe(runCliSync(["--dry-run", "--format", "github"], { cwd: dir }).stdout);
    expect(r.summary).toBe(readFileSync(path.join(ROOT, "fixtures/django-example/expected-report.md"), "utf8"));
    expect(r.summary).toContain("```mermaid\n");
    const diff = runCliSync(["--dry-run"], { cwd: dir }).stdout;
    expect(diff).not.toBe("");
    expect(parseOutput(r.output)).toEqual({ diff: diff.replace(/\n$/, ""), "exit-code": "1" });
    expect(readTree(dir)).toEqual(before);
  });

  test("nothing pending: the step passes with an empty diff; needs-review fails it only with strict: true", () => {
    const dir = makeTree(FIXTURE_AFTER); // AuditMiddleware (needs review) is left
    const r = runCheckStep(dir);
    expect(r.status).toBe(0);
    expect(parseOutput(r.output)).toEqual({ diff: "", "exit-code": "0" });
    expect(r.stdout).toMatch(/^::warning file=src\/audit\.ts,line=3,col=14,title=middleware-codemod MWC201 /);
    const strict = runCheckStep(dir, { strict: "true" });
    expect(strict.status).toBe(1);
    expect(parseOutput(strict.output)).toEqual({ diff: "", "exit-code": "1" });
  });

  test("inputs: paths, args and working-directory reach the CLI", () => {
    const dir = makeTree(Object.fromEntries(Object.entries(FIXTURE).map(([k, v]) => [`web/${k}`, v])));
    const r = runCheckStep(dir, { "working-directory": "web", paths: "src/session.ts src/mixin.ts", args: "--exclude src/mixin.ts" });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      "::notice file=src/session.ts,line=3,col=14,title=middleware-codemod MWC101 (set-async-capable-false)::SessionMiddleware: processRequest and processResponse are sync; asyncCapable = true comes from MiddlewareMixin. Fix: add `static asyncCapable = false;` at line 4.\n",
    );
    expect(parseOutput(r.output).diff).toMatch(/^diff --git a\/src\/session\.ts b\/src\/session\.ts\n/);
    const bad = runCheckStep(dir, { "working-directory": "web", args: "--target 9.9" });
    expect(bad.status).toBe(2);
    expect(parseOutput(bad.output)["exit-code"]).toBe("2");
  });
});
