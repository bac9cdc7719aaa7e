// Chain analysis over hand-built ClassNodes (no Python front end): settings reading,
// counts, notes, --backport edits and their idempotence, drawings.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyseChains, chainMermaid, chainText } from "../transforms/lib/django/chains.ts";
import { chainDetails } from "../transforms/lib/django/chain-model.ts";
import { backportEffect } from "../transforms/lib/django/measured.ts";
import { findMiddlewareSettings } from "../transforms/lib/django/settings.ts";
import { applyEdits } from "../transforms/lib/edits/splice.ts";
import type { ClassNode, SourceFile } from "../transforms/lib/model.ts";
import { DEFAULT_STACK, djangoDefaults, fakeProject, node } from "./django/nodes.ts";

function project(files: Record<string, string>): { cwd: string; pyFiles: SourceFile[] } {
  const cwd = mkdtempSync(path.join(tmpdir(), "mwc-chains-"));
  const pyFiles: SourceFile[] = [];
  for (const [file, text] of Object.entries(files)) {
    const absPath = path.join(cwd, file);
    mkdirSync(path.dirname(absPath), { recursive: true });
    writeFileSync(absPath, text);
    if (file.endsWith(".py")) pyFiles.push({ absPath, file, text });
  }
  return { cwd, pyFiles };
}

const list = (entries: string[], indent = "    ") => `[\n${entries.map((e) => `${indent}'${e}',\n`).join("")}]`;
const settingsPy = (entries: string[]) => `import os\n\nDEBUG = True\n\nMIDDLEWARE = ${list(entries)}\n\nROOT_URLCONF = 'mysite.urls'\n`;
const BASE_FILES = { "mysite/__init__.py": "", "manage.py": "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n" };

describe("settings", () => {
  it("reads lists, tuples, +=, append, insert, extend, remove and star-imports", async () => {
    const { pyFiles } = project({
      "conf/__init__.py": "",
      "conf/base.py": "MIDDLEWARE = ('a.A', \"b.B\")\nMIDDLEWARE += ['c.C']\n",
      "conf/dev.py": "from .base import *\nMIDDLEWARE.insert(0, 'd.D')\nMIDDLEWARE.append('e.E')\nMIDDLEWARE.insert(-1, 'f.F')\nMIDDLEWARE.remove('b.B')\n",
      "conf/prod.py": "from conf.base import *\nMIDDLEWARE = MIDDLEWARE + ['g.G']\nMIDDLEWARE.extend(('h.H',))\nif DEBUG:\n    MIDDLEWARE.append('x.X')\n",
      "conf/weird.py": "import os\nMIDDLEWARE = ['a.A', os.environ['MW']]\n",
      "other.py": "x = 'MIDDLEWARE'\n",
    });
    const { settings, errors } = await findMiddlewareSettings(pyFiles);
    expect(errors).toEqual([]);
    expect(settings.map((s) => ({ file: s.file, line: s.line, paths: s.entries.map((e) => e.path ?? `<${e.text}>`), problems: s.problems, notes: s.notes }))).toEqual([
      { file: "conf/base.py", line: 1, paths: ["a.A", "b.B", "c.C"], problems: [], notes: [] },
      { file: "conf/dev.py", line: 2, paths: ["d.D", "a.A", "c.C", "f.F", "e.E"], problems: [], notes: [] },
      {
        file: "conf/prod.py",
        line: 2,
        paths: ["a.A", "b.B", "c.C", "g.G", "h.H"],
        problems: [],
        notes: ["conf/prod.py:4: MIDDLEWARE is changed inside an if block; the chain shows the value without that change."],
      },
      { file: "conf/weird.py", line: 2, paths: ["a.A", "<os.environ['MW']>"], problems: ["conf/weird.py:2: os.environ['MW']"], notes: [] },
    ]);
    // Literal positions point between the quotes, in the file that holds them.
    const dev = settings[1];
    const a = dev.entries[1].literal!;
    expect(a.file).toBe("conf/base.py");
    expect(pyFiles.find((f) => f.file === a.file)!.text.slice(a.start, a.end)).toBe("a.A");
  });
});

async function run(files: Record<string, string>, nodes: ClassNode[], o: { overrides?: [string, boolean][]; backport?: boolean; target?: string } = {}) {
  const p = project(files);
  const r = await analyseChains({
    cwd: p.cwd,
    pyFiles: p.pyFiles,
    project: fakeProject(nodes),
    classes: nodes.filter((n) => n.editable),
    overrides: new Map(o.overrides ?? []),
    target: { version: o.target ?? "3.2", source: "--target" },
    backport: o.backport ?? false,
  });
  return { ...p, ...r };
}

