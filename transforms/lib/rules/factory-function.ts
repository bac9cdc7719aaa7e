// Function middleware carries its flags in its decorator; there is nothing to write.
import type { Rule } from "./context.ts";

export const factoryFunction: Rule = (_ctx, node) =>
  node.kind === "factory"
    ? { outcome: "unchanged", reason: "function middleware: its decorator declares its flags" }
    : null;
