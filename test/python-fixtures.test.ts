// Each Python fixture through front end + decide + edits (without the CLI): output tree = input + the expected inserts.
import { readdirSync, readFileSync, existsSync, statSync } from "node:fs";
import path from "node:path";
import { it, expect } from "vitest";
import { readPython } from "../transforms/lib/frontends/python/index.ts";
import { decide } from "../transforms/lib/decide.ts";
import { insertDeclaration } from "../transforms/lib/edits/declaration.ts";
import { applyEdits } from "../transforms/lib/edits/splice.ts";
import { PYTHON_NAMES } from "../transforms/lib/model.ts";
const walk = (root: string, dir = root): string[] => readdirSync(dir).flatMap((n) => { const p = path.join(dir, n); return statSync(p).isDirectory() ? walk(root, p) : [p]; });
it.each(readdirSync("fixtures").filter((c) => c.startsWith("py-") || c === "django-example"))("%s", async (c) => {
  const dir = path.resolve("fixtures", c);
  const args = existsSync(path.join(dir, "args.json")) ? JSON.parse(readFileSync(path.join(dir, "args.json"), "utf8")) : [];
  const target = args[1] ?? "auto";
  const inp = path.join(dir, "input");
  const files = walk(inp).filter((f) => f.endsWith(".py")).map((f) => ({ absPath: f, file: path.relative(inp, f), text: readFileSync(f, "utf8") }));
  const r = await readPython(files, { cwd: inp, djangoTarget: target });
  const names = { ...PYTHON_NAMES.flags, mixin: "MiddlewareMixin", call: "__call__", acall: "__acall__" };
  const { decisions } = decide(r.classes, { djangoTarget: r.target!.version, names: { ts: names, py: names } });
  expect(r.errors).toEqual([]);
  for (const f of files) {
    const edits = decisions.filter((d) => d.node.absPath === f.absPath && d.outcome.startsWith("set-")).map((d) => insertDeclaration(d.node, "async_capable", d.outcome === "set-async-capable-true"));
    expect(applyEdits(f.text, edits), f.file).toBe(readFileSync(path.join(dir, "output", f.file), "utf8"));
  }
});