const customSync = node("mysite.middleware.TimingMiddleware", { hooks: { request: "sync" } });
const SHARED_THREAD_NOTE =
  "Django 3.2's ASGI handler gives requests no ThreadSensitiveContext of their own (per-request contexts arrived in Django 4.0): every request's thread-sensitive sync code runs on one shared thread, so a sync block holds that thread for the whole inner part of the request (an async view behind it runs through async_to_sync while the thread waits) and concurrent requests serialize, whereas per-hook hops interleave. Fewer switches pay at low concurrency and may not under high concurrency; measure with your server and load (or upgrade to Django 4.0+).";
const BUILTINS_NOTE = (to: string) =>
  `SecurityMiddleware, SessionMiddleware, CommonMiddleware, CsrfViewMiddleware, AuthenticationMiddleware, MessageMiddleware, XFrameOptionsMiddleware have only sync hooks but Django 3.2 still declares them async-capable (ticket #37177's fix, not in Django 6.1, is expected in 6.2); --backport would bring this chain to ${to} per request to an async view. ${backportEffect("3.2")}`;

describe("analyseChains", () => {
  it("custom sync middleware last: 14 → 2 + 1, with the whole chain object", async () => {
    const entries = [...DEFAULT_STACK, "mysite.middleware.TimingMiddleware"];
    const r = await run({ ...BASE_FILES, "mysite/settings.py": settingsPy(entries) }, [...djangoDefaults(), customSync], { overrides: [[customSync.id, false]] });
    expect(r.errors).toEqual([]);
    expect(r.edits).toEqual([]);
    expect(JSON.parse(JSON.stringify(r.chains))).toEqual([
      {
        file: "mysite/settings.py",
        line: 5,
        setting: "MIDDLEWARE",
        middleware: entries,
        switches: {
          asyncView: { before: { syncToAsync: 14, asyncToSync: 0 }, after: { syncToAsync: 2, asyncToSync: 1 } },
          syncView: { before: { syncToAsync: 15, asyncToSync: 0 }, after: { syncToAsync: 3, asyncToSync: 1 } },
        },
        unresolved: [],
        notes: [SHARED_THREAD_NOTE],
      },
    ]);
    // The drawing details stay out of the JSON but are there for the report.
    expect(Object.keys(r.chains[0])).toEqual(["file", "line", "setting", "middleware", "switches", "unresolved", "notes"]);
    expect(chainDetails(r.chains[0])!.after.steps.map((s) => s.mode)).toEqual(Array(8).fill("sync"));
  });

  it("custom sync middleware first: 14 + 0 → 14 + 1, and the note says what would help", async () => {
    const entries = ["mysite.middleware.TimingMiddleware", ...DEFAULT_STACK];
    const r = await run({ ...BASE_FILES, "mysite/settings.py": settingsPy(entries) }, [...djangoDefaults(), customSync], { overrides: [[customSync.id, false]] });
    expect(r.chains[0].switches).toEqual({
      asyncView: { before: { syncToAsync: 14, asyncToSync: 0 }, after: { syncToAsync: 14, asyncToSync: 1 } },
      syncView: { before: { syncToAsync: 15, asyncToSync: 0 }, after: { syncToAsync: 15, asyncToSync: 1 } },
    });
    expect(r.chains[0].notes).toEqual([
      "This run's edits make this chain worse: per request to an async view 14 sync_to_async + 0 async_to_sync before, 14 sync_to_async + 1 async_to_sync after; to a sync view 15 sync_to_async + 0 async_to_sync before, 15 sync_to_async + 1 async_to_sync after (TimingMiddleware now runs sync between async neighbours, which adds adapters around it). What would help: --backport would make it 2 sync_to_async + 1 async_to_sync (sync-only subclasses of SecurityMiddleware, SessionMiddleware, CommonMiddleware, CsrfViewMiddleware, AuthenticationMiddleware, MessageMiddleware, XFrameOptionsMiddleware); or moving TimingMiddleware to the end of MIDDLEWARE would make it 2 sync_to_async + 1 async_to_sync.",
      BUILTINS_NOTE("2 sync_to_async + 1 async_to_sync"),
      SHARED_THREAD_NOTE,
    ]);
  });

  it("an unreadable entry gives switches null and names it", async () => {
    const entries = ["django.middleware.security.SecurityMiddleware", "somewhere.Missing"];
    const r = await run({ ...BASE_FILES, "mysite/settings.py": settingsPy(entries) }, djangoDefaults());
    expect(JSON.parse(JSON.stringify(r.chains))).toEqual([
      {
        file: "mysite/settings.py",
        line: 5,
        setting: "MIDDLEWARE",
        middleware: entries,
        switches: null,
        unresolved: ["somewhere.Missing"],
        notes: ["To count this chain: install the package that provides `somewhere` in the project's virtualenv (.venv, venv or $VIRTUAL_ENV), or pass --site-packages DIR naming a site-packages folder that has it."],
      },
    ]);
    expect(chainText(r.chains[0])).toBe("mysite/settings.py:5 MIDDLEWARE: not drawn; could not read somewhere.Missing\n");
  });

  it("a class with a base that could not be read is unresolved", async () => {
    const odd = node("mysite.middleware.Odd", { bases: [{ kind: "unresolved", text: "thirdparty.Base", reason: "not installed" }], hooks: { request: "sync" } });
    const r = await run({ ...BASE_FILES, "mysite/settings.py": settingsPy(["mysite.middleware.Odd"]) }, [odd]);
    expect(r.chains[0].switches).toBeNull();
    expect(r.chains[0].unresolved).toEqual(["mysite.middleware.Odd"]);
    expect(r.chains[0].notes).toEqual(["mysite.middleware.Odd: Odd has a base that could not be read (thirdparty.Base)."]);
  });

  it("process_view-only and own-dispatch classes", async () => {
    const viewOnly = node("mysite.middleware.ViewOnly", { hooks: { view: "sync" } });
    const own = node("mysite.middleware.AsyncOwn", { bases: [], syncCapable: false, asyncCapable: true, dispatch: { call: "async" } });
    const r = await run({ ...BASE_FILES, "mysite/settings.py": settingsPy(["mysite.middleware.ViewOnly", "mysite.middleware.AsyncOwn"]) }, [viewOnly, own]);
    expect(r.chains[0].switches).toEqual({
      asyncView: { before: { syncToAsync: 1, asyncToSync: 0 }, after: { syncToAsync: 1, asyncToSync: 0 } },
      syncView: { before: { syncToAsync: 2, asyncToSync: 0 }, after: { syncToAsync: 2, asyncToSync: 0 } },
    });
    expect(r.chains[0].notes).toEqual([]);
  });
});

