// The code index and docs/rules.md come from the rule modules: every rule module is listed,
// named after its file, with a test file of its own; every code is unique; the generated file
// is what the modules give.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { CODES, rulesMarkdown } from "../../cli/rule-docs.ts";
import { INVARIANT, RULES } from "../../transforms/lib/decide.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RULES_DIR = path.join(ROOT, "transforms/lib/rules");
/** The modules in rules/ that are not rules: what the rules share, and the codes of no rule. */
const NOT_RULES = ["async-path.ts", "context.ts", "outcome-codes.ts"];

test("every module in rules/ is one rule, listed once, named after its file", () => {
  const files = readdirSync(RULES_DIR).filter((f) => !NOT_RULES.includes(f)).sort();
  expect([...RULES, INVARIANT].map((r) => `${r.name}.ts`).sort()).toEqual(files);
});

test("every rule has its before/after test file here", () => {
  const tests = readdirSync(import.meta.dirname).filter((f) => f.endsWith(".test.ts"));
  expect([...RULES, INVARIANT].map((r) => `${r.name}.test.ts`).filter((f) => !tests.includes(f))).toEqual([]);
});

/** Codes already published: never renumbered or taken away (a new rule adds its own). */
const PUBLISHED = ["MWC001", "MWC002", "MWC101", "MWC102", "MWC103", "MWC201", "MWC202", "MWC203", "MWC204", "MWC205", "MWC206", "MWC207", "MWC208", "MWC209", "MWC299", "MWC901"];

test("every code is unique, the index is in code order, and no published code is gone", () => {
  const codes = CODES.map((c) => c.code);
  expect(new Set(codes).size).toBe(codes.length);
  expect(codes).toEqual([...codes].sort());
  expect(PUBLISHED.filter((c) => !codes.includes(c))).toEqual([]);
});

test("docs/rules.md is what the rule modules give (npm run docs writes it)", () => {
  expect(readFileSync(path.join(ROOT, "docs/rules.md"), "utf8")).toBe(rulesMarkdown());
});

test("the README's Rule codes (where explain and SARIF's helpUri point) has a row and a section for every code", () => {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const missing = CODES.map((c) => c.code).filter((c) => !readme.includes(`| [${c}](#${c.toLowerCase()}) |`) || !readme.includes(`\n### ${c}\n`));
  expect(missing).toEqual([]);
});
