// An explicit asyncCapable = true on sync hooks may be on purpose: Django's release note
// for the fix tells deployments with much in-process concurrency over non-ORM I/O to opt in.
import { describeHooks, literal, type Rule } from "./context.ts";

export const deliberateOptIn: Rule = (ctx, node) => {
  const own = node.flags.asyncCapable;
  if (own?.value !== true) return null;
  const hop = ctx.graph.hopHooks(node);
  const flag = ctx.names.asyncCapable;
  return {
    outcome: "needs-review",
    reason: `declares ${flag} = ${literal(node.language, true)} (line ${own.line}) while ${describeHooks(hop, "sync")}: each request pays a context switch per hook`,
    advice: `Keep it if it is a deliberate opt-in (high in-process concurrency over non-ORM I/O); otherwise replace it with ${flag} = ${literal(node.language, false)} so that the chain groups it with its sync neighbours.`,
    action: { label: `replace with ${flag} = ${literal(node.language, false)}`, asyncCapable: false },
  };
};
