// The chain analysis result of one MIDDLEWARE setting (docs/result.md).

export interface SwitchCount {
  syncToAsync: number;
  asyncToSync: number;
}

export interface Chain {
  file: string;
  line: number;
  setting: string;
  middleware: string[];
  switches: {
    asyncView: { before: SwitchCount; after: SwitchCount };
    syncView: { before: SwitchCount; after: SwitchCount };
  } | null;
  unresolved: string[];
  notes: string[];
  /**
   * What the drawings need (`chainMermaid`, `chainText`). A non-enumerable property:
   * `JSON.stringify` leaves it out, so the JSON keys stay those of docs/result.md. Read it
   * with `chainDetails(chain)`. Absent when `switches` is null.
   */
  readonly details?: ChainDetails;
}

/** One middleware of a built chain, outermost first. */
export interface ChainStep {
  /** The dotted path as it stands in MIDDLEWARE in this state (after --backport: the generated class). */
  path: string;
  /** Class or factory name. */
  name: string;
  /** The mode the builder chose. */
  mode: "sync" | "async";
  /** `mixin`: MiddlewareMixin's dispatch (per-hook hops when async); `own`: its own dispatch or a factory. */
  body: "mixin" | "own";
  /** `sync_to_async` calls inside MiddlewareMixin.__acall__ per request (0 when sync or own dispatch). */
  hookHops: number;
  /** The mixin hop hooks the instance has (process_request, process_response). */
  hopHooks: string[];
  /** The adapter between this middleware and the handler it wraps (one call per request), if any. */
  adaptInner: "syncToAsync" | "asyncToSync" | null;
  /** `process_view` and its nature; a sync one costs a `sync_to_async` per request, whatever the mode. */
  processView: "sync" | "async" | null;
}

export interface ChainState {
  steps: ChainStep[];
  /** The adapter between the server (async) and the top of the chain, if any. */
  adaptTop: "syncToAsync" | null;
  counts: { asyncView: SwitchCount; syncView: SwitchCount };
}

export interface ChainDetails {
  before: ChainState;
  after: ChainState;
  /** The Django version the built-in classes were read for, when known. */
  target: string | null;
}

/** The drawing details of a chain (null when its classes could not all be read). */
export function chainDetails(chain: Chain): ChainDetails | null {
  return chain.details ?? null;
}

/** Attach drawing details without changing the chain's JSON. */
export function withDetails(chain: Chain, details: ChainDetails): Chain {
  Object.defineProperty(chain, "details", { value: details, enumerable: false, configurable: true, writable: false });
  return chain;
}
