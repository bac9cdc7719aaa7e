// Decide: one outcome per middleware class, ancestors first, so that a class sees the
// declarations this run gives the classes above it.
import { ClassGraph } from "./graph.ts";
import { HOOK_KINDS, type ClassNode, type Decision, type DjangoTarget, type Language, type Nature } from "./model.ts";
import { asyncPath } from "./rules/async-path.ts";
import { literal, type NameSet, type Rule, type RuleContext, type Verdict } from "./rules/context.ts";
import { computedFlag } from "./rules/computed-flag.ts";
import { deliberateOptIn } from "./rules/deliberate-opt-in.ts";
import { factoryFunction } from "./rules/factory-function.ts";
import { hopHookNature } from "./rules/hop-hook-nature.ts";
import { keepAsyncCapable } from "./rules/keep-async-capable.ts";
import { nativeAsyncHooks } from "./rules/native-async-hooks.ts";
import { noHopHooks } from "./rules/no-hop-hooks.ts";
import { ownDispatch } from "./rules/own-dispatch.ts";
import { plainClass } from "./rules/plain-class.ts";
import { pythonAsyncHopHook } from "./rules/python-async-hop-hook.ts";
import { remoteUserOverride } from "./rules/remote-user-override.ts";
import { syncHopHooks } from "./rules/sync-hop-hooks.ts";
import { unresolvedBase } from "./rules/unresolved-base.ts";

/** In order: the first rule that answers decides. */
export const RULES: Rule[] = [
  factoryFunction,
  unresolvedBase,
  computedFlag,
  remoteUserOverride,
  ownDispatch,
  plainClass,
  pythonAsyncHopHook,
  hopHookNature,
  noHopHooks,
  nativeAsyncHooks,
  deliberateOptIn,
  syncHopHooks,
];

/** Then, over every verdict that declares nothing: the invariant, whose verdict replaces it. */
export const INVARIANT: Rule = keepAsyncCapable;

export interface DecideOptions {
  djangoTarget: DjangoTarget | null;
  /** The declaration names of each language (a front end's, or the `--config` profile's for TS/JS). */
  names: Record<Language, NameSet>;
  /**
   * Classes whose proposed declaration was declined in interactive review, by id: each is
   * decided `unchanged` and adds no declaration, so the classes below it are decided as if
   * it had never been proposed (a subclass may then get a declaration of its own).
   */
  declined?: ReadonlySet<string>;
}

/** A class counts as middleware when it reaches a mixin, declares a flag, has an async dispatch, or inherits from such a class. */
export function isMiddleware(graph: ClassGraph, node: ClassNode): boolean {
  for (const e of graph.mro(node)) {
    if (e.kind === "mixin") return true;
    const c = e.node;
    if (c.kind === "factory" || c.flags.asyncCapable || c.flags.syncCapable) return true;
    if (c.dispatch.acall === "async" || (c.language === "py" && c.dispatch.call === "async")) return true;
  }
  // Bases outside the scanned tree: listed (as not analysed) only when the class looks like middleware.
  if (graph.unresolvedBases(node).length) {
    // A bare call/__call__ is too common (test cases, ASGI apps) to count as a sign.
    const signs = Object.keys(node.hooks).length > 0 || node.dispatch.acall !== undefined;
    // Python: hooks, flags or `__init__(self, get_response)`, never a name (`Metrics(middleware.Metrics)`).
    if (node.language === "py") return signs || node.init?.getResponse === true;
    return signs || /middleware/i.test(node.name) || node.bases.some((b) => /middleware/i.test(b.text));
  }
  return false;
}

