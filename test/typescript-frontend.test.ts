// The TS/JS front end on small in-memory trees: whole projected class nodes, not fragments.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readProjectFile } from "../transforms/lib/files.ts";
import { natureOf, type FunctionLike } from "../transforms/lib/frontends/typescript/hooks.ts";
import { readTypeScript } from "../transforms/lib/frontends/typescript/index.ts";
import { ts } from "ts-morph";
import { DEFAULT_PROFILE, type ClassNode, type FrontEndResult, type Profile } from "../transforms/lib/model.ts";

const CWD = "/virtual/project";

function sources(tree: Record<string, string>, cwd = CWD) {
  return Object.entries(tree).map(([file, text]) => ({ file, text, absPath: path.join(cwd, file) }));
}

async function read(tree: Record<string, string>, profile: Profile = DEFAULT_PROFILE, cwd = CWD): Promise<FrontEndResult> {
  return readTypeScript(sources(tree, cwd), { cwd, profile, readFile: (abs) => readProjectFile(cwd, abs) });
}

/** The stable projection compared in full. */
const project = (c: ClassNode) => ({
  name: c.name,
  file: c.file,
  line: c.line,
  bases: c.bases,
  hooks: c.hooks,
  dispatch: c.dispatch,
  flags: c.flags,
  insertion: c.insertion,
});

async function classes(tree: Record<string, string>, profile?: Profile, cwd?: string) {
  const r = await read(tree, profile, cwd);
  expect(r.errors).toEqual([]);
  return r.classes.map(project);
}

const ins = (offset: number, lead = "  ", extra: Partial<ClassNode["insertion"] & object> = {}) => ({
  offset,
  lead,
  trail: "\n",
  semicolon: true,
  fieldStyle: "static" as const,
  ...extra,
});
const req = (nature: "sync" | "async" | "unknown", line: number, why?: string) => ({ nature, name: "processRequest", line, ...(why ? { why } : {}) });
const res = (nature: "sync" | "async" | "unknown", line: number, why?: string) => ({ nature, name: "processResponse", line, ...(why ? { why } : {}) });
const mixin = (text = "MiddlewareMixin") => ({ kind: "mixin", name: "MiddlewareMixin", text });
/** Offset of the start of the line that contains `needle` (first occurrence). */
const lineOf = (text: string, needle: string) => text.lastIndexOf("\n", text.indexOf(needle)) + 1;

