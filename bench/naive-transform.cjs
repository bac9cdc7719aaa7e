// The approach a user would take without middleware-codemod: a jscodeshift transform that,
// file by file, finds the classes that reach MiddlewareMixin by following each `extends`
// through the imports (reading and parsing the imported files: jscodeshift hands over one
// file at a time, so nothing is shared between files), and inserts
// `static asyncCapable = false;` into the topmost class of a chain whose hop hooks are all
// sync and that declares nothing. It handles named/default/aliased imports, `export { X }
// from`, `export *` barrels and `.js` specifiers for `.ts` files; nothing else (no
// tsconfig paths, no CommonJS, no Python).
//   jscodeshift -t bench/naive-transform.cjs --parser=ts --extensions=ts --dry src
const fs = require("node:fs");
const path = require("node:path");

const MIXIN = "MiddlewareMixin";
const HOP = ["processRequest", "processResponse"];

module.exports = function transform(file, api) {
  const j = api.jscodeshift;
  const parse = (p) => j(fs.readFileSync(p, "utf8"));
  const root = j(file.source);
  const self = { file: path.resolve(file.path), root };

  function resolveFile(from, spec) {
    const base = path.resolve(path.dirname(from), spec);
    const candidates = [base, base.replace(/\.js$/, ".ts"), base + ".ts", base + ".tsx", base + ".js", path.join(base, "index.ts")];
    return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile()) ?? null;
  }

  /** The class bound to `name` in a module: {cls, mod}, "mixin", or null. */
  function lookup(mod, name, depth = 0) {
    if (depth > 20) return null;
    if (name === MIXIN) return "mixin";
    const local = mod.root.find(j.ClassDeclaration, { id: { name } });
    if (local.size()) return { cls: local.get().node, mod };
    let found = null;
    mod.root.find(j.ImportDeclaration).forEach((p) => {
      if (found) return;
      for (const s of p.node.specifiers ?? []) {
        if (s.local.name !== name) continue;
        const imported = s.type === "ImportDefaultSpecifier" ? "default" : s.type === "ImportSpecifier" ? s.imported.name : null;
        if (imported === MIXIN) return void (found = "mixin");
        const spec = p.node.source.value;
        if (!imported || !spec.startsWith(".")) return;
        const target = resolveFile(mod.file, spec);
        if (target) found = exported({ file: target, root: parse(target) }, imported, depth + 1);
      }
    });
    return found;
  }

  /** What a module exports under `name` ("default" for the default export). */
  function exported(mod, name, depth) {
    if (depth > 20) return null;
    if (name === "default") {
      const d = mod.root.find(j.ExportDefaultDeclaration);
      if (!d.size()) return null;
      const decl = d.get().node.declaration;
      if (decl.type === "ClassDeclaration") return { cls: decl, mod };
      if (decl.type === "Identifier") return lookup(mod, decl.name, depth);
      return null;
    }
    const own = mod.root.find(j.ExportNamedDeclaration).filter((p) => p.node.declaration?.type === "ClassDeclaration" && p.node.declaration.id?.name === name);
    if (own.size()) return { cls: own.get().node.declaration, mod };
    let found = null;
    mod.root.find(j.ExportNamedDeclaration).forEach((p) => {
      for (const s of p.node.specifiers ?? []) {
        if (found || s.exported.name !== name) continue;
        if (!p.node.source) found = lookup(mod, s.local.name, depth);
        else if (s.local.name === MIXIN) found = "mixin";
        else if (p.node.source.value.startsWith(".")) {
          const target = resolveFile(mod.file, p.node.source.value);
          if (target) found = exported({ file: target, root: parse(target) }, s.local.name, depth + 1);
        }
      }
    });
    if (found) return found;
    mod.root.find(j.ExportAllDeclaration).forEach((p) => {
      if (found || !p.node.source.value.startsWith(".")) return;
      const target = resolveFile(mod.file, p.node.source.value);
      if (target) found = exported({ file: target, root: parse(target) }, name, depth + 1);
    });
    return found;
  }

  /** The chain from a class up to the mixin: [{cls, mod}, ...], or null when it does not reach it. */
  function chain(start) {
    const out = [start];
    for (let cur = start; ; ) {
      const sup = cur.cls.superClass;
      if (!sup || sup.type !== "Identifier") return null;
      const next = lookup(cur.mod, sup.name);
      if (next === "mixin") return out;
      if (!next || out.length > 50) return null;
      out.push(next);
      cur = next;
    }
  }

  const members = (cls) => cls.body.body;
  const memberName = (m) => (m.key && m.key.type === "Identifier" ? m.key.name : null);
  const isAsync = (m) => {
    const fn = m.type === "ClassProperty" || m.type === "PropertyDefinition" ? m.value : m.value ?? m;
    if (!fn) return false;
    if (fn.async || m.async) return true;
    const ret = fn.returnType ?? m.returnType;
    const t = ret?.typeAnnotation;
    return !!t && t.type === "TSTypeReference" && /^(Promise|PromiseLike)$/.test(t.typeName?.name ?? "");
  };

  /** Would this chain (a class and its ancestors up to the mixin) get the declaration? */
  function qualifies(links) {
    for (const { cls } of links)
      for (const m of members(cls)) {
        const n = memberName(m);
        if (n === "asyncCapable" || n === "call" || n === "acall") return false;
      }
    let hooks = 0;
    for (const hook of HOP) {
      const owner = links.find(({ cls }) => members(cls).some((m) => memberName(m) === hook));
      if (!owner) continue;
      hooks++;
      if (isAsync(members(owner.cls).find((m) => memberName(m) === hook))) return false;
    }
    return hooks > 0;
  }

  let changed = 0;
  root.find(j.ClassDeclaration).forEach((p) => {
    if (!p.node.superClass) return;
    const links = chain({ cls: p.node, mod: self });
    if (!links || !qualifies(links)) return;
    if (links.length > 1 && qualifies(links.slice(1))) return; // an ancestor gets it
    const decl = j.classProperty(j.identifier("asyncCapable"), j.booleanLiteral(false), null, true);
    p.node.body.body.unshift(decl);
    changed++;
  });
  return changed ? root.toSource() : undefined;
};

module.exports.parser = "ts";
