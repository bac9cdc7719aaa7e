// The import graph keeps data flowing one way: front ends know syntax only (no arrow to
// `decide`, the Django modules or the file finder), and the file finder knows no front end.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.ts";

/** Every relative import of the `.ts` files under `transforms/` and `cli/` (static, type-only, re-exports, dynamic), as `from -> to`, repository-relative. */
function importArrows(root: string): { from: string; to: string }[] {
  const arrows: { from: string; to: string }[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith(".ts")) {
        const info = ts.preProcessFile(readFileSync(path.join(root, rel), "utf8"), true, true);
        for (const { fileName } of info.importedFiles)
          if (fileName.startsWith(".")) arrows.push({ from: rel, to: path.posix.join(path.posix.dirname(rel), fileName) });
      }
    }
  };
  walk("transforms");
  walk("cli");
  return arrows;
}

const FRONT_END = /^transforms\/lib\/frontends\//;
const FORBIDDEN: { from: RegExp; to: RegExp; why: string }[] = [
  { from: FRONT_END, to: /^transforms\/lib\/decide\.ts$/, why: "a front end decides nothing" },
  { from: FRONT_END, to: /^transforms\/lib\/django\//, why: "a front end knows no framework's versions or settings" },
  { from: FRONT_END, to: /^transforms\/lib\/files\.ts$/, why: "a front end finds and reads no files itself" },
  { from: /^transforms\/lib\/files\.ts$/, to: FRONT_END, why: "the file finder knows no language" },
];

function forbiddenArrows(root: string): string[] {
  return importArrows(root).flatMap(({ from, to }) => FORBIDDEN.filter((f) => f.from.test(from) && f.to.test(to)).map((f) => `${from} -> ${to} (${f.why})`));
}

describe("layout", () => {
  it("reads the imports it checks", () => {
    const arrows = importArrows(ROOT).map((a) => `${a.from} -> ${a.to}`);
    // One arrow of each kind the reader must see: static, type-only, dynamic.
    expect(arrows).toContain("transforms/lib/api.ts -> transforms/lib/decide.ts");
    expect(arrows).toContain("transforms/lib/frontends/front-end.ts -> transforms/lib/model.ts");
    expect(arrows).toContain("transforms/lib/frontends/python/front-end.ts -> transforms/lib/frontends/python/index.ts");
  });

  it("no front end imports decide, django/ or files.ts; files.ts imports no front end", () => {
    expect(forbiddenArrows(ROOT)).toEqual([]);
  });
});