describe("resolution", () => {
  it("follows named and aliased imports, renamed re-exports, barrels, index files and default exports", async () => {
    const base = `import { MiddlewareMixin as Mixin } from "@acme/web";\n\nexport class AuthMiddleware extends Mixin {\n  processRequest(req: Req): void {}\n}\n`;
    const anon = `import { Auth } from "../index";\n\nexport default class extends Auth {\n  processResponse(req: Req, res: Res): Res {\n    return res;\n  }\n}\n`;
    const app = `import Audit from "./mw/audit";\nimport * as mw from "./index.ts";\n\nexport class Tracing extends mw.Auth {\n  processRequest(req: Req): void {}\n}\nclass Extra extends Audit {}\n`;
    const got = await classes({
      "src/mw/auth.ts": base,
      "src/mw/index.ts": `export * from "./auth.js";\n`,
      "src/index.ts": `export { AuthMiddleware as Auth } from "./mw";\n`,
      "src/mw/audit.ts": anon,
      "src/app.ts": app,
      "src/unrelated.ts": `export class Cache { processRequest() {} }\n`,
    });
    expect(got).toEqual([
      { name: "AuthMiddleware", file: "src/mw/auth.ts", line: 3, bases: [mixin("Mixin")], hooks: { request: req("sync", 4) }, dispatch: {}, flags: {}, insertion: ins(lineOf(base, "  process")) },
      { name: "audit", file: "src/mw/audit.ts", line: 3, bases: [{ kind: "class", id: "src/mw/auth.ts:3:AuthMiddleware", text: "Auth" }], hooks: { response: res("sync", 4) }, dispatch: {}, flags: {}, insertion: ins(lineOf(anon, "  process")) },
      { name: "Tracing", file: "src/app.ts", line: 4, bases: [{ kind: "class", id: "src/mw/auth.ts:3:AuthMiddleware", text: "mw.Auth" }], hooks: { request: req("sync", 5) }, dispatch: {}, flags: {}, insertion: ins(lineOf(app, "  process")) },
      { name: "Extra", file: "src/app.ts", line: 7, bases: [{ kind: "class", id: "src/mw/audit.ts:3:audit", text: "Audit" }], hooks: {}, dispatch: {}, flags: {}, insertion: ins(app.indexOf("Audit {") + 7, "\n  ", { trail: "\n" }) },
    ]);
  });

  it("follows CommonJS exports and requires, and class expressions bound to a const", async () => {
    const tree = {
      "lib/base.js": `const { MiddlewareMixin } = require("mw-kit");\nconst Base = class extends MiddlewareMixin {\n  processRequest(req) {}\n};\nmodule.exports = Base;\n`,
      "lib/pair.js": `const Base = require("./base");\nclass A extends Base {}\nclass B extends Base {}\nmodule.exports = { A, Bee: B };\n`,
      "lib/single.js": `const { Bee } = require("./pair");\nexports.C = class extends Bee {};\n`,
      "lib/use.js": `const pair = require("./pair.js");\nclass D extends pair.A {}\nclass E extends require("./single").C {}\nmodule.exports.D = D;\n`,
    };
    const got = await classes(tree);
    const opened = (file: keyof typeof tree, after: string) => ({ offset: tree[file].indexOf(after) + after.length, lead: "\n  ", trail: "\n", semicolon: true, fieldStyle: "static" });
    expect(got).toEqual([
      { name: "Base", file: "lib/base.js", line: 2, bases: [mixin()], hooks: { request: req("sync", 3) }, dispatch: {}, flags: {}, insertion: ins(lineOf(tree["lib/base.js"], "  process")) },
      { name: "A", file: "lib/pair.js", line: 2, bases: [{ kind: "class", id: "lib/base.js:2:Base", text: "Base" }], hooks: {}, dispatch: {}, flags: {}, insertion: opened("lib/pair.js", "class A extends Base {") },
      { name: "B", file: "lib/pair.js", line: 3, bases: [{ kind: "class", id: "lib/base.js:2:Base", text: "Base" }], hooks: {}, dispatch: {}, flags: {}, insertion: opened("lib/pair.js", "class B extends Base {") },
      { name: "C", file: "lib/single.js", line: 2, bases: [{ kind: "class", id: "lib/pair.js:3:B", text: "Bee" }], hooks: {}, dispatch: {}, flags: {}, insertion: opened("lib/single.js", "extends Bee {") },
      { name: "D", file: "lib/use.js", line: 2, bases: [{ kind: "class", id: "lib/pair.js:2:A", text: "pair.A" }], hooks: {}, dispatch: {}, flags: {}, insertion: opened("lib/use.js", "class D extends pair.A {") },
      { name: "E", file: "lib/use.js", line: 3, bases: [{ kind: "class", id: "lib/single.js:2:C", text: 'require("./single").C' }], hooks: {}, dispatch: {}, flags: {}, insertion: opened("lib/use.js", '.C {') },
    ]);
  });

  it("resolves tsconfig paths and baseUrl, following a relative extends", async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "tsfe-"));
    mkdirSync(path.join(cwd, "config"));
    writeFileSync(path.join(cwd, "config/base.json"), `{\n  // shared\n  "compilerOptions": { "baseUrl": "../src", "paths": { "@mw/*": ["middleware/*"], }, },\n}\n`);
    writeFileSync(path.join(cwd, "tsconfig.json"), `{ "extends": "./config/base" }\n`);
    const got = await classes(
      {
        "src/middleware/session.ts": `import { MiddlewareMixin } from "fw";\nexport class Session extends MiddlewareMixin {}\n`,
        "src/app/user.ts": `import { Session } from "@mw/session";\nimport { Helper } from "util/helper";\nexport class UserSession extends Session {}\nexport class Other extends Helper { static asyncCapable = false; }\n`,
        "src/util/helper.ts": `export class Helper {}\n`,
      },
      DEFAULT_PROFILE,
      cwd,
    );
    expect(got.map((c) => [c.name, c.bases])).toEqual([
      ["Session", [mixin()]],
      ["UserSession", [{ kind: "class", id: "src/middleware/session.ts:2:Session", text: "Session" }]],
      ["Other", [{ kind: "class", id: "src/util/helper.ts:1:Helper", text: "Helper" }]],
      ["Helper", []],
    ]);
  });

  it("resolves the same whatever the working directory and however the names are written", async () => {
    const tree = {
      "src/base.ts": `import { MiddlewareMixin } from "fw";\nexport class Base extends MiddlewareMixin {}\n`,
      "src/mw/a.ts": `import { Base } from "../base.js";\nimport { Missing } from "./missing";\nexport class A extends Base {}\nexport class MissingMiddleware extends Missing {}\n`,
    };
    // The same files seen from the project, from a subfolder of it, and from an unrelated folder.
    for (const [cwd, prefix] of [
      ["/virtual/project", ""],
      ["/virtual/project/scripts", "../"],
      ["/elsewhere", "../virtual/project/"],
    ]) {
      const named = Object.fromEntries(Object.entries(tree).map(([f, t]) => [prefix + f, t]));
      const r = await read(named, DEFAULT_PROFILE, cwd);
      expect(r.errors).toEqual([]);
      expect(r.classes.map((c) => [c.name, c.file, c.bases])).toEqual([
        ["Base", `${prefix}src/base.ts`, [mixin()]],
        ["A", `${prefix}src/mw/a.ts`, [{ kind: "class", id: `${prefix}src/base.ts:2:Base`, text: "Base" }]],
        ["MissingMiddleware", `${prefix}src/mw/a.ts`, [{ kind: "unresolved", text: "Missing", reason: "module './missing' is not in the scanned tree" }]],
      ]);
    }
  });

  it("reads the files of the project root that scanned files import, never editing or reporting them", async () => {
    const top = mkdtempSync(path.join(tmpdir(), "tsfe-root-"));
    const root = path.join(top, "shop");
    const disk: Record<string, string> = {
      "package.json": "{}\n",
      "framework/index.ts": `export * from "./audited.js";\nexport { Broken } from "./broken.js";\n`,
      "framework/audited.ts": `import { MiddlewareMixin } from "@acme/web";\nexport class Audited extends MiddlewareMixin {\n  processResponse(req: unknown, res: unknown): unknown {\n    return res;\n  }\n}\n`,
      "framework/broken.ts": `export class Broken extends MiddlewareMixin {\n  processRequest(req {}\n}\n`,
      "framework/unused.ts": `import { MiddlewareMixin } from "@acme/web";\nexport class Unused extends MiddlewareMixin {}\n`,
      "app/session.ts": `import { Audited, Broken } from "../framework";\nimport { Far } from "../../far";\nexport class Session extends Audited {}\nexport class FragileMiddleware extends Broken {}\nexport class FarMiddleware extends Far {}\n`,
    };
    for (const [f, t] of Object.entries(disk)) {
      mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      writeFileSync(path.join(root, f), t);
    }
    writeFileSync(path.join(top, "far.ts"), `import { MiddlewareMixin } from "@acme/web";\nexport class Far extends MiddlewareMixin {}\n`);
    const app = { "app/session.ts": disk["app/session.ts"] };
    const r = await readTypeScript(sources(app, root), { cwd: root, profile: DEFAULT_PROFILE, roots: [root], readFile: (abs) => readProjectFile(root, abs) });
    expect(r.errors).toEqual([]);
    expect(r.classes.map((c) => [c.name, c.file, c.editable, c.unscanned, c.insertion === null, c.bases])).toEqual([
      ["Session", "app/session.ts", true, undefined, false, [{ kind: "class", id: "framework/audited.ts:2:Audited", text: "Audited" }]],
      ["FragileMiddleware", "app/session.ts", true, undefined, false, [{ kind: "unresolved", text: "Broken", reason: "framework/broken.ts could not be parsed" }]],
      ["FarMiddleware", "app/session.ts", true, undefined, false, [{ kind: "unresolved", text: "Far", reason: "module '../../far' leads outside the project" }]],
      ["Audited", "framework/audited.ts", false, true, true, [mixin()]],
    ]);
    // The barrel, the class's file and the broken file: not the unused one nor the file outside the root.
    expect(r.parsedFiles).toBe(4);
  });

  it("finds project files ahead through every import form that climbs out of a scanned folder", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "tsfe-ahead-"));
    const disk: Record<string, string> = {
      "tsconfig.json": "{}\n",
      "lib/a.ts": `import { MiddlewareMixin } from "fw";\nexport class A extends MiddlewareMixin {}\n`,
      "lib/b.js": `const { MiddlewareMixin } = require("fw");\nmodule.exports = class B extends MiddlewareMixin {};\n`,
      "lib/c.ts": `import { MiddlewareMixin } from "fw";\nexport class C extends MiddlewareMixin {}\n`,
      "app/x.ts": `import { A } from './../lib/a'\nimport {\n  C,\n} from \n  "../lib/c.js";\nexport class XA extends A {}\nexport class XC extends C {}\n`,
      "app/y.js": `const B = require( '../lib/b' );\nclass YB extends B {}\n`,
    };
    for (const [f, t] of Object.entries(disk)) {
      mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      writeFileSync(path.join(root, f), t);
    }
    const app = { "app/x.ts": disk["app/x.ts"], "app/y.js": disk["app/y.js"] };
    const r = await readTypeScript(sources(app, root), { cwd: root, profile: DEFAULT_PROFILE, roots: [root], paths: [path.join(root, "app")], readFile: (abs) => readProjectFile(root, abs) });
    expect(r.errors).toEqual([]);
    expect(r.classes.map((c) => [c.name, c.file, c.editable, c.bases[0]])).toEqual([
      ["XA", "app/x.ts", true, { kind: "class", id: "lib/a.ts:2:A", text: "A" }],
      ["XC", "app/x.ts", true, { kind: "class", id: "lib/c.ts:2:C", text: "C" }],
      ["YB", "app/y.js", true, { kind: "class", id: "lib/b.js:2:B", text: "B" }],
      ["A", "lib/a.ts", false, mixin()],
      ["C", "lib/c.ts", false, mixin()],
      ["B", "lib/b.js", false, mixin()],
    ]);
  });

  it("follows a chain of any depth across files and parses only the files that matter", async () => {
    const tree: Record<string, string> = { "a.ts": `import { MiddlewareMixin } from "fw";\nexport class L0 extends MiddlewareMixin {}\n` };
    for (let i = 1; i <= 5; i++) tree[`d${i}/m.ts`] = `import { L${i - 1} } from "${i === 1 ? "../a" : `../d${i - 1}/m`}";\nexport class L${i} extends L${i - 1} {}\n`;
    for (let i = 0; i < 50; i++) tree[`noise/n${i}.ts`] = `export class N${i} { processRequest() {} }\n`;
    const r = await read(tree);
    expect(r.classes.map((c) => [c.name, c.bases[0]])).toEqual([
      ["L0", mixin()],
      ...[1, 2, 3, 4, 5].map((i) => [`L${i}`, { kind: "class", id: `${i === 1 ? "a.ts" : `d${i - 1}/m.ts`}:2:L${i - 1}`, text: `L${i - 1}` }]),
    ]);
    expect(r.parsedFiles).toBe(6);
  });

  it("parses nothing in a tree without middleware", async () => {
    const tree: Record<string, string> = {};
    for (let i = 0; i < 200; i++) tree[`src/f${i}.ts`] = `export class F${i} extends Base { processRequest() {} }\n`;
    expect(await read(tree)).toEqual({ classes: [], errors: [], parsedFiles: 0 });
  });

  it("reports unresolved look-alikes, keeps plain flagged classes and their subclasses and ancestors, and nothing unrelated", async () => {
    const tree = {
      "src/a.ts": [
        `import { SessionMiddleware } from "express-mw";`,
        `import { EventEmitter } from "node:events";`,
        `class MiddlewareMixin {`, // local mixin: no `from` configured and it extends nothing
        `  static asyncCapable = true;`,
        `}`,
        `export class MySession extends SessionMiddleware { processRequest() {} }`,
        `class Quiet extends SessionMiddleware { helper() {} }`,
        `class Emitter extends EventEmitter { processRequest() {} }`,
        `class Plain { processRequest() {} }`,
        `class Flagged extends Plain { static asyncCapable = false; }`,
        `class Sub extends Flagged {}`,
        `class Local extends MiddlewareMixin {}`,
        ``,
      ].join("\n"),
    };
    const got = await classes(tree);
    const t = tree["src/a.ts"];
    expect(got).toEqual([
      {
        name: "MySession",
        file: "src/a.ts",
        line: 6,
        bases: [{ kind: "unresolved", text: "SessionMiddleware", reason: "package 'express-mw' is not in the scanned tree" }],
        hooks: { request: req("sync", 6) },
        dispatch: {},
        flags: {},
        insertion: ins(t.indexOf("{ processRequest() {} }\nclass Quiet") + 2, "", { trail: " " }),
      },
      {
        name: "Quiet",
        file: "src/a.ts",
        line: 7,
        bases: [{ kind: "unresolved", text: "SessionMiddleware", reason: "package 'express-mw' is not in the scanned tree" }],
        hooks: {},
        dispatch: {},
        flags: {},
        insertion: ins(t.indexOf("{ helper") + 2, "", { trail: " " }),
      },
      { name: "Plain", file: "src/a.ts", line: 9, bases: [], hooks: { request: req("sync", 9) }, dispatch: {}, flags: {}, insertion: ins(t.indexOf("Plain { ") + 8, "", { trail: " " }) },
      {
        name: "Flagged",
        file: "src/a.ts",
        line: 10,
        bases: [{ kind: "class", id: "src/a.ts:9:Plain", text: "Plain" }],
        hooks: {},
        dispatch: {},
        flags: { asyncCapable: { value: false, line: 10, via: "static", valueRange: { start: t.indexOf("false"), end: t.indexOf("false") + 5 } } },
        insertion: ins(t.indexOf("Flagged extends Plain { ") + 24, "", { trail: " " }),
      },
      { name: "Sub", file: "src/a.ts", line: 11, bases: [{ kind: "class", id: "src/a.ts:10:Flagged", text: "Flagged" }], hooks: {}, dispatch: {}, flags: {}, insertion: ins(t.indexOf("Sub extends Flagged {") + 21, "\n  ", { trail: "\n" }) },
      { name: "Local", file: "src/a.ts", line: 12, bases: [mixin()], hooks: {}, dispatch: {}, flags: {}, insertion: ins(t.indexOf("Local extends MiddlewareMixin {") + 31, "\n  ", { trail: "\n" }) },
    ]);
  });

  it("with a `from` list, only imports from those modules are the mixin", async () => {
    const profile: Profile = { ...DEFAULT_PROFILE, mixins: [{ name: "BaseMiddleware", from: ["@corp/http"] }] };
    const r = await read(
      {
        "a.ts": `import { BaseMiddleware } from "@corp/http";\nimport { BaseMiddleware as Fake } from "other-lib";\nexport class Good extends BaseMiddleware {}\nexport class Wrong extends Fake { processRequest() {} }\n`,
      },
      profile,
    );
    expect(r.classes.map((c) => [c.name, c.bases])).toEqual([
      ["Good", [{ kind: "mixin", name: "BaseMiddleware", text: "BaseMiddleware" }]],
      ["Wrong", [{ kind: "unresolved", text: "Fake", reason: "package 'other-lib' is not in the scanned tree" }]],
    ]);
  });

  it("reports a file that does not parse and reads the others", async () => {
    const r = await read({
      "ok.ts": `import { MiddlewareMixin } from "fw";\nexport class Ok extends MiddlewareMixin {}\n`,
      "broken.ts": `import { Ok } from "./ok";\nexport class Broken extends Ok {\n  processRequest(req {\n  }\n}\n`,
      "child.ts": `import { Broken } from "./broken";\nexport class ChildMiddleware extends Broken {}\n`,
    });
    expect(r.errors).toEqual([{ file: "broken.ts", message: "',' expected.", line: 3, column: 22 }]);
    expect(r.classes.map((c) => [c.name, c.bases])).toEqual([
      ["Ok", [mixin()]],
      ["ChildMiddleware", [{ kind: "unresolved", text: "Broken", reason: "broken.ts could not be parsed" }]],
    ]);
  });

  it("reads .d.ts classes for their types only", async () => {
    const x = `import { Typed } from "../types/fw";\nexport class X extends Typed {}\n`;
    const r = await read({
      "types/fw.d.ts": `import { MiddlewareMixin } from "fw";\nexport declare class Typed extends MiddlewareMixin {\n  processRequest(req: unknown): Promise<void>;\n}\n`,
      "src/x.ts": x,
    });
    expect(r.classes.map((c) => [c.name, c.editable, c.insertion, c.hooks])).toEqual([
      ["Typed", false, null, { request: req("async", 3) }],
      ["X", true, ins(x.indexOf("Typed {") + 7, "\n  ", { trail: "\n" }), {}],
    ]);
  });
});

