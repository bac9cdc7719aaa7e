// The scan: every class of every parsed project module (imports may parse more on the way),
// each built with the ancestors it reaches, and the flagged factories.
import path from "node:path";
import type { ClassNode, SourceFile } from "../../model.ts";
import { isMixinClass, parseFile } from "./module-reader.ts";
import { build, factoryNode, settleInit } from "./nodes.ts";
import type { PythonState } from "./state.ts";

/** Every node built, editable ones first, then by file and line. */
export function scan(s: PythonState, candidates: SourceFile[]): ClassNode[] {
  for (const f of candidates) {
    const mod = s.index.nameOf.get(f.absPath);
    if (mod) parseFile(s, f, mod, true);
    else if (s.parser) parseFile(s, f, path.basename(f.absPath, ".py"), true); // not importable by name: still scanned
  }
  const result: ClassNode[] = [];
  for (let i = 0; i < s.parsedOrder.length; i++) {
    const facts = s.parsedOrder[i];
    for (const cls of facts.classes) {
      if (isMixinClass(s, facts, cls)) continue; // the mixin's own definition is not a middleware class to edit
      // Same-named classes in the branches of an `if`/`else` or `try`/`except` are each a class of their own.
      build(s, { world: "code", facts, cls });
    }
    for (const fn of facts.functions) if (fn.flags.asyncCapable || fn.flags.syncCapable) result.push(factoryNode(s, facts, fn));
  }
  settleInit(s.all);
  // Every class built (the scanned ones and the ancestors they reach): `decide` picks the middleware.
  result.push(...s.all);
  return result.sort((a, b) => Number(b.editable) - Number(a.editable) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}