/** The generated module's lines of a paragraph (84 columns). */
function wrap(text: string): string[] {
  const out: string[] = [];
  for (const word of text.split(" ")) {
    const last = out.length - 1;
    if (last >= 0 && out[last].length + 1 + word.length <= 84) out[last] += ` ${word}`;
    else out.push(word);
  }
  return out;
}

describe("--backport", () => {
  const files = { ...BASE_FILES, "mysite/settings.py": settingsPy(DEFAULT_STACK) };

  it("creates one documented module next to the settings and points the entries at it", async () => {
    const r = await run(files, djangoDefaults(), { backport: true });
    expect(r.chains[0].switches).toEqual({
      asyncView: { before: { syncToAsync: 13, asyncToSync: 0 }, after: { syncToAsync: 2, asyncToSync: 1 } },
      syncView: { before: { syncToAsync: 14, asyncToSync: 0 }, after: { syncToAsync: 3, asyncToSync: 1 } },
    });
    expect(r.chains[0].notes).toEqual([
      `--backport brings this chain from 13 sync_to_async + 0 async_to_sync to 2 sync_to_async + 1 async_to_sync per request to an async view. ${backportEffect("3.2")}`,
      SHARED_THREAD_NOTE,
    ]);
    const settings = r.pyFiles.find((f) => f.file === "mysite/settings.py")!;
    const edited = applyEdits(settings.text, r.edits.filter((e) => e.file === "mysite/settings.py"));
    expect(edited).toBe(settingsPy(DEFAULT_STACK.map((p) => `mysite.sync_middleware.${p.slice(p.lastIndexOf(".") + 1)}`)));
    const created = r.edits.filter((e) => e.create);
    expect(created.map((e) => [e.file, e.offset])).toEqual([["mysite/sync_middleware.py", 0]]);
    // The module and the entries pointing at it are one unit (one item in interactive review).
    expect([...new Set(r.edits.map((e) => e.classId))]).toEqual(["backport:mysite.sync_middleware"]);
    const short = (p: string) => p.slice(p.lastIndexOf(".") + 1);
    expect(created[0].insert).toBe(
      [
        '"""Sync-only versions of middleware that Django 3.2 still declares async-capable.',
        "",
        "Generated by middleware-codemod --backport. MIDDLEWARE in mysite/settings.py points at",
        "the classes below instead of the originals.",
        "",
        "Each class subclasses an upstream middleware whose process_request and",
        "process_response hooks are all synchronous but which inherits",
        "``async_capable = True`` from ``MiddlewareMixin``. Under ASGI Django then runs it",
        "in async mode, and ``MiddlewareMixin.__acall__`` pays one ``sync_to_async`` per",
        "hook on every request. With ``async_capable = False`` Django groups it with its",
        "sync neighbours into one sync block, which switches context once for the whole",
        "block. Django's own fix (ticket #37177; not in Django 6.1, expected in",
        "6.2) makes the same declaration on its built-in middleware: when you",
        "upgrade to a release with it, point MIDDLEWARE back at the originals and delete",
        "this module.",
        "",
        "Before Django 4.0, the ASGI handler gives requests no ThreadSensitiveContext",
        "of their own: the thread-sensitive sync code of every request runs on one shared",
        "thread. A sync block holds that thread for the whole inner part of the request",
        "(an async view behind it runs through async_to_sync while the thread waits), so",
        "concurrent requests serialize behind each other, whereas per-hook hops interleave.",
        "Fewer switches win at low concurrency and may lose under high concurrency:",
        "measure with your own server and load before keeping this module.",
        "",
        ...wrap(backportEffect("3.2")),
        '"""',
        "",
        ...DEFAULT_STACK.map((p) => `from ${p.slice(0, p.lastIndexOf("."))} import ${short(p)} as _${short(p)}`),
        ...DEFAULT_STACK.flatMap((p) => ["", "", `# backport of ${p}`, "# (read from django-builtins)", `class ${short(p)}(_${short(p)}):`, "    async_capable = False"]),
        "",
      ].join("\n"),
    );
  });

  it("is idempotent: entries already pointing at the generated module give no edits", async () => {
    const first = await run(files, djangoDefaults(), { backport: true });
    const settings = first.pyFiles.find((f) => f.file === "mysite/settings.py")!;
    const module = first.edits.find((e) => e.create)!.insert;
    const upstream = djangoDefaults();
    const generated = upstream.map((u) =>
      node(`mysite.sync_middleware.${u.name}`, { bases: [{ kind: "class", id: u.id, text: `_${u.name}` }], asyncCapable: false, file: "mysite/sync_middleware.py", line: module.split("\n").findIndex((l) => l.startsWith(`class ${u.name}(`)) + 1 }),
    );
    const second = await run(
      { ...BASE_FILES, "mysite/settings.py": applyEdits(settings.text, first.edits.filter((e) => e.file === "mysite/settings.py")), "mysite/sync_middleware.py": module },
      [...upstream, ...generated],
      { backport: true },
    );
    expect(second.edits).toEqual([]);
    expect(second.chains[0].switches!.asyncView).toEqual({ before: { syncToAsync: 2, asyncToSync: 1 }, after: { syncToAsync: 2, asyncToSync: 1 } });
  });

  it("with a target that has ticket #37177's fix (6.2) there is nothing to backport for Django's built-ins, and says so", async () => {
    const r = await run(files, djangoDefaults("6.2"), { backport: true, target: "6.2" });
    expect(r.edits).toEqual([]);
    expect(r.chains[0].switches!.asyncView).toEqual({ before: { syncToAsync: 2, asyncToSync: 1 }, after: { syncToAsync: 2, asyncToSync: 1 } });
    expect(r.chains[0].notes).toEqual(["Django 6.2 already declares its built-in sync middleware async_capable = False: nothing to backport for Django's built-ins."]);
  });

  it("appends to an existing generated module and keeps CRLF line endings", async () => {
    const first = await run(files, djangoDefaults(), { backport: true });
    const module = first.edits.find((e) => e.create)!.insert;
    // Keep only the SecurityMiddleware block, as if the list had been shorter on the first run.
    const cut = module.slice(0, module.indexOf("\n\n# backport of django.contrib.sessions") + 1);
    const crlf = (s: string) => s.replace(/\n/g, "\r\n");
    const r = await run({ ...BASE_FILES, "mysite/settings.py": crlf(settingsPy(DEFAULT_STACK)), "mysite/sync_middleware.py": crlf(cut) }, djangoDefaults(), { backport: true });
    const appended = r.edits.filter((e) => e.file === "mysite/sync_middleware.py");
    expect(appended.map((e) => [e.offset, !!e.create])).toEqual([[crlf(cut).length, false]]);
    expect(appended[0].insert.startsWith("\r\n\r\n# backport of django.contrib.sessions.middleware.SessionMiddleware\r\n# (read from django-builtins)\r\nfrom django.contrib.sessions.middleware import SessionMiddleware as _SessionMiddleware\r\n\r\n\r\nclass SessionMiddleware(")).toBe(true);
    expect(appended[0].insert).not.toContain("SecurityMiddleware");
    expect(appended[0].insert).not.toMatch(/[^\r]\n/);
  });
});

