// What the chain analysis reads after the scan: MIDDLEWARE entries resolved to nodes (with
// the ancestors read for them), and settings files' syntax trees, parsed once per run.
import type { ChainProject, ClassNode } from "../../model.ts";
import { isDjango, moduleExists } from "./module-reader.ts";
import { attr, resolveName } from "./names.ts";
import { build, factoryNode, settleInit } from "./nodes.ts";
import { pythonParser } from "./parser.ts";
import type { PythonState } from "./state.ts";

/** `inResult`: ids of the nodes the front end returned (the rest of a resolution is `added`). */
export function chainProject(s: PythonState, inResult: ReadonlySet<string>): ChainProject {
  return {
    async syntax(f) {
      let tree = s.trees.get(f.absPath);
      if (!tree) s.trees.set(f.absPath, (tree = await pythonParser.parse(f.text)));
      return tree.rootNode;
    },
    resolve(dotted) {
      const parts = dotted.trim().split(".");
      for (let i = parts.length - 1; i >= 1; i--) {
        const mod = parts.slice(0, i).join(".");
        if (!moduleExists(s, mod) && !isDjango(mod)) continue;
        const seen = new Set<string>();
        let t = resolveName(s, mod, parts[i], seen);
        for (const p of parts.slice(i + 1)) t = attr(s, t, p, seen);
        let node: ClassNode;
        if (t.kind === "class") node = build(s, t.key);
        else if (t.kind === "function") node = factoryNode(s, t.facts, t.fn);
        else return null;
        settleInit(s.all);
        // The node and its ancestors that the result did not carry.
        const added: ClassNode[] = [];
        const byId = new Map(s.all.map((n) => [n.id, n]));
        const stack = [node];
        const visited = new Set<string>();
        while (stack.length) {
          const n = stack.pop()!;
          if (visited.has(n.id)) continue;
          visited.add(n.id);
          if (!inResult.has(n.id)) added.push(n);
          for (const b of n.bases) if (b.kind === "class" && byId.has(b.id)) stack.push(byId.get(b.id)!);
        }
        return { node, added };
      }
      return null;
    },
  };
}