describe("hooks, dispatch and flags", () => {
  it("reads every TS hook form, with natures from modifiers, annotations and the checker", async () => {
    const text = [
      `import { MiddlewareMixin } from "fw";`,
      `import { loadUser } from "./users";`,
      `type Later = Promise<void>;`,
      `const HOOK = "processView";`,
      `const helper = (e: unknown) => null;`,
      ``,
      `export class Hooks extends MiddlewareMixin {`,
      `  processRequest(req: string) { return loadUser(req); }`,
      `  processResponse = (req: string, res: number): PromiseLike<number> => Promise.resolve(res);`,
      `  static processException = function (e: Error) { return null; };`,
      `  [HOOK]() {}`,
      `  processTemplateResponse = helper;`,
      `  call(req: string): Later { return Promise.resolve(); }`,
      `  async acall(req: string) {}`,
      `}`,
      ``,
      `export class Mixed extends MiddlewareMixin {`,
      `  processRequest(req: string): void | Promise<void> { return; }`,
      `  processResponse(req: string, res: string): string | Promise<string> { return res; }`,
      `  processView(flag: boolean) { if (flag) return; return fetch("/x"); }`,
      `  async processException() {}`,
      `  processTemplateResponse(flag: boolean) { return flag ? Promise.resolve(1) : 2; }`,
      `}`,
      ``,
    ].join("\n");
    const r = await read({ "src/hooks.ts": text, "src/users.ts": `export async function loadUser(id: string) { return { id }; }\n` });
    expect(r.errors).toEqual([]);
    expect(r.parsedFiles).toBe(1);
    expect(r.classes.map(project)).toEqual([
      {
        name: "Hooks",
        file: "src/hooks.ts",
        line: 7,
        bases: [mixin()],
        hooks: {
          request: req("async", 8),
          response: res("async", 9),
          exception: { nature: "sync", name: "processException", line: 10 },
          view: { nature: "unknown", name: "processView", line: 11, why: "it is defined under a computed name (HOOK)" },
          templateResponse: { nature: "unknown", name: "processTemplateResponse", line: 12, why: "it is assigned from `helper`, not defined here" },
        },
        dispatch: { call: "async", acall: "async" },
        flags: {},
        insertion: ins(lineOf(text, "  processRequest(req: string) {")),
      },
      {
        name: "Mixed",
        file: "src/hooks.ts",
        line: 17,
        bases: [mixin()],
        hooks: {
          request: req("unknown", 18, "its declared return type is sometimes a promise and sometimes not"),
          response: res("unknown", 19, "its declared return type is sometimes a promise and sometimes not"),
          view: { nature: "unknown", name: "processView", line: 20, why: "the checker infers a return type that is sometimes a promise and sometimes not" },
          exception: { nature: "async", name: "processException", line: 21 },
          templateResponse: { nature: "unknown", name: "processTemplateResponse", line: 22, why: "the checker infers a return type that is sometimes a promise and sometimes not" },
        },
        dispatch: {},
        flags: {},
        insertion: ins(lineOf(text, "  processRequest(req: string): void")),
      },
    ]);
    expect(r.classes[0].methods).toEqual(["processRequest", "processResponse", "processException", "processView", "processTemplateResponse", "call", "acall"]);
  });

  it("decides a declared return type by its spelling where it is plain, else by the checker", async () => {
    const text = [
      `import { MiddlewareMixin } from "fw";`,
      `import type { Later as ImportedLater } from "./types";`,
      `import { loadUser } from "./users";`,
      `type Later = Promise<void>;`,
      `type Deferred = Later;`,
      `type Maybe<T> = T | Promise<T>;`,
      `type Loop = Loop;`,
      `interface Response { status: number }`,
      `interface Pending<T> extends Promise<T> { id: string }`,
      `class Page {}`,
      `const hooks = { request: async (): Promise<number> => 1 };`,
      ``,
      `export class Named extends MiddlewareMixin {`,
      `  processRequest(req: string): Deferred { return Promise.resolve(); }`,
      `  processResponse(req: string, res: Response): Maybe<Response> { return res; }`,
      `  processView(req: string): ImportedLater { return Promise.resolve(); }`,
      `  processException(req: string): Page { return new Page(); }`,
      `  processTemplateResponse(req: string): Loop { return null as never; }`,
      `}`,
      ``,
      `export class Checked extends MiddlewareMixin {`,
      `  processRequest(req: string): Pending<void> { return null as never; }`,
      `  processResponse(req: string, res: Response): Promise<Response> & { tag: string } { return null as never; }`,
      `  processView(req: string): ReturnType<typeof loadUser> { return loadUser(req); }`,
      `  processException(req: string): (typeof hooks)["request"] extends () => infer R ? R : never { return Promise.resolve(1); }`,
      `  processTemplateResponse(req: string): Promise<void> | void {}`,
      `}`,
      ``,
      `export class Plain extends MiddlewareMixin {`,
      `  processRequest(req: string): Response | undefined { return undefined; }`,
      `  processResponse(req: string, res: Response): { status: number; then?: never } { return res; }`,
      `  processView(req: string): Response["status"] { return 1; }`,
      `}`,
      ``,
    ].join("\n");
    const r = await read({
      "src/named.ts": text,
      "src/types.ts": `export type Later = Promise<void>;\n`,
      "src/users.ts": `export async function loadUser(id: string) { return { id }; }\n`,
    });
    expect(r.errors).toEqual([]);
    const MAY = "its declared return type is sometimes a promise and sometimes not";
    expect(r.classes.map((c) => [c.name, c.hooks])).toEqual([
      [
        "Named",
        {
          request: req("async", 14),
          response: res("unknown", 15, MAY),
          view: { nature: "async", name: "processView", line: 16 },
          exception: { nature: "sync", name: "processException", line: 17 },
          templateResponse: { nature: "sync", name: "processTemplateResponse", line: 18 },
        },
      ],
      [
        "Checked",
        {
          request: req("async", 22),
          response: res("async", 23),
          view: { nature: "async", name: "processView", line: 24 },
          exception: { nature: "async", name: "processException", line: 25 },
          templateResponse: { nature: "unknown", name: "processTemplateResponse", line: 26, why: MAY },
        },
      ],
      [
        "Plain",
        {
          request: req("sync", 30),
          response: res("sync", 31),
          view: { nature: "sync", name: "processView", line: 32 },
        },
      ],
    ]);
  });

  it("takes `Promise` by its name unless the file declares its own", async () => {
    const r = await read({
      "bluebird.ts": `import { MiddlewareMixin } from "fw";\nimport Promise from "bluebird";\nexport class Library extends MiddlewareMixin {\n  processRequest(req: unknown): Promise<void> { return Promise.resolve(); }\n}\n`,
      "own.ts": `import { MiddlewareMixin } from "fw";\ninterface Promise<T> { done: T }\nexport class Own extends MiddlewareMixin {\n  processRequest(req: unknown): Promise<void> { return { done: undefined }; }\n}\n`,
    });
    expect(r.errors).toEqual([]);
    expect(r.classes.map((c) => [c.name, c.hooks])).toEqual([
      ["Library", { request: req("async", 4) }],
      ["Own", { request: req("sync", 4) }],
    ]);
  });

  it("deeply nested code: a file the parser cannot nest that deep is a per-file error; the others are read", async () => {
    const mw = (name: string, body: string) => `import { MiddlewareMixin } from "fw";\nexport class ${name} extends MiddlewareMixin {\n  processRequest(r: unknown) { ${body} }\n}\n`;
    // Measured in a vitest worker: the parentheses overflow TypeScript's parser from about 1,500
    // levels (1,000 still parse), so 5,000 overflows with a margin of three. The sum is sync by
    // its operator, without the checker (whose time grows with the square of such a chain).
    const N = 5_000;
    const r = await read({
      "deep-parens.ts": mw("Parens", `return ${"(".repeat(N)}1${")".repeat(N)};`),
      "deep-sum.ts": mw("Sum", `return 0${"+1".repeat(N)};`),
      "good.ts": mw("Good", "return;"),
    });
    // In this thread (no worker under vitest) TypeScript's parser overflows on the parentheses.
    expect(r.errors).toEqual([{ file: "deep-parens.ts", message: "nesting too deep to parse (stack overflow)", line: 3, column: 39 }]);
    expect(r.classes.map((c) => [c.name, c.hooks.request?.nature])).toEqual([
      ["Sum", "sync"],
      ["Good", "sync"],
    ]);
  });

  it("a TS hook whose every returned value is plainly not a promise by its operator is sync without the checker", () => {
    const bodies = [
      "return a + b * 2;",
      "return 0" + "+1".repeat(20_000) + ";", // the checker's time grows with the square of this chain
      "if (a) return `t${a}`; return !b;",
      "return a > 1 ? typeof a : void 0;",
      "return (a > 0 && b > 2) ?? -a;",
      "return a in b || a instanceof B;",
      "return (log(a), 1n);",
      // Not plain: the value may be a promise, only the checker can tell.
      "return a;",
      "return a && load(a);",
      "return { then: a };",
      "return (a = load());",
      "if (a) return 1; return load(a);",
    ];
    const ctx = { isTs: true, asyncMethods: new Set<string>(), asyncFunctions: new Set<string>(), aliases: new Map(), plainTypes: new Set<string>(), shadowsPromise: false, imported: new Set<string>() };
    const verdicts = bodies.map((body) => {
      const file = ts.createSourceFile("m.ts", `class M { processRequest(a: any, b: any) { ${body} } }`, ts.ScriptTarget.Latest);
      const method = (file.statements[0] as ts.ClassDeclaration).members[0] as FunctionLike;
      return natureOf(ts, method, ctx);
    });
    expect(verdicts).toEqual([...Array(7).fill({ nature: "sync" }), ...Array(5).fill("infer")]);
  });

  it("reads plain JS hooks by what they return, assigned hooks as unknown, and every flag form", async () => {
    const text = [
      `const { MiddlewareMixin } = require("fw");`,
      `async function audit() {}`,
      `class A extends MiddlewareMixin {`,
      `  processRequest(req) { return fetch(req.url); }`,
      `  processResponse(req, res) { return res; }`,
      `  processView = () => audit();`,
      `  processException = function () { return new Promise((resolve) => resolve()); };`,
      `  processTemplateResponse(r) { return this.render(r).then((x) => x); }`,
      `}`,
      `class B extends MiddlewareMixin {`,
      `  constructor() {`,
      `    super();`,
      `    this.processRequest = helper;`,
      `    this.asyncCapable = false;`,
      `  }`,
      `  processResponse(req, res) { return res.ok ? res : Promise.resolve(res); }`,
      `}`,
      `B.prototype.processView = function () {};`,
      `class C extends MiddlewareMixin {`,
      `  call(req) { return this.getResponse(req); }`,
      `  async acall(req) {}`,
      `  static syncCapable = process.env.SYNC === "1";`,
      `}`,
      `C.asyncCapable = true;`,
      `module.exports = { A, B, C };`,
      ``,
    ].join("\n");
    const got = await classes({ "mw.js": text });
    const at = (needle: string, len: number) => ({ start: text.indexOf(needle), end: text.indexOf(needle) + len });
    expect(got).toEqual([
      {
        name: "A",
        file: "mw.js",
        line: 3,
        bases: [mixin()],
        hooks: {
          request: req("async", 4),
          response: res("sync", 5),
          view: { nature: "async", name: "processView", line: 6 },
          exception: { nature: "async", name: "processException", line: 7 },
          templateResponse: { nature: "async", name: "processTemplateResponse", line: 8 },
        },
        dispatch: {},
        flags: {},
        insertion: ins(lineOf(text, "  processRequest(req) { return fetch")),
      },
      {
        name: "B",
        file: "mw.js",
        line: 10,
        bases: [mixin()],
        hooks: {
          request: req("unknown", 13, "it is assigned in the constructor from `helper`"),
          response: res("async", 16),
          view: { nature: "unknown", name: "processView", line: 18, why: "it is assigned to B.prototype outside the class body (line 18)" },
        },
        dispatch: {},
        flags: { asyncCapable: { value: false, line: 14, via: "instance", valueRange: at("false;\n  }", 5) } },
        insertion: ins(lineOf(text, "  constructor")),
      },
      {
        name: "C",
        file: "mw.js",
        line: 19,
        bases: [mixin()],
        hooks: {},
        dispatch: { call: "sync", acall: "async" },
        flags: {
          syncCapable: { value: null, line: 22, via: "static" },
          asyncCapable: { value: true, line: 24, via: "assignment", valueRange: at("true;\nmodule", 4) },
        },
        insertion: ins(lineOf(text, "  call(req)")),
      },
    ]);
  });

  it("reads flags declared by a literal getter, Object.defineProperty and Object.assign; a declare field is replaced by the declaration", async () => {
    const text = [
      `import { MiddlewareMixin } from "fw";`,
      `export class Getter extends MiddlewareMixin {`,
      `  static get asyncCapable() {`,
      `    return false;`,
      `  }`,
      `}`,
      `export class Defined extends MiddlewareMixin {}`,
      `Object.defineProperty(Defined, "asyncCapable", { value: true, enumerable: true });`,
      `Object.defineProperty(Defined, "syncCapable", { get: () => process.env.SYNC === "1" });`,
      `export class Assigned extends MiddlewareMixin {}`,
      `Object.assign(Assigned, { asyncCapable: false });`,
      `export class Declared extends MiddlewareMixin {`,
      `  // Set by the framework's registry.`,
      `  protected declare static asyncCapable: boolean;`,
      `  processRequest(req: unknown): void {}`,
      `}`,
      ``,
    ].join("\n");
    const got = await classes({ "flags.ts": text });
    const at = (needle: string, value: string) => ({ start: text.indexOf(needle) + needle.indexOf(value), end: text.indexOf(needle) + needle.indexOf(value) + value.length });
    const declareAt = text.indexOf("protected declare");
    expect(got).toEqual([
      {
        name: "Getter",
        file: "flags.ts",
        line: 2,
        bases: [mixin()],
        hooks: {},
        dispatch: {},
        flags: { asyncCapable: { value: false, line: 3, via: "static", valueRange: at("return false;", "false") } },
        insertion: ins(lineOf(text, "  static get")),
      },
      {
        name: "Defined",
        file: "flags.ts",
        line: 7,
        bases: [mixin()],
        hooks: {},
        dispatch: {},
        flags: {
          asyncCapable: { value: true, line: 8, via: "assignment", valueRange: at("value: true", "true") },
          syncCapable: { value: null, line: 9, via: "assignment" },
        },
        insertion: ins(text.indexOf("Defined extends MiddlewareMixin {}") + 33, "\n  ", { trail: "\n" }),
      },
      {
        name: "Assigned",
        file: "flags.ts",
        line: 10,
        bases: [mixin()],
        hooks: {},
        dispatch: {},
        flags: { asyncCapable: { value: false, line: 11, via: "assignment", valueRange: at("asyncCapable: false", "false") } },
        insertion: ins(text.indexOf("Assigned extends MiddlewareMixin {}") + 34, "\n  ", { trail: "\n" }),
      },
      {
        name: "Declared",
        file: "flags.ts",
        line: 12,
        bases: [mixin()],
        hooks: { request: req("sync", 15) },
        dispatch: {},
        flags: {},
        insertion: {
          offset: declareAt,
          lead: "",
          trail: "",
          semicolon: true,
          fieldStyle: "static",
          replace: { length: "protected declare static asyncCapable: boolean;".length, field: "protected static asyncCapable: boolean" },
        },
      },
    ]);
  });

  it("reads hooks added from outside the class body, async generators and abstract hooks", async () => {
    const text = [
      `import { MiddlewareMixin } from "fw";`,
      `import { extras } from "./extras";`,
      `export abstract class Base extends MiddlewareMixin {`,
      `  abstract processRequest(req: unknown): void;`,
      `  abstract processResponse(req: unknown, res: unknown): Promise<unknown>;`,
      `  async *processView() {}`,
      `}`,
      `export class Patched extends MiddlewareMixin {}`,
      `Object.assign(Patched.prototype, { processRequest() {}, label: "x" });`,
      `Object.defineProperty(Patched.prototype, "processView", { value: () => null });`,
      `export class Mixed extends MiddlewareMixin {`,
      `  processRequest(req: unknown): void {}`,
      `}`,
      `Object.assign(Mixed.prototype, extras);`,
      ``,
    ].join("\n");
    const got = await classes({ "outside.ts": text, "extras.ts": `export const extras = {};\n` });
    expect(got.map((c) => [c.name, c.hooks])).toEqual([
      ["Base", { request: req("sync", 4), response: res("async", 5), view: { nature: "unknown", name: "processView", line: 6, why: "it returns an async generator, not a promise" } }],
      [
        "Patched",
        {
          request: req("unknown", 9, "it is added to Patched.prototype by Object.assign outside the class body (line 9)"),
          view: { nature: "unknown", name: "processView", line: 10, why: "it is defined on Patched.prototype by Object.defineProperty outside the class body (line 10)" },
        },
      ],
      [
        "Mixed",
        {
          request: req("unknown", 14, "Mixed.prototype gets members from `extras` by Object.assign outside the class body (line 14)"),
          response: res("unknown", 14, "Mixed.prototype gets members from `extras` by Object.assign outside the class body (line 14)"),
        },
      ],
    ]);
  });

  it("follows the handbook mixin pattern to the mixin, across files; a mixin class with its own hooks is not followed", async () => {
    const tree = {
      "mixins.ts": [
        `type Ctor = new (...args: any[]) => object;`,
        `export function Timestamped<T extends Ctor>(Base: T) {`,
        `  return class extends Base {`,
        `    createdAt = Date.now();`,
        `  };`,
        `}`,
        `export const Tagged = <T extends Ctor>(Base: T) => class extends Base {`,
        `  processRequest(req: unknown): void {}`,
        `};`,
        ``,
      ].join("\n"),
      "mw.ts": [
        `import { MiddlewareMixin } from "fw";`,
        `import { Tagged, Timestamped } from "./mixins";`,
        `function Local<T extends new (...a: any[]) => object>(Base: T) { return class extends Base {}; }`,
        `export class Stamped extends Timestamped(MiddlewareMixin) {}`,
        `export class Twice extends Local(Timestamped(MiddlewareMixin)) {}`,
        `export class TaggedMw extends Tagged(MiddlewareMixin) {}`,
        ``,
      ].join("\n"),
    };
    const r = await read(tree);
    expect(r.errors).toEqual([]);
    expect(r.classes.filter((c) => c.file === "mw.ts").map((c) => [c.name, c.bases])).toEqual([
      ["Stamped", [mixin("Timestamped(MiddlewareMixin)")]],
      ["Twice", [mixin("Local(Timestamped(MiddlewareMixin))")]],
      ["TaggedMw", [{ kind: "unresolved", text: "Tagged(MiddlewareMixin)", reason: "`Tagged(…)` returns a class that defines processRequest" }]],
    ]);
  });

  it("finds plain classes by a flag or an async acall, and ignores a sync acall on a plain class", async () => {
    const text = `export class Own {\n  async acall(req: unknown) {}\n}\nexport class NotMw {\n  acall(): number { return 1; }\n}\nexport class Sub extends Own {}\n`;
    const got = await classes({ "own.ts": text });
    expect(got).toEqual([
      { name: "Own", file: "own.ts", line: 1, bases: [], hooks: {}, dispatch: { acall: "async" }, flags: {}, insertion: ins(lineOf(text, "  async acall")) },
      { name: "Sub", file: "own.ts", line: 7, bases: [{ kind: "class", id: "own.ts:1:Own", text: "Own" }], hooks: {}, dispatch: {}, flags: {}, insertion: ins(text.indexOf("Own {}") + 5, "\n  ", { trail: "\n" }) },
    ]);
  });
});