describe("drawings", () => {
  it("draws the text and Mermaid diagrams of a chain", async () => {
    const entries = ["django.middleware.csrf.CsrfViewMiddleware", "mysite.middleware.TimingMiddleware"];
    const r = await run({ ...BASE_FILES, "mysite/settings.py": settingsPy(entries) }, [...djangoDefaults(), customSync], { overrides: [[customSync.id, false]] });
    const text = chainText(r.chains[0]);
    expect(text.split("\n")).toEqual([
      "mysite/settings.py:5 MIDDLEWARE",
      "  before                                              after",
      "  ASGI server (async)                                 ASGI server (async)",
      "    |                                                   <> sync_to_async",
      "  CsrfViewMiddleware  async  2 hook hops; view hop    CsrfViewMiddleware  sync   view hop",
      "    |                                                   |",
      "  TimingMiddleware    async  1 hook hop               TimingMiddleware    sync",
      "    |                                                   <> async_to_sync",
      "  view (async: awaited; sync: sync_to_async)          view (async: awaited; sync: sync_to_async)",
      "  async view: 4 sync_to_async + 0 async_to_sync       async view: 2 sync_to_async + 1 async_to_sync",
      "  sync view:  5 sync_to_async + 0 async_to_sync       sync view:  3 sync_to_async + 1 async_to_sync",
      "  <> sync_to_async / async_to_sync: an adapter between two layers, one call per request;",
      "  hook hop: sync_to_async around process_request or process_response in MiddlewareMixin.__acall__;",
      "  view hop: sync_to_async around a sync process_view.",
      "",
    ]);
    expect(chainMermaid(r.chains[0])).toBe(
      [
        "**mysite/settings.py:5 MIDDLEWARE**",
        "",
        "```mermaid",
        "flowchart TB",
        '  subgraph b["before: async view 4 sync_to_async + 0 async_to_sync; sync view 5 sync_to_async + 0 async_to_sync"]',
        "    direction TB",
        '    b_server(["ASGI server · async"])',
        '    b_0["CsrfViewMiddleware<br/>async<br/>process_request, process_response: sync_to_async each<br/>process_view: sync_to_async"]',
        '    b_1["TimingMiddleware<br/>async<br/>process_request: sync_to_async each"]',
        '    b_view(["_get_response_async · async<br/>async view: awaited<br/>sync view: sync_to_async"])',
        "    b_server --> b_0",
        "    b_0 --> b_1",
        "    b_1 --> b_view",
        "  end",
        '  subgraph a["after: async view 2 sync_to_async + 1 async_to_sync; sync view 3 sync_to_async + 1 async_to_sync"]',
        "    direction TB",
        '    a_server(["ASGI server · async"])',
        '    a_0["CsrfViewMiddleware<br/>sync<br/>process_view: sync_to_async"]',
        '    a_1["TimingMiddleware<br/>sync"]',
        '    a_view(["_get_response_async · async<br/>async view: awaited<br/>sync view: sync_to_async"])',
        '    a_server -- "sync_to_async" --> a_0',
        "    a_0 --> a_1",
        '    a_1 -- "async_to_sync" --> a_view',
        "  end",
        "  b ~~~ a",
        "  classDef sync fill:#fdebd0,stroke:#b9770e,color:#000",
        "  classDef async fill:#d6eaf8,stroke:#2471a3,color:#000",
        "  class a_0,a_1 sync",
        "  class b_0,b_1,b_server,b_view,a_server,a_view async",
        "```",
        "",
      ].join("\n"),
    );
  });
});
