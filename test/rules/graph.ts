// Decision rules on small class graphs built by hand (no source): the shape of a class that
// the front ends give, with only what a case needs spelled out.
import { decide } from "../../transforms/lib/decide.ts";
import { PYTHON_NAMES, type BaseRef, type ClassNode, type Flag, type Hook, type HookKind, type Nature } from "../../transforms/lib/model.ts";

export interface Spec {
  name: string;
  base?: string | string[];
  lang?: "ts" | "py";
  hooks?: Partial<Record<HookKind, Nature>>;
  asyncCapable?: boolean | null;
  syncCapable?: boolean;
  call?: Nature;
  acall?: Nature;
  /** The own call refers to acall. */
  callsAcall?: boolean;
  init?: boolean;
  methods?: string[];
  editable?: boolean;
  qualifiedName?: string;
}

const HOOK_NAMES: Record<"ts" | "py", Record<HookKind, string>> = {
  ts: { request: "processRequest", view: "processView", exception: "processException", templateResponse: "processTemplateResponse", response: "processResponse" },
  py: PYTHON_NAMES.hooks,
};

export function graph(specs: Spec[]): ClassNode[] {
  return specs.map((s, i) => {
    const lang = s.lang ?? "ts";
    const bases: BaseRef[] = ([] as string[]).concat(s.base ?? []).map((b) =>
      b === "MiddlewareMixin"
        ? { kind: "mixin", name: b, text: b }
        : b.startsWith("?")
          ? { kind: "unresolved", text: b.slice(1), reason: `package '${b.slice(1)}' is not in the scanned tree` }
          : { kind: "class", id: `m.${lang}:${specs.findIndex((o) => o.name === b) + 1}:${b}`, text: b },
    );
    const hooks: Partial<Record<HookKind, Hook>> = {};
    for (const [k, nature] of Object.entries(s.hooks ?? {})) hooks[k as HookKind] = { nature: nature!, name: HOOK_NAMES[lang][k as HookKind], line: i + 2 };
    const flag = (v: boolean | null | undefined): Flag | undefined => (v === undefined ? undefined : { value: v, line: i + 1, via: lang === "py" ? "attribute" : "static" });
    return {
      id: `m.${lang}:${i + 1}:${s.name}`,
      name: s.name,
      file: `m.${lang}`,
      absPath: `/p/m.${lang}`,
      line: i + 1,
      column: 1,
      language: lang,
      kind: "class",
      editable: s.editable ?? true,
      qualifiedName: s.qualifiedName,
      origin: s.editable === false ? { package: "django", version: "5.2", source: "table" } : undefined,
      bases,
      hooks,
      dispatch: { ...(s.call ? { call: s.call } : {}), ...(s.acall ? { acall: s.acall } : {}), ...(s.callsAcall ? { callsAcall: true } : {}) },
      flags: { asyncCapable: flag(s.asyncCapable), syncCapable: flag(s.syncCapable) },
      init: s.init === undefined ? undefined : { marksCoroutine: s.init },
      methods: s.methods ?? [],
      insertion: s.editable === false ? null : { offset: 0, lead: "  ", trail: "\n", semicolon: true, fieldStyle: lang === "py" ? "attribute" : "static" },
    } satisfies ClassNode;
  });
}

const tsNames = { asyncCapable: "asyncCapable", syncCapable: "syncCapable", mixin: "MiddlewareMixin", call: "call", acall: "acall" };
export const names = {
  ts: tsNames,
  js: tsNames,
  py: { asyncCapable: "async_capable", syncCapable: "sync_capable", mixin: "MiddlewareMixin", call: "__call__", acall: "__acall__" },
};

export function outcomes(specs: Spec[], version: string | null = null) {
  return decide(graph(specs), { djangoTarget: version ? { version, source: "--target" } : null, names }).decisions.map((d) => ({
    class: d.node.name,
    outcome: d.outcome,
    rule: d.rule,
    required: d.required,
    asyncCapable: d.asyncCapable,
  }));
}

/** Every decision with its reason and review action. */
export function full(specs: Spec[], version: string | null = null, declined?: ReadonlySet<string>) {
  return decide(graph(specs), { djangoTarget: version ? { version, source: "--target" } : null, names, declined }).decisions.map((d) => ({
    class: d.node.name,
    outcome: d.outcome,
    rule: d.rule,
    reason: d.reason,
    required: d.required,
    asyncCapable: d.asyncCapable,
    action: d.action ?? null,
  }));
}

export const state = (before: boolean, after: boolean, declaredIn: string | null) => ({ before, after, declaredIn });
