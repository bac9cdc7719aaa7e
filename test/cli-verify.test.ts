// --verify end to end: the built CLI measures each chain with real Django (Debian's 3.2, 4.2
// and 5.2, provisioned by test/setup/provision.mjs, put on /usr/bin/python3's PYTHONPATH) on
// a temporary copy, before and after its edits, and prints predicted vs measured; a
// difference, or a chain that cannot be measured, is exit 2. The project itself is never
// written to by the measurement. A missing Django is a failure, not a skip.
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_STACK, djangoProject, git, THIRD_PARTY } from "./django/project.ts";
import { requireBuild, runCliSync } from "./helpers/cli.ts";
import { DJANGO_VERSIONS, djangoPath, type DjangoVersion } from "./setup/parts.ts";

beforeAll(requireBuild);

/** The CLI with the provisioned Django `version` first on the interpreter's path. */
function cli(dir: string, args: string[], version: DjangoVersion = "3.2") {
  return runCliSync(args, { cwd: dir, env: { PYTHONPATH: djangoPath(version) } });
}

/** The exact Django and asgiref versions of the provisioned part (its stamp). */
function part(version: DjangoVersion): { django: string; asgiref: string } {
  const stamp = JSON.parse(readFileSync(path.join(djangoPath(version), "../../../../.provisioned.json"), "utf8"));
  return { django: stamp.version, asgiref: stamp.asgiref };
}

/** The --verify block of the output: from the first `verify ` line to the end. */
function verifyBlock(text: string): string {
  const at = text.search(/^verify /m);
  if (at < 0) throw new Error(`no verify block in:\n${text}`);
  return text.slice(at);
}

type Fig = [s2a: number, a2s: number];
const f = ([s, a]: Fig) => `${s} sync_to_async + ${a} async_to_sync`;

/** The block --verify prints for one chain whose figures all agree. */
function agreed(where: string, v: { django: string; asgiref: string }, figures: { async: [Fig, Fig]; sync: [Fig, Fig] }, note = ""): string {
  return [
    `verify MIDDLEWARE ${where} (mysite.settings): Django ${v.django}, asgiref ${v.asgiref}, /usr/bin/python3`,
    ...(note ? [note] : []),
    `  async view, before this run: predicted ${f(figures.async[0])}, measured ${f(figures.async[0])}`,
    `  async view, after  this run: predicted ${f(figures.async[1])}, measured ${f(figures.async[1])}`,
    `  sync view, before this run: predicted ${f(figures.sync[0])}, measured ${f(figures.sync[0])}`,
    `  sync view, after  this run: predicted ${f(figures.sync[1])}, measured ${f(figures.sync[1])}`,
    "",
  ].join("\n");
}

/** Where startproject's settings assign MIDDLEWARE. */
function where(dir: string): string {
  const lines = readFileSync(path.join(dir, "mysite/settings.py"), "utf8").split("\n");
  return `mysite/settings.py:${lines.findIndex((l) => l.startsWith("MIDDLEWARE = ")) + 1}`;
}

/** Nothing in the project changed: no edit, no bytecode from importing it. */
function untouched(dir: string): void {
  expect(git(dir, "status", "--porcelain", "--ignored")).toBe("");
  expect(readdirSync(path.join(dir, "mysite")).filter((n) => n === "__pycache__")).toEqual([]);
}

