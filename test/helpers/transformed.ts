// Before/after tests in process: a tree of source files is written to a temporary folder and
// analysed with the library API (no CLI process); the whole tree after the edits comes back
// with each class's outcome and rule, and the edits a second run on that tree would make (a
// run leaves nothing to redo).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { analyse, editedFiles } from "../../transforms/lib/api.ts";
import type { Outcome } from "../../transforms/lib/model.ts";

/** Files by relative path (with `/`). */
export type Tree = Record<string, string>;

export interface Transformed {
  /** Every file of the tree after this run's edits. */
  after: Tree;
  /** One row per middleware class, in file and line order: class name, outcome, rule. */
  decisions: [string, Outcome, string][];
  /** The files a second run on `after` would change: none. */
  again: Tree;
}

export interface TransformOptions {
  /** Django version for Python trees (default 5.2: no project pins are read). */
  target?: string;
}

async function run(tree: Tree, options: TransformOptions) {
  const cwd = mkdtempSync(path.join(tmpdir(), "mwc-rule-"));
  try {
    for (const [rel, text] of Object.entries(tree)) {
      const abs = path.join(cwd, rel);
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, text);
    }
    const analysis = await analyse({ cwd, target: options.target ?? "5.2" });
    if (analysis.errors.length) throw new Error(`the tree does not analyse cleanly: ${JSON.stringify(analysis.errors)}`);
    const changed: Tree = {};
    for (const { file, after } of editedFiles(analysis).values()) changed[file] = after;
    return { analysis, changed };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

export async function transformed(before: Tree, options: TransformOptions = {}): Promise<Transformed> {
  const first = await run(before, options);
  const after = { ...before, ...first.changed };
  const second = await run(after, options);
  return {
    after,
    decisions: first.analysis.decisions.map((d) => [d.node.name, d.outcome, d.rule]),
    again: second.changed,
  };
}