export function decide(classes: ClassNode[], options: DecideOptions): { graph: ClassGraph; decisions: Decision[]; overrides: Map<string, boolean> } {
  const graph = new ClassGraph(classes);
  const overrides = new Map<string, boolean>();
  const decisions: Decision[] = [];
  for (const node of graph.topologicalOrder()) {
    if (!node.editable || !isMiddleware(graph, node)) continue;
    const names = options.names[node.language];
    const ctx: RuleContext = { graph, overrides, djangoTarget: options.djangoTarget, names };
    let verdict: Verdict | null = null;
    let rule: Rule | null = null;
    for (const r of RULES) {
      verdict = r.check(ctx, node);
      if (verdict) {
        rule = r;
        break;
      }
    }
    if (!verdict || !rule) throw new Error(`no rule decided ${node.id}`); // sync-hop-hooks always answers
    const before = graph.effectiveFlag(node, "asyncCapable");
    const writes = verdict.outcome === "set-async-capable-false" || verdict.outcome === "set-async-capable-true";
    if (writes && !node.insertion) verdict = noPlace(verdict, names.asyncCapable, node);
    // The invariant: what this run declares above the class must not take its async path away.
    if (verdict.outcome !== "set-async-capable-false" && verdict.outcome !== "set-async-capable-true") {
      const kept = INVARIANT.check(ctx, node);
      // A rule that already lists the class for review keeps its own reason.
      if (kept && !(kept.outcome === "needs-review" && verdict.outcome === "needs-review")) {
        verdict = kept.outcome === "set-async-capable-true" && !node.insertion ? noPlace(kept, names.asyncCapable, node) : kept;
        rule = INVARIANT;
      }
    }
    if ((verdict.outcome === "set-async-capable-false" || verdict.outcome === "set-async-capable-true") && options.declined?.has(node.id))
      verdict = { outcome: "unchanged", reason: "its declaration was declined in review" };
    if (verdict.outcome === "set-async-capable-false") overrides.set(node.id, false);
    if (verdict.outcome === "set-async-capable-true") overrides.set(node.id, true);
    const unresolved = rule === unresolvedBase;
    const after = graph.effectiveFlag(node, "asyncCapable", overrides);
    decisions.push({
      node,
      outcome: verdict.outcome,
      rule: rule.name,
      reason: verdict.reason,
      advice: verdict.advice,
      action: verdict.action,
      hooks: unresolved ? ownHooks(node) : resolvedHooks(graph, node),
      asyncCapable: unresolved
        ? { before: null, after: null, declaredIn: null }
        : { before: before.value, after: after.value, declaredIn: before.declaredIn },
      required: verdict.outcome === "set-async-capable-true" ? (verdict.required ?? false) : null,
    });
  }
  checkInvariant(graph, decisions, overrides, options);
  decisions.sort((a, b) => (a.node.file < b.node.file ? -1 : a.node.file > b.node.file ? 1 : a.node.line - b.node.line));
  return { graph, decisions, overrides };
}

function noPlace(verdict: Verdict, flag: string, node: ClassNode): Verdict {
  return {
    outcome: "needs-review",
    reason: `${verdict.reason}; but there is no place in the class body to insert the declaration`,
    advice: `Add ${flag} = ${literal(node.language, verdict.outcome === "set-async-capable-true")} by hand.`,
  };
}

/**
 * With every declaration of this run applied, no class whose async path runs today may end
 * sync-only (ancestors are decided first, so the loop above already resolved each case; this
 * recomputes the final state from scratch so that a rule that breaks it cannot go unnoticed).
 */
function checkInvariant(graph: ClassGraph, decisions: Decision[], overrides: ReadonlyMap<string, boolean>, options: DecideOptions): void {
  for (const d of decisions) {
    if (d.outcome === "needs-review" || d.asyncCapable.before === null) continue;
    if (options.declined?.size) continue; // a declined declaration is the reviewer's choice
    const before = graph.effectiveFlag(d.node, "asyncCapable");
    const after = graph.effectiveFlag(d.node, "asyncCapable", overrides);
    if (before.value === false || after.value !== false) continue;
    const names = options.names[d.node.language];
    if (asyncPath(graph, d.node, names)) throw new Error(`internal error: this run would take the async path of ${d.node.id} away (${d.rule})`);
  }
}

function resolvedHooks(graph: ClassGraph, node: ClassNode): Record<string, Nature> {
  const out: Record<string, Nature> = {};
  for (const kind of HOOK_KINDS) {
    const h = graph.hook(node, kind);
    if (h) out[h.name] = h.nature;
  }
  return out;
}

function ownHooks(node: ClassNode): Record<string, Nature> {
  const out: Record<string, Nature> = {};
  for (const kind of HOOK_KINDS) {
    const h = node.hooks[kind];
    if (h) out[h.name] = h.nature;
  }
  return out;
}
