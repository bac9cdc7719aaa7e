// chainSection is pure formatting: tested with a hand-made chain until the chain analysis
// produces real ones (the end-to-end report test is in cli-run.test.ts).
import { expect, test } from "vitest";
import { chainSection } from "../cli/formats/markdown.ts";

test("chainSection: one row per MIDDLEWARE setting, before → after switch counts", () => {
  const count = (syncToAsync: number, asyncToSync: number) => ({ syncToAsync, asyncToSync });
  expect(
    chainSection([
      {
        file: "mysite/settings.py",
        line: 40,
        setting: "MIDDLEWARE",
        middleware: [],
        switches: { asyncView: { before: count(13, 0), after: count(2, 1) }, syncView: { before: count(0, 1), after: count(0, 1) } },
        unresolved: [],
        notes: [],
      },
      { file: "mysite/test_settings.py", line: 3, setting: "MIDDLEWARE", middleware: [], switches: null, unresolved: ["acme.mw.Custom"], notes: [] },
    ]),
  ).toBe(`Context switches per request, before → after this run:

| setting | where | to an async view | to a sync view |
| --- | --- | --- | --- |
| MIDDLEWARE | \`mysite/settings.py:40\` | 13 → 3 (sync_to_async 13 → 2, async_to_sync 0 → 1) | 1 → 1 (sync_to_async 0 → 0, async_to_sync 1 → 1) |
| MIDDLEWARE | \`mysite/test_settings.py:3\` | not analysed: \`acme.mw.Custom\` could not be read | |
`);
  expect(chainSection([])).toBe("No `MIDDLEWARE` setting was found, so no chain was analysed.\n");
});

// The whole report of the two example projects, as a user gets it from a dry run; the
// README shows these files as samples.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { makeTree, ROOT as REPO, runCliSync } from "./helpers/cli.ts";

test.each(["example", "django-example"])("the whole --report of fixtures/%s", (name) => {
  const dir = path.join(REPO, "fixtures", name);
  const repo = makeTree({}, { from: path.join(dir, "input") });
  const run = runCliSync(["--dry-run", "--report", "report.md"], { cwd: repo });
  expect(run.code).toBe(1);
  const report = readFileSync(path.join(repo, "report.md"), "utf8");
  const expectedPath = path.join(dir, "expected-report.md");
  if (process.env.UPDATE_FIXTURES === "1") writeFileSync(expectedPath, report);
  expect(report).toBe(readFileSync(expectedPath, "utf8"));
});
