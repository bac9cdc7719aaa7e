// A simulation of Django's `BaseHandler.load_middleware(is_async=True)` and of what one
// request costs in context switches (docs/chain-model.md; checked against
// django/core/handlers/base.py and django/utils/deprecation.py, 3.1 to 6.x):
//
// - The list is walked from last to first. A middleware runs sync when the handler
//   built so far is sync and it can run sync; otherwise async when it can, else sync.
// - Where its mode differs from the handler it wraps, `adapt_method_mode` wraps that
//   handler once: `sync_to_async` (async middleware around a sync handler) or
//   `async_to_sync` (sync middleware around an async handler). One call per request.
// - After the loop the top of the chain is adapted to the server (async): a sync top
//   costs one `sync_to_async`.
// - Every `process_view` is adapted to the server's mode whatever the flags:
//   a sync `process_view` costs one `sync_to_async` per request (called inside
//   `_get_response_async`). `process_template_response` and `process_exception` are not
//   called on the happy path.
// - `MiddlewareMixin.__acall__` wraps `process_request` and `process_response` in a
//   `sync_to_async` each (when the attribute exists), on every request, when the
//   middleware runs async. When it runs sync (`__call__` with a sync `get_response`)
//   it calls them directly.
// - A class with its own dispatch (`__call__`/`__acall__`, or a factory function)
//   makes no switches of its own.
// - `_get_response_async` awaits an async view directly and wraps a sync view in
//   `sync_to_async`.

import type { ChainState, ChainStep, SwitchCount } from "./chain-model.ts";

export type Mode = "sync" | "async";

/** What the builder sees of one middleware entry. */
export interface MiddlewareSpec {
  /** The dotted path as written in MIDDLEWARE. */
  path: string;
  /** The class or factory name, for drawings. */
  name: string;
  syncCapable: boolean;
  asyncCapable: boolean;
  /** `mixin`: MiddlewareMixin's `__call__`/`__acall__`; `own`: its own dispatch (or a factory). */
  body: "mixin" | "own";
  /** MiddlewareMixin hop hooks present on the instance (process_request, process_response). */
  hopHooks: string[];
  /** The instance's `process_view`, if any, and whether it is a coroutine function. */
  processView: Mode | null;
}

export class ChainError extends Error {}

function zero(): SwitchCount {
  return { syncToAsync: 0, asyncToSync: 0 };
}

export function total(c: SwitchCount): number {
  return c.syncToAsync + c.asyncToSync;
}

/** The chain as Django builds it for an async server, and the switches of one request. */
export function simulate(specs: readonly MiddlewareSpec[]): ChainState {
  const steps: ChainStep[] = new Array(specs.length);
  let handlerIsAsync = true; // load_middleware(is_async=True)
  for (let i = specs.length - 1; i >= 0; i--) {
    const s = specs[i];
    if (!s.syncCapable && !s.asyncCapable)
      throw new ChainError(`Middleware ${s.path} must have at least one of sync_capable/async_capable set to True.`);
    let mode: Mode;
    if (!handlerIsAsync && s.syncCapable) mode = "sync";
    else mode = s.asyncCapable ? "async" : "sync";
    const adaptInner = mode === "async" && !handlerIsAsync ? "syncToAsync" : mode === "sync" && handlerIsAsync ? "asyncToSync" : null;
    steps[i] = {
      path: s.path,
      name: s.name,
      mode,
      body: s.body,
      hookHops: mode === "async" && s.body === "mixin" ? s.hopHooks.length : 0,
      hopHooks: [...s.hopHooks],
      adaptInner,
      processView: s.processView,
    };
    handlerIsAsync = mode === "async";
  }
  const adaptTop = handlerIsAsync ? null : "syncToAsync";

  const chain = zero();
  if (adaptTop) chain.syncToAsync++;
  for (const st of steps) {
    chain.syncToAsync += st.hookHops;
    if (st.adaptInner === "syncToAsync") chain.syncToAsync++;
    if (st.adaptInner === "asyncToSync") chain.asyncToSync++;
    if (st.processView === "sync") chain.syncToAsync++;
  }
  const asyncView = { ...chain };
  const syncView = { syncToAsync: chain.syncToAsync + 1, asyncToSync: chain.asyncToSync };
  return { steps, adaptTop, counts: { asyncView, syncView } };
}

/** Lexicographic cost used to compare chains: async view first, then sync view. */
export function cost(state: ChainState): [number, number] {
  return [total(state.counts.asyncView), total(state.counts.syncView)];
}

export function compareCost(a: ChainState, b: ChainState): number {
  const [a1, a2] = cost(a);
  const [b1, b2] = cost(b);
  return a1 - b1 || a2 - b2;
}
