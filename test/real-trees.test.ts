// Real trees, smaller than bench/robustness.mjs: the first 1,500 source files of the project's
// node_modules (as installed, every file of the folders reached) and Debian's Django 3.2
// package (python3-django, provisioned by test/setup/provision.mjs), in a temporary git
// repository. The same checks as the benchmark: no crash, valid JSON, nothing written by a
// dry run, every file that is not UTF-8 text reported by name, a real run that changes only
// the reported files and only by inserting lines, and a second dry run that proposes nothing;
// then every file is made to reach the parsers (a trailing comment naming the mixin) and must
// still be parsed or reported by name. Django's own classes are a known case (model
// document, section 4).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module without types
import { checkTree, copyTree, gitInit, REPO, stressParsers } from "../bench/robustness.mjs";
import { djangoPath } from "./setup/parts.ts";

const tmp = mkdtempSync(path.join(os.tmpdir(), "mwc-real-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Django's fix (django/django PR #21523) flips these; with --target 3.2 every one that exists
// in 3.2 is still async-capable upstream, so the codemod declares it on the source itself.
// RemoteUserMiddleware is a plain mixin subclass with a sync process_request before 5.2.
// CsrfViewMiddleware's subclasses in django/views/decorators/csrf.py inherit its new
// declaration: they are not in this list (topmost class of each chain only).
const DJANGO_32_SET_FALSE = [
  "AuthenticationMiddleware",
  "BrokenLinkEmailsMiddleware",
  "CSPMiddleware", // django/contrib/admin/tests.py: a test helper, sync process_response
  "CommonMiddleware",
  "ConditionalGetMiddleware",
  "CsrfViewMiddleware",
  "CurrentSiteMiddleware",
  "FetchFromCacheMiddleware",
  "FlatpageFallbackMiddleware",
  "GZipMiddleware",
  "LocaleMiddleware",
  "MessageMiddleware",
  "RedirectFallbackMiddleware",
  "RemoteUserMiddleware",
  "SecurityMiddleware",
  "SessionMiddleware",
  "UpdateCacheMiddleware",
  "XFrameOptionsMiddleware",
];

describe("real trees: node_modules sample and Debian's Django 3.2", () => {
  const dir = path.join(tmp, "tree");
  let checked: { failures: string[]; runs: { dry: { json: any } } };
  beforeAll(() => {
    const nm = copyTree(path.join(REPO, "node_modules"), path.join(dir, "nm"), { limit: 1500 });
    const dj = copyTree(path.join(djangoPath("3.2"), "django"), path.join(dir, "django"));
    expect(nm.sources).toBe(1500);
    expect(dj.sources).toBeGreaterThan(500);
    gitInit(dir);
    checked = checkTree(dir, ["--target", "3.2"]);
  });

  it("never crashes, names every unreadable file, edits only by insertion, and is idempotent", () => {
    expect(checked.failures).toEqual([]);
  });

  it("declares async_capable = False on exactly the topmost sync Django classes (target 3.2)", () => {
    const result = checked.runs.dry.json;
    const django = result.middleware.filter((m: { file: string }) => m.file.startsWith("django/"));
    const setFalse = django.filter((m: { outcome: string }) => m.outcome === "set-async-capable-false").map((m: { class: string }) => m.class);
    expect([...new Set(setFalse)].sort()).toEqual(DJANGO_32_SET_FALSE);
    // No class outside Django's middleware gets an edit: node_modules has no middleware.
    expect(result.middleware.filter((m: { file: string; outcome: string }) => !m.file.startsWith("django/") && m.outcome.startsWith("set-"))).toEqual([]);
  });

  it("parses every file when each one mentions the mixin, or reports it with its position", () => {
    // Parser stress: every file made to mention the mixin, so that each one is parsed. Django's
    // GIS templates named .js are template syntax, not JavaScript: reported with their position.
    const stress = stressParsers(dir, ["--target", "3.2"]);
    expect(stress.failures).toEqual([]);
    for (const e of stress.errors) expect(e, JSON.stringify(e)).toEqual({ file: expect.any(String), message: expect.any(String), line: expect.any(Number), column: expect.any(Number) });
    expect(stress.errors.filter((e: { file: string }) => e.file.startsWith("django/"))).toEqual([
      { file: "django/contrib/gis/templates/gis/admin/openlayers.js", message: "Expression expected.", line: 1, column: 2 },
      { file: "django/contrib/gis/templates/gis/admin/osm.js", message: "Expression expected.", line: 1, column: 2 },
    ]);
  });
});
