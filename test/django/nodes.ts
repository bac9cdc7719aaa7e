// ClassNodes built by hand for the chain analysis's unit tests, and a fake project that
// resolves dotted paths to them (the Python front end's `project.resolve` contract).
import { PYTHON_NAMES, type BaseRef, type ClassNode, type HookKind, type Nature } from "../../transforms/lib/model.ts";
import type { ChainProject } from "../../transforms/lib/django/chains.ts";
import { parsePython } from "../../transforms/lib/django/python-parser.ts";
import { DEFAULT_STACK } from "./default-stack.mjs";

export { DEFAULT_STACK };

export const MIXIN: BaseRef = { kind: "mixin", name: "MiddlewareMixin", text: "MiddlewareMixin" };

export interface NodeOptions {
  bases?: BaseRef[];
  hooks?: Partial<Record<HookKind, Nature>>;
  asyncCapable?: boolean | null;
  syncCapable?: boolean | null;
  dispatch?: { call?: Nature; acall?: Nature };
  editable?: boolean;
  kind?: "class" | "factory";
  file?: string;
  line?: number;
  origin?: { package: string; version: string | null; source: string };
}

/** `dotted` is the class's full dotted path; the node's file is derived from it unless given. */
export function node(dotted: string, o: NodeOptions = {}): ClassNode {
  const dot = dotted.lastIndexOf(".");
  const name = dotted.slice(dot + 1);
  const file = o.file ?? dotted.slice(0, dot).split(".").join("/") + ".py";
  const line = o.line ?? 1;
  const hooks: ClassNode["hooks"] = {};
  for (const [k, nature] of Object.entries(o.hooks ?? {}) as [HookKind, Nature][]) hooks[k] = { nature, name: PYTHON_NAMES.hooks[k], line: line + 1 };
  const flags: ClassNode["flags"] = {};
  if (o.asyncCapable !== undefined) flags.asyncCapable = { value: o.asyncCapable, line: line + 1, via: "attribute" };
  if (o.syncCapable !== undefined) flags.syncCapable = { value: o.syncCapable, line: line + 1, via: "attribute" };
  const editable = o.editable ?? !o.origin;
  return {
    id: `${file}:${line}:${name}`,
    name,
    file,
    absPath: "/project/" + file,
    line,
    column: 0,
    language: "py",
    kind: o.kind ?? "class",
    editable,
    origin: o.origin,
    qualifiedName: dotted,
    bases: o.bases ?? [MIXIN],
    hooks,
    dispatch: o.dispatch ?? {},
    flags,
    methods: Object.values(hooks).map((h) => h!.name),
    insertion: editable ? { offset: 0, lead: "    ", trail: "\n", semicolon: false, fieldStyle: "attribute" } : null,
  };
}

const DJANGO = (version: string) => ({ package: "django", version, source: "django-builtins" });

/** Django's default startproject stack as Django `version` declares it (flags unchanged before 6.1). */
export function djangoDefaults(version = "3.2"): ClassNode[] {
  const fixed = version.localeCompare("6.1", undefined, { numeric: true }) >= 0;
  const o = (hooks: NodeOptions["hooks"]): NodeOptions => ({ hooks, origin: DJANGO(version), ...(fixed ? { asyncCapable: false } : {}) });
  return DEFAULT_STACK.map((dotted) => node(dotted, o(DEFAULT_HOOKS[dotted.slice(dotted.lastIndexOf(".") + 1)])));
}

/** The hooks each class of the default stack defines, all sync (Django 3.2 to 6.0). */
const DEFAULT_HOOKS: Record<string, NodeOptions["hooks"]> = {
  SecurityMiddleware: { request: "sync", response: "sync" },
  SessionMiddleware: { request: "sync", response: "sync" },
  CommonMiddleware: { request: "sync", response: "sync" },
  CsrfViewMiddleware: { request: "sync", view: "sync", response: "sync" },
  AuthenticationMiddleware: { request: "sync" },
  MessageMiddleware: { request: "sync", response: "sync" },
  XFrameOptionsMiddleware: { response: "sync" },
};

/** A project that resolves dotted paths to the given nodes; every upstream (read-only) one comes back as `added`. */
export function fakeProject(nodes: ClassNode[]): ChainProject & { calls: string[] } {
  const byName = new Map(nodes.map((n) => [n.qualifiedName!, n]));
  const upstream = nodes.filter((n) => !n.editable);
  const calls: string[] = [];
  return {
    calls,
    syntax: async (f) => (await parsePython(f.text)).rootNode,
    resolve(dotted) {
      calls.push(dotted);
      const n = byName.get(dotted);
      if (!n) return null;
      return { node: n, added: upstream };
    },
  };
}
