// A class with its own call/acall (Python __call__/__acall__) decides its own behaviour;
// the mixin's hop hooks do not apply. Its flags must match what the dispatch does, and an
// async dispatch counts only where its call reaches it.
import { keepAsyncPath, nativeAsyncDeclaration } from "./async-path.ts";
import { literal, type Check, type Rule } from "./context.ts";

const check: Check = (ctx, node) => {
  const d = ctx.graph.dispatch(node);
  if (!d) return null;
  const { call, acall } = ctx.names;
  const py = node.language === "py";
  const effective = ctx.graph.effectiveFlag(node, "asyncCapable", ctx.overrides);
  const own = node.flags.asyncCapable;
  const flagName = ctx.names.asyncCapable;
  const t = literal(node.language, true);
  const f = literal(node.language, false);
  const mixin = ctx.graph.mixinOf(node);
  const callMember = ctx.graph.member(node, "call");
  const acallMember = ctx.graph.member(node, "acall");
  const ownNames = [node.dispatch.call !== undefined && call, node.dispatch.acall !== undefined && acall].filter(Boolean).join(" and ");
  // A plain class that declares both flags and defines its dispatch is the author's: the static
  // type of what `call` passes through (T | Promise<T> from the next handler) says nothing.
  const authors = !mixin && ownNames !== "" && own?.value != null && node.flags.syncCapable?.value != null;

  const unknown =
    acallMember && acallMember.owner !== "mixin" && acallMember.nature === "unknown"
      ? { name: acall, owner: acallMember.owner }
      : // Beside an async acall, what call returns (T | Promise<T> passed through) does not decide anything.
        callMember && callMember.owner !== "mixin" && callMember.nature === "unknown" && !(acallMember && acallMember.owner !== "mixin" && acallMember.nature === "async")
        ? { name: call, owner: callMember.owner }
        : null;
  if (unknown && !authors)
    return {
      outcome: "needs-review",
      reason: `its ${unknown.name} ${unknown.owner === node ? "" : `(inherited from ${unknown.owner.name}) `}cannot be classified (assigned, computed, or a return type that may or may not be a promise): whether it is async cannot be known`,
      advice: `Define ${acall} as an async method and ${call} as a sync one, or declare ${flagName} explicitly.`,
    };

  const ad = ctx.graph.asyncDispatch(node);
  if (authors && !ad?.reached) return { outcome: "unchanged", reason: `defines its own ${ownNames} and declares both flags: its dispatch is the author's` };
  if (ad && !ad.reached) {
    const what = ad.owner === node ? `defines an async ${acall}` : `inherits an async ${acall} from ${ad.owner.name}`;
    const callerName = !callMember
      ? null
      : callMember.owner === "mixin"
        ? `the ${call} it inherits from ${callMember.name}`
        : callMember.owner === node
          ? `its own ${call}`
          : `the ${call} it inherits from ${callMember.owner.name}`;
    const caller = callerName ? `${callerName} never calls it` : `nothing calls it (no ${call})`;
    if (effective.value === false && effective.node)
      return {
        outcome: "unchanged",
        reason: `${callerName ?? "nothing"} never calls the async ${acall}${ad.owner === node ? " it defines" : ` it inherits from ${ad.owner.name}`}; ${own ? "declares" : "inherits"} ${flagName} = ${f}${own ? "" : ` from ${effective.declaredIn}${ctx.overrides.get(effective.node.id) === false ? " (declared in this run)" : ""}`}: own sync dispatch with consistent flags`,
      };
    const inheritsTrue = effective.value === true && mixin !== null && effective.declaredIn === mixin;
    return {
      outcome: "needs-review",
      reason: `${what}, but ${caller}: the async path never runs${inheritsTrue ? `; meanwhile it inherits ${flagName} = ${t} from ${mixin}, so under an async server ${py ? "its get_response returns a coroutine" : "the next handler returns a promise"}, which its ${call} then handles as a response` : ""}`,
      advice: py
        ? `Make __call__ return self.__acall__(request) when get_response is a coroutine function (marking the instance with markcoroutinefunction in __init__), or remove __acall__${inheritsTrue ? " and declare async_capable = False" : ""}.`
        : `Make ${call} hand over to this.${acall} under an async server, or remove ${acall}${inheritsTrue ? ` and declare ${flagName} = false` : ""}.`,
      ...(inheritsTrue ? { action: { label: `declare ${flagName} = ${f}`, asyncCapable: false } } : {}),
    };
  }

  if (ad) {
    const name = ad.which === "acall" ? acall : call;
    const what = ad.owner === node ? `defines an async ${name}` : `inherits an async ${name} from ${ad.owner.name}`;
    const marks = !py || ctx.graph.marksCoroutine(node);
    const caution = `turns on an async path that has never run${marks ? "" : ", without markcoroutinefunction(self) in __init__"}`;
    if (effective.value === false) {
      if (own)
        return {
          outcome: "needs-review",
          reason: `${what} but declares ${flagName} = ${f}: the async path is dead code`,
          advice: `Declare ${flagName} = ${t} if the async path is meant to run${marks ? "" : " (and call markcoroutinefunction(self) in __init__)"}, or remove it.`,
          action: { label: `declare ${flagName} = ${t}`, asyncCapable: true, caution },
        };
      if (!mixin && !effective.node)
        return {
          outcome: "needs-review",
          reason: `${what} but declares no flags: a plain class defaults to ${flagName} = ${f}, so its async path has never run, and turning it on changes what it does`,
          advice: `Declare ${flagName} = ${t} once the async path is tested${marks ? "" : " (with markcoroutinefunction(self) in __init__)"}, or ${flagName} = ${f} to say it stays sync.`,
          action: { label: `declare ${flagName} = ${t}`, asyncCapable: true, caution },
        };
      // A declaration of this run above it (Python: earlier in its MRO) would take the path away.
      const kept = keepAsyncPath(ctx, node);
      if (kept) return kept;
    }
    if (py && ad.which === "call" && ctx.graph.effectiveFlag(node, "syncCapable").value !== false)
      return {
        outcome: "needs-review",
        reason: `${what} (async-only) but is still declared sync-capable: a sync chain would call it and get a coroutine`,
        advice: "Declare sync_capable = False and async_capable = True, or decorate a function middleware with @async_only_middleware.",
      };
    if (effective.value !== false && !marks)
      return {
        outcome: "needs-review",
        reason: `${what} without markcoroutinefunction(self) in __init__: an outer MiddlewareMixin will call it synchronously`,
        advice: "In __init__, call `markcoroutinefunction(self)` (asgiref.sync) when `iscoroutinefunction(self.get_response)`, as Django's MiddlewareMixin does.",
      };
    if (!own && ad.owner === node) return nativeAsyncDeclaration(ctx, node, what, "dispatch");
    if (effective.value === false && effective.node && effective.node.editable && ctx.overrides.get(effective.node.id) !== false)
      return {
        outcome: "needs-review",
        reason: `${what} but inherits ${flagName} = ${f} from ${effective.declaredIn}: the async path is dead code`,
        advice: `Declare ${flagName} = ${t} if the async path is meant to run, or remove it.`,
        action: { label: `declare ${flagName} = ${t}`, asyncCapable: true, caution },
      };
    return { outcome: "unchanged", reason: ownNames ? `own dispatch (${ownNames}) with consistent flags` : `${what}, with consistent flags` };
  }

  // Only a sync dispatch.
  if (!own && mixin && effective.value === true && effective.declaredIn === mixin)
    return {
      outcome: "needs-review",
      reason: `overrides ${call} with a sync method and no ${acall}, yet inherits ${flagName} = ${t} from ${mixin}: under an async server ${py ? "its get_response returns a coroutine" : "the next handler returns a promise"}, which its own code then handles as a response`,
      advice: `Usually: declare ${flagName} = ${f}. Only the author can tell whether the ${py ? "coroutine" : "promise"} is merely passed through.`,
      action: { label: `declare ${flagName} = ${f}`, asyncCapable: false },
    };
  return { outcome: "unchanged", reason: `own sync dispatch (${call}) with consistent flags` };
};

export const ownDispatch: Rule = {
  name: "own-dispatch",
  codes: [
    {
      code: "MWC204",
      outcome: "needs-review",
      doc: {
        title: "Own dispatch whose declaration does not match",
        why: "A class with its own call/acall (Python __call__/__acall__) decides how it runs; the mixin's hop hooks do not apply. Its declared flags must say what the dispatch does, or the chain calls it in the wrong mode.",
        example: { ts: "class StreamMiddleware extends MiddlewareMixin {\n  call(request) { return this.getResponse(request); } // a promise under an async server\n}", py: "class StreamMiddleware(MiddlewareMixin):\n    def __call__(self, request):\n        response = self.get_response(request)  # a coroutine under ASGI\n        response['X-Stream'] = '1'\n        return response" },
        safety: "Declaring a sync call/__call__ sync-only is safe: it then gets a sync next handler, whether it passed the result through or used it. Declaring async support is unsafe to automate: an async __acall__/acall runs only when call hands over to it (Python: MiddlewareMixin's __call__, or one that returns self.__acall__(request)), and turning on an async path that has never run changes what the class does (interactive review says so when it offers it). Check the dispatch, then declare the flag that matches it.",
      },
    },
  ],
  check,
};
