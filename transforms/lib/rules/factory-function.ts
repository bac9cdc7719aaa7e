// Function middleware carries its flags in its decorator; there is nothing to write.
import type { Check, Rule } from "./context.ts";

const check: Check = (_ctx, node) =>
  node.kind === "factory"
    ? { outcome: "unchanged", reason: "function middleware: its decorator declares its flags" }
    : null;

export const factoryFunction: Rule = {
  name: "factory-function",
  codes: [],
  check,
};
