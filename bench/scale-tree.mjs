// Trees for bench/scale.mjs (and the tests): a generated TypeScript code base of N middleware
// files in cross-file chains, and a copy of real JS/TS files without middleware.
import { cpSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * N middleware files (plus barrels and the mixin file):
 *   src/framework/mixin.ts      re-exports MiddlewareMixin from an outside package
 *   src/framework/index.ts      barrel: `export * from "./mixin.js"`
 *   src/core/gK/baseJ.ts        10%: bases extending the mixin (sync, async, view-only, declared false)
 *   src/core/gK/index.ts        barrel re-exporting the bases of a folder
 *   src/features/fF/mwI.ts      60%: subclasses of a base (through the barrel with an alias, or
 *                               directly), default or named exports
 *   src/apps/aA/leafI.ts        30%: subclasses of a feature, in another folder
 * Returns the outcome each class should get under the model's rules (section 4), by class name.
 * `untyped`: the sync hooks have no return type annotation (the checker infers them); the
 * outcomes returned are those of the typed tree (untyped, a feature that returns its async base's
 * promise is async).
 */
export function generateMiddlewareTree(root, n, { untyped = false } = {}) {
  const nb = Math.max(10, Math.round(n * 0.1));
  const nf = Math.round(n * 0.6);
  const nl = n - nb - nf;
  const expected = new Map();
  // Untyped: the sync hooks leave their return type to inference, so the type checker decides them.
  const strip = (text) => (untyped ? text.replace(/^(  process\w+\([^)]*\)): [^{\n]+ \{$/gm, "$1 {") : text);
  const write = (rel, text) => {
    text = strip(text);
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  };
  write("src/framework/mixin.ts", `// The framework's base class.\nexport { MiddlewareMixin } from "@acme/web";\nexport type { Request, Response } from "@acme/web";\n`);
  write("src/framework/index.ts", `export * from "./mixin.js";\nexport const FRAMEWORK_VERSION = "4.2";\n`);
  write(
    "src/util/log.ts",
    `export function log(message: string, ...rest: unknown[]): void {\n  if (process.env.DEBUG) console.log(message, ...rest);\n}\n\nexport async function audit(event: string): Promise<void> {\n  await Promise.resolve(event);\n}\n`,
  );

  // Bases. Kinds: S sync hop hooks, A async hop hooks, V processView only, D declares false.
  const BASE_KINDS = ["S", "S", "S", "S", "S", "A", "A", "V", "V", "D"];
  const bases = [];
  const perFolder = 25;
  for (let j = 0; j < nb; j++) {
    const g = Math.floor(j / perFolder);
    const kind = BASE_KINDS[j % BASE_KINDS.length];
    const name = `Base${j}Middleware`;
    bases.push({ name, kind, folder: `src/core/g${g}`, file: `base${j}` });
    // A: async hooks straight on the mixin: the defensive declaration (the mixin's default may change).
    expected.set(name, { S: "set-async-capable-false", A: "set-async-capable-true", V: "unchanged", D: "unchanged" }[kind]);
    write(`src/core/g${g}/base${j}.ts`, baseFile(name, kind, j));
  }
  for (let g = 0; g * perFolder < nb; g++) {
    const here = bases.slice(g * perFolder, (g + 1) * perFolder);
    write(`src/core/g${g}/index.ts`, `// Barrel.\n${here.map((b) => `export { ${b.name} } from "./${b.file}.js";`).join("\n")}\n`);
  }

  // Features: P no hooks, Y sync processRequest, Z async hop hooks (only under S bases).
  const features = [];
  for (let i = 0; i < nf; i++) {
    const base = bases[i % nb];
    const f = Math.floor(i / 50);
    let kind = i % 2 === 0 ? "P" : "Y";
    if (base.kind === "S" && i % 7 === 0) kind = "Z";
    const name = `Feature${i}Middleware`;
    const viaBarrel = i % 3 !== 0;
    const isDefault = i % 2 === 0;
    features.push({ name, kind, base, folder: `src/features/f${f}`, file: `mw${i}`, isDefault });
    let outcome = "unchanged";
    if (base.kind === "S" && kind === "Z") outcome = "set-async-capable-true";
    if (base.kind === "A" && kind === "Y") outcome = "needs-review";
    if (base.kind === "V" && kind === "Y") outcome = "set-async-capable-false";
    expected.set(name, outcome);
    write(`src/features/f${f}/mw${i}.ts`, featureFile(name, kind, base, viaBarrel, isDefault, i));
  }

  // Leaves: P no hooks, Y sync processResponse (not under A-base or Z features, where it mixes).
  for (let i = 0; i < nl; i++) {
    const feat = features[(i * 7) % nf];
    const a = Math.floor(i / 50);
    let kind = i % 2 === 0 ? "P" : "Y";
    if (feat.base.kind === "A" || feat.kind === "Z") kind = "P";
    const name = `Leaf${i}Middleware`;
    let outcome = "unchanged";
    if (kind === "Y" && feat.base.kind === "V" && feat.kind === "P") outcome = "set-async-capable-false";
    if (feat.base.kind === "A" && feat.kind === "Y") outcome = "needs-review"; // inherits the mix
    expected.set(name, outcome);
    write(`src/apps/a${a}/leaf${i}.ts`, leafFile(name, kind, feat, a, i));
  }
  return { files: nb + nf + nl, expected };
}

function baseFile(name, kind, j) {
  const hooks = {
    S: `  processRequest(request: Request): Response | undefined {\n    log("request", request.path);\n    if (request.headers["x-block-${j}"]) return this.blocked(request);\n    return undefined;\n  }\n\n  processResponse(request: Request, response: Response): Response {\n    response.headers["x-base-${j}"] = "1";\n    return response;\n  }\n`,
    A: `  async processRequest(request: Request): Promise<Response | undefined> {\n    await audit("request ${j}");\n    return undefined;\n  }\n\n  async processResponse(request: Request, response: Response): Promise<Response> {\n    await audit("response ${j}");\n    return response;\n  }\n`,
    V: `  processView(request: Request, view: unknown): Response | undefined {\n    log("view", view);\n    return undefined;\n  }\n`,
    D: `  static asyncCapable = false;\n\n  processRequest(request: Request): Response | undefined {\n    log("request", request.path);\n    return undefined;\n  }\n`,
  }[kind];
  return `// Base middleware ${j}.
import { MiddlewareMixin, type Request, type Response } from "../../framework/index.js";
import { audit, log } from "../../util/log";

/** Shared behaviour for the middleware of area ${j}. */
export class ${name} extends MiddlewareMixin {
${hooks}
  protected blocked(request: Request): Response {
    return { status: 403, headers: {}, body: \`blocked: \${request.path}\` } as Response;
  }
}

export const ${name}Options = { area: ${j}, enabled: true };
`;
}

function featureFile(name, kind, base, viaBarrel, isDefault, i) {
  const imp = viaBarrel
    ? `import { ${base.name} as Parent } from "../../${base.folder.slice(4)}/index.js";`
    : `import { ${base.name} as Parent } from "../../${base.folder.slice(4)}/${base.file}";`;
  const hooks = {
    P: `  describe(): string {\n    return "feature ${i}";\n  }\n`,
    Y: `  processRequest(request: Request): Response | undefined {\n    log("feature ${i}", request.path);\n    return super.processRequest?.(request);\n  }\n`,
    Z: `  async processRequest(request: Request): Promise<Response | undefined> {\n    await audit("feature ${i}");\n    return undefined;\n  }\n\n  async processResponse(request: Request, response: Response): Promise<Response> {\n    await audit("feature ${i} response");\n    return response;\n  }\n`,
  }[kind];
  return `// Feature middleware ${i}.
${imp}
import type { Request, Response } from "../../framework/index.js";
import { audit, log } from "../../util/log.js";

${isDefault ? "export default class" : "export class"} ${name} extends Parent {
${hooks}}

export function make${name}(): ${name} {
  return new ${name}();
}
`;
}

function leafFile(name, kind, feat, a, i) {
  const from = `../../${feat.folder.slice(4)}/${feat.file}.js`;
  const imp = feat.isDefault ? `import Parent from "${from}";` : `import { ${feat.name} as Parent } from "${from}";`;
  const hooks = {
    P: `  label = "leaf ${i}";\n`,
    Y: `  processResponse(request: Request, response: Response): Response {\n    log("leaf ${i}");\n    return response;\n  }\n`,
  }[kind];
  return `// App ${a}, leaf ${i}.
${imp}
import type { Request, Response } from "../../framework/index.js";
import { log } from "../../util/log.js";

export class ${name} extends Parent {
${hooks}}
`;
}

const SOURCE = /\.(?:[cm]?[jt]sx?|py)$/;

/**
 * Copy the JS/TS source files of a node_modules folder (no other files) `copies` times into
 * root/copyK/, renaming `node_modules` path segments to `nm` so that the codemod enters them.
 * Returns the number of files copied.
 */
export function copyRealSources(from, root, copies = 1, limit = Infinity) {
  let count = 0;
  const list = [];
  const walk = (dir, rel) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
      if (list.length >= limit) return;
      const p = path.join(dir, e.name);
      const r = path.join(rel, e.name === "node_modules" ? "nm" : e.name === ".bin" ? "_bin" : e.name);
      if (e.isDirectory()) walk(p, r);
      else if (e.isFile() && SOURCE.test(e.name) && !e.name.endsWith(".py")) list.push([p, r]);
    }
  };
  walk(from, "");
  for (let k = 0; k < copies; k++)
    for (const [p, r] of list) {
      const dest = path.join(root, `copy${k}`, r);
      mkdirSync(path.dirname(dest), { recursive: true });
      cpSync(p, dest);
      count++;
    }
  return count;
}

export function countSourceFiles(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += countSourceFiles(p);
    else if (e.isFile() && SOURCE.test(e.name)) n++;
  }
  return n;
}

export const dirSize = (dir) => {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? dirSize(p) : statSync(p).size;
  }
  return n;
};