describe("insertion", () => {
  const one = async (text: string, file = "a.ts") => {
    const r = await read({ [file]: text });
    expect(r.errors).toEqual([]);
    expect(r.classes).toHaveLength(1);
    return r.classes[0].insertion;
  };
  const imp = `import { MiddlewareMixin } from "fw";`;

  it("keeps CRLF and CR line endings", async () => {
    const crlf = `${imp}\r\n\r\nexport class A extends MiddlewareMixin {\r\n    processRequest(req: unknown): void {}\r\n}\r\n`;
    expect(await one(crlf)).toEqual({ offset: lineOf(crlf, "    process"), lead: "    ", trail: "\r\n", semicolon: true, fieldStyle: "static" });
    const cr = `${imp}\r\rexport class A extends MiddlewareMixin {\r  processRequest(req: unknown): void {}\r}\r`;
    expect(await one(cr)).toEqual({ offset: cr.indexOf("  process"), lead: "  ", trail: "\r", semicolon: true, fieldStyle: "static" });
  });

  it("counts a BOM as a character and keeps tabs, inserting above the first member's comment and decorators", async () => {
    const text = `\uFEFF${imp}\nexport class A extends MiddlewareMixin {\n\t/** Reads the session. */\n\t@trace()\n\tprocessRequest(req: unknown): void {}\n}\n`;
    expect(await one(text)).toEqual({ offset: text.indexOf("\t/**"), lead: "\t", trail: "\n", semicolon: true, fieldStyle: "static" });
    const r = await read({ "a.ts": text });
    expect([r.classes[0].line, r.classes[0].column]).toEqual([2, 14]);
  });

  it("inserts below a class-level comment separated by a blank line", async () => {
    const text = `${imp}\nexport class A extends MiddlewareMixin {\n  // Sessions for the admin.\n\n  // The hook.\n  processRequest(req: unknown): void {}\n}\n`;
    expect(await one(text)).toEqual({ offset: text.indexOf("  // The hook."), lead: "  ", trail: "\n", semicolon: true, fieldStyle: "static" });
  });

  it("follows a file without semicolons", async () => {
    const text = `import { MiddlewareMixin } from "fw"\n\nexport class A extends MiddlewareMixin {\n  processRequest(req) {\n    return req\n  }\n}\n`;
    expect(await one(text, "a.js")).toEqual({ offset: lineOf(text, "  processRequest"), lead: "  ", trail: "\n", semicolon: false, fieldStyle: "static" });
  });

  it("follows an instance-field codebase", async () => {
    const r = await read({
      "a.ts": `${imp}\nexport class A extends MiddlewareMixin {\n  asyncCapable = true;\n  async processRequest() {}\n}\n`,
      "b.ts": `${imp}\nexport class B extends MiddlewareMixin {\n  syncCapable = true;\n}\nexport class C extends MiddlewareMixin {\n  static asyncCapable = false;\n}\nexport class D extends MiddlewareMixin {\n  processRequest() {}\n}\n`,
    });
    expect(r.classes.map((c) => [c.name, c.insertion?.fieldStyle])).toEqual([
      ["A", "instance"],
      ["B", "instance"],
      ["C", "instance"],
      ["D", "instance"],
    ]);
  });

  it("opens an empty `{}` onto lines of its own at the class's indentation, inserts inline into `{ }` and indents an empty multi-line body", async () => {
    const text = `${imp}\nclass A extends MiddlewareMixin {}\nclass B extends MiddlewareMixin { }\nclass C extends MiddlewareMixin {\n}\nfunction f() {\n    return class extends MiddlewareMixin {}\n}\n`;
    const r = await read({ "a.ts": text });
    expect(r.classes.map((c) => c.insertion)).toEqual([
      { offset: text.indexOf("{}") + 1, lead: "\n    ", trail: "\n", semicolon: true, fieldStyle: "static" },
      { offset: text.indexOf("{ }") + 2, lead: "", trail: " ", semicolon: true, fieldStyle: "static" },
      { offset: text.indexOf("{\n}") + 2, lead: "    ", trail: "\n", semicolon: true, fieldStyle: "static" },
      { offset: text.lastIndexOf("{}") + 1, lead: "\n        ", trail: "\n    ", semicolon: true, fieldStyle: "static" },
    ]);
  });

  it("without semicolons, keeps one before a first member that would continue the declaration's expression", async () => {
    const members = ["[Symbol.toStringTag] = 'A'", "[key: string]: unknown", "*steps() {}", "in = 1", "static [k] = 1", "async [k]() {}", "get [k]() { return 1 }", "'x'() {}", "@dec [k] = 1", "processRequest() {}"];
    const text = `import { MiddlewareMixin } from 'fw'\nconst k = 'k'\n` + members.map((m, i) => `class A${i} extends MiddlewareMixin {\n  ${m}\n}\n`).join("");
    const r = await read({ "a.ts": text });
    expect(r.classes.map((c) => [c.name, c.insertion?.semicolon])).toEqual(members.map((_, i) => [`A${i}`, i < 4]));
  });
});
