// The version table against the real sources: for each release the tests provision (Debian's
// Django 3.2, 4.2 and 5.2), Python's ast reads every built-in middleware module, and the
// table's entries for that release must say exactly what the source says — the classes, their
// bases, literal flags, hook natures, own dispatch and whether they define __init__. The table
// says "read" for these releases; this keeps the word true for the packages Debian carries now.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { PYTHON_NAMES, type HookKind } from "../transforms/lib/model.ts";
import { djangoMiddleware } from "../transforms/lib/django/versions.ts";
import { DJANGO_VERSIONS, djangoPath, pythonEnv, PYTHON } from "./setup/parts.ts";

const FILES = [
  "django/middleware/security.py",
  "django/middleware/common.py",
  "django/middleware/csrf.py",
  "django/middleware/clickjacking.py",
  "django/middleware/gzip.py",
  "django/middleware/http.py",
  "django/middleware/locale.py",
  "django/middleware/cache.py",
  "django/middleware/csp.py",
  "django/contrib/sessions/middleware.py",
  "django/contrib/auth/middleware.py",
  "django/contrib/messages/middleware.py",
  "django/contrib/sites/middleware.py",
  "django/contrib/flatpages/middleware.py",
  "django/contrib/redirects/middleware.py",
  "django/contrib/admindocs/middleware.py",
];

/**
 * Every class of the files that is middleware: it derives from MiddlewareMixin or from
 * another such class, or it declares a flag itself.
 */
const READ = `
import ast, json, os, sys
root = sys.argv[1]
hooks = ${JSON.stringify(Object.fromEntries(Object.entries(PYTHON_NAMES.hooks).map(([k, v]) => [v, k])))}
out = {}
for rel in json.loads(sys.argv[2]):
    path = os.path.join(root, rel)
    if not os.path.exists(path):
        continue
    module = rel[:-3].replace("/", ".")
    tree = ast.parse(open(path, encoding="utf-8").read())
    local = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = []
        for b in node.bases:
            name = b.id if isinstance(b, ast.Name) else ast.unparse(b)
            bases.append(module + "." + name if name in local else name)
        flags, hook, dispatch, init = {}, {}, {}, False
        for item in node.body:
            if isinstance(item, ast.Assign):
                for t in item.targets:
                    if isinstance(t, ast.Name) and t.id in ("sync_capable", "async_capable") and isinstance(item.value, ast.Constant):
                        flags["syncCapable" if t.id == "sync_capable" else "asyncCapable"] = item.value.value
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                nature = "async" if isinstance(item, ast.AsyncFunctionDef) else "sync"
                if item.name in hooks:
                    hook[hooks[item.name]] = nature
                elif item.name == "__call__":
                    dispatch["call"] = nature
                    # A sync __call__ that hands async requests to self.__acall__ reaches it.
                    if nature == "sync" and any(isinstance(n, ast.Attribute) and n.attr == "__acall__" and isinstance(n.value, ast.Name) and n.value.id == "self" for n in ast.walk(item)):
                        dispatch["callsAcall"] = True
                elif item.name == "__acall__":
                    dispatch["acall"] = nature
                elif item.name == "__init__":
                    init = True
        out[module + "." + node.name] = {"bases": bases, "flags": flags, "hooks": hook, "dispatch": dispatch, "init": init}
mw = {}
changed = True
while changed:
    changed = False
    for q, c in out.items():
        if q not in mw and (c["flags"] or any(b == "MiddlewareMixin" or b in mw for b in c["bases"])):
            mw[q] = c
            changed = True
print(json.dumps(mw, sort_keys=True))
`;

function fromSource(version: string): Record<string, unknown> {
  const root = djangoPath(version as (typeof DJANGO_VERSIONS)[number]);
  const r = spawnSync(PYTHON, ["-S", "-c", READ, root, JSON.stringify(FILES)], { encoding: "utf8", env: pythonEnv([root]) });
  if (r.status !== 0) throw new Error(`reading ${root}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function fromTable(version: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [q, e] of djangoMiddleware(version)) {
    const hooks: Partial<Record<HookKind, string>> = { ...e.hooks };
    out[q] = { bases: e.bases, flags: e.flags, hooks, dispatch: e.dispatch, init: e.methods.includes("__init__") };
  }
  return out;
}

describe("the version table equals the real sources of the releases it says it read", () => {
  for (const version of DJANGO_VERSIONS)
    it(`Django ${version}`, () => {
      expect(fromTable(version)).toEqual(fromSource(version));
    });
});