describe.each(DJANGO_VERSIONS)("--verify with Django %s", { timeout: 120_000 }, (version) => {
  it("default stack with --backport: predicted = measured, the project untouched by the dry run", () => {
    const dir = djangoProject(null, {}, version);
    const r = cli(dir, ["--dry-run", "--backport", "--target", version, "--verify"], version);
    expect(r.code).toBe(1); // --dry-run with pending edits; verify agreed
    expect(verifyBlock(r.stderr)).toBe(
      agreed(where(dir), part(version), { async: [[13, 0], [2, 1]], sync: [[14, 0], [3, 1]] }) + "verify: 1 of 1 chain measured as predicted\n",
    );
    untouched(dir);
  });

  it("a custom sync middleware first, a third-party package in .venv, edits written", () => {
    const dir = djangoProject(["mysite.middleware.TimingMiddleware", ...DEFAULT_STACK, "thirdparty_mw.middleware.HeaderMiddleware"], THIRD_PARTY, version);
    const r = cli(dir, ["--target", version, "--verify"], version);
    expect(r.code).toBe(0);
    // The flip of TimingMiddleware (first in the list) adds an adapter: before and after both measured.
    expect(verifyBlock(r.stdout)).toBe(
      agreed(where(dir), part(version), { async: [[16, 0], [16, 1]], sync: [[17, 0], [17, 1]] }) + "verify: 1 of 1 chain measured as predicted\n",
    );
    expect(git(dir, "status", "--porcelain")).toBe(" M mysite/middleware.py\n");
  });

  it("predictions for another release (--target 6.2) differ from the installed one: exit 2 with both figures", () => {
    const dir = djangoProject(null, {}, version);
    const r = cli(dir, ["--dry-run", "--target", "6.2", "--verify"], version);
    const v = part(version);
    expect(r.code).toBe(2);
    expect(verifyBlock(r.stderr)).toBe(
      [
        `verify MIDDLEWARE ${where(dir)} (mysite.settings): Django ${v.django}, asgiref ${v.asgiref}, /usr/bin/python3`,
        `  note: predicted for Django 6.2 (the target), measured with Django ${v.django}; pass --target ${version} to predict for the installed release`,
        "  async view, before this run: predicted 2 sync_to_async + 1 async_to_sync, measured 13 sync_to_async + 0 async_to_sync  MISMATCH",
        "  async view, after  this run: predicted 2 sync_to_async + 1 async_to_sync, measured 13 sync_to_async + 0 async_to_sync  MISMATCH",
        "  sync view, before this run: predicted 3 sync_to_async + 1 async_to_sync, measured 14 sync_to_async + 0 async_to_sync  MISMATCH",
        "  sync view, after  this run: predicted 3 sync_to_async + 1 async_to_sync, measured 14 sync_to_async + 0 async_to_sync  MISMATCH",
        "verify: 0 of 1 chain measured as predicted, 1 measured differently",
        "",
      ].join("\n"),
    );
    untouched(dir);
  });

  it("a middleware that answers before the view: not measured, exit 2", () => {
    const dir = djangoProject([...DEFAULT_STACK, "mysite.gate.GateMiddleware"], {
      "mysite/gate.py": `from django.http import HttpResponseForbidden
from django.utils.deprecation import MiddlewareMixin


class GateMiddleware(MiddlewareMixin):
    async_capable = False

    def process_request(self, request):
        return HttpResponseForbidden("closed")
`,
    }, version);
    const r = cli(dir, ["--dry-run", "--target", version, "--verify"], version);
    expect(r.code).toBe(2);
    expect(verifyBlock(r.stderr)).toBe(
      [
        `verify MIDDLEWARE ${where(dir)} (mysite.settings): not measured: before this run's edits: GET /__middleware_codemod__/async/ did not pass every middleware to the test view (status 403: b'closed'); the counts would not be the chain's`,
        "verify: 0 of 1 chain measured as predicted, 1 not measured",
        "",
      ].join("\n"),
    );
  });
});

describe("--python", { timeout: 120_000 }, () => {
  it("--python names the interpreter; one that is missing, or --python without --verify, is a usage error", () => {
    const dir = djangoProject(null);
    const ok = cli(dir, ["--dry-run", "--target", "3.2", "--verify", "--python", "/usr/bin/python3"]);
    expect(ok.code).toBe(1);
    expect(verifyBlock(ok.stderr)).toBe(
      agreed(where(dir), part("3.2"), { async: [[13, 0], [13, 0]], sync: [[14, 0], [14, 0]] }) + "verify: 1 of 1 chain measured as predicted\n",
    );
    expect(cli(dir, ["--dry-run", "--verify", "--python", "./no/python"])).toEqual({ code: 2, stdout: "", stderr: "middleware-codemod: --python ./no/python: no such file\n" });
    expect(cli(dir, ["--dry-run", "--python", "/usr/bin/python3"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "middleware-codemod: --python is the interpreter of --verify; pass --verify too\n",
    });
  });

  it("without --python, the project's virtualenv interpreter runs, with its site-packages", () => {
    const dir = djangoProject([...DEFAULT_STACK, "thirdparty_mw.middleware.HeaderMiddleware"], THIRD_PARTY);
    mkdirSync(path.join(dir, ".venv/bin"));
    symlinkSync("/usr/bin/python3", path.join(dir, ".venv/bin/python"));
    const r = cli(dir, ["--dry-run", "--target", "3.2", "--verify"]);
    expect(r.code).toBe(1); // TimingMiddleware's declaration is pending
    expect(verifyBlock(r.stderr)).toBe(
      agreed(where(dir), part("3.2"), { async: [[15, 0], [15, 0]], sync: [[16, 0], [16, 0]] }).replace("/usr/bin/python3", path.join(dir, ".venv/bin/python")) +
        "verify: 1 of 1 chain measured as predicted\n",
    );
  });
});
