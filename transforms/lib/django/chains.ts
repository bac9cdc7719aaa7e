// Chain analysis of Django MIDDLEWARE settings: find each setting, resolve its entries
// through the Python front end, simulate Django's async chain before and after this run's
// edits (and --backport), and explain what the numbers mean.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ClassGraph } from "../graph.ts";
import type { ChainProject, ClassNode, DjangoTarget, Edit, FileError, SourceFile } from "../model.ts";
import { compareVersions } from "../version.ts";
import {
  MODULE_BASENAME,
  PER_REQUEST_CONTEXT_SINCE,
  UPSTREAM_FIX_SINCE,
  chooseBackport,
  classBlock,
  className,
  moduleHeader,
  newModule,
  readGeneratedModule,
} from "./backport.ts";
import { backportEffect } from "./measured.ts";
import { withDetails, type Chain, type ChainState, type SwitchCount } from "./chain-model.ts";
import { findMiddlewareSettings, type MiddlewareSetting, type SettingEntry } from "./settings.ts";
import { ChainError, compareCost, simulate, total, type MiddlewareSpec } from "./simulate.ts";

export { chainMermaid, chainText } from "./diagram.ts";
export { chainDetails } from "./chain-model.ts";

export type { ChainProject };

export interface ChainInput {
  cwd: string;
  pyFiles: SourceFile[];
  /** The Python front end's project; null: entries are not resolved. */
  project: ChainProject | null;
  classes: ClassNode[];
  overrides: ReadonlyMap<string, boolean>;
  target: DjangoTarget | null;
  backport: boolean;
}

interface Resolved {
  entry: SettingEntry;
  node: ClassNode | null;
  /** Why the entry could not be read. */
  why: string | null;
}

interface Work {
  setting: MiddlewareSetting;
  resolved: Resolved[];
  unresolved: string[];
  before: MiddlewareSpec[] | null;
  after: MiddlewareSpec[] | null;
  notes: string[];
  /** Entry indices that --backport may point at a generated class. */
  candidates: number[];
}

export async function analyseChains(input: ChainInput): Promise<{ chains: Chain[]; edits: Edit[]; errors: FileError[] }> {
  const project = input.project;
  const { settings, errors } = await findMiddlewareSettings(input.pyFiles, project ? (f) => project.syntax(f) : undefined);
  const target = input.target?.version ?? null;

  // Resolve every entry first: the graph must hold every class read for any chain.
  const extra = new Map<string, ClassNode>();
  const cache = new Map<string, { node: ClassNode; added: ClassNode[] } | null>();
  const works: Work[] = settings.map((setting) => {
    const resolved = setting.entries.map((entry): Resolved => {
      if (entry.path === null) return { entry, node: null, why: "not a string literal" };
      if (!project) return { entry, node: null, why: "no Python project to resolve it in" };
      if (!cache.has(entry.path)) {
        let r: { node: ClassNode; added: ClassNode[] } | null = null;
        try {
          r = project.resolve(entry.path);
        } catch (e) {
          errors.push({ file: setting.file, message: `resolving ${entry.path}: ${(e as Error).message}` });
        }
        cache.set(entry.path, r);
      }
      const r = cache.get(entry.path)!;
      if (!r) return { entry, node: null, why: "could not be found in the project, Django or the installed packages" };
      for (const n of r.added) extra.set(n.id, n);
      extra.set(r.node.id, r.node);
      return { entry, node: r.node, why: null };
    });
    return { setting, resolved, unresolved: [], before: null, after: null, notes: [...setting.notes], candidates: [] };
  });
  const known = new Map(input.classes.map((c) => [c.id, c]));
  for (const [id, n] of extra) if (!known.has(id)) known.set(id, n);
  const graph = new ClassGraph([...known.values()]);

  for (const w of works) {
    const before: MiddlewareSpec[] = [];
    const after: MiddlewareSpec[] = [];
    w.resolved.forEach((r, i) => {
      if (!r.node) {
        w.unresolved.push(r.entry.path ?? r.entry.text);
        return;
      }
      const b = specOf(graph, r.node, r.entry.path!, undefined);
      const a = specOf(graph, r.node, r.entry.path!, input.overrides);
      if (typeof b === "string" || typeof a === "string") {
        w.unresolved.push(r.entry.path!);
        w.notes.push(`${r.entry.path}: ${typeof b === "string" ? b : a}.`);
        return;
      }
      before.push(b);
      after.push(a);
      w.notes.push(...classNotes(graph, r.node, r.entry.path!, a));
      if (isBackportCandidate(graph, r.node, a)) w.candidates.push(i);
    });
    for (const p of w.setting.problems) w.notes.push(`${p}: not a string literal; the chain cannot be counted.`);
    if (!w.unresolved.length) {
      w.before = before;
      w.after = after;
    } else w.notes.push(...unanalysedNotes(w, input.backport));
  }

  // --backport: choose per chain, then apply one set of rewrites to every chain.
  const edits: Edit[] = [];
  const rewrites = new Map<string, { path: string; node: ClassNode; group: string }>(); // literal key → new dotted path
  const literalKey = (e: SettingEntry) => (e.literal ? `${e.literal.absPath}:${e.literal.start}` : null);
  if (input.backport) {
    const modules = new Map<string, { dir: string; dotted: string; existing: Map<string, string> | null; text: string | null; add: Map<string, { name: string; node: ClassNode }>; settingsFiles: Set<string>; eol: string }>();
    for (const w of works) {
      if (!w.after || !w.candidates.length) continue;
      const usable = w.candidates.filter((i) => w.resolved[i].entry.literal);
      const { chosen } = chooseBackport(w.after, usable);
      if (!chosen.length) continue;
      const dir = path.dirname(path.resolve(w.setting.absPath));
      let mod = modules.get(dir);
      if (!mod) {
        const abs = path.join(dir, `${MODULE_BASENAME}.py`);
        const src = input.pyFiles.find((f) => path.resolve(f.absPath) === abs);
        const text = src ? src.text : existsSync(abs) ? readFileSync(abs, "utf8") : null;
        const existing = text === null ? null : readGeneratedModule(text);
        if (text !== null && !existing) {
          w.notes.push(`--backport: ${rel(input.cwd, abs)} exists and was not generated by this tool; nothing was backported for this chain.`);
          continue;
        }
        const settingsText = input.pyFiles.find((f) => f.absPath === w.setting.absPath)?.text ?? "";
        mod = {
          dir,
          dotted: [packageOf(dir, input.pyFiles), MODULE_BASENAME].filter(Boolean).join("."),
          existing,
          text,
          add: new Map(),
          settingsFiles: new Set(),
          eol: text !== null ? eolOf(text) : eolOf(settingsText),
        };
        modules.set(dir, mod);
      }
      mod.settingsFiles.add(w.setting.file);
      for (const i of chosen) {
        const r = w.resolved[i];
        const key = literalKey(r.entry)!;
        const original = r.entry.path!;
        let name = mod.existing?.get(original) ?? mod.add.get(original)?.name;
        if (!name) {
          const taken = new Set([...(mod.existing?.values() ?? []), ...[...mod.add.values()].map((x) => x.name)]);
          name = className(original, taken);
          mod.add.set(original, { name, node: r.node! });
        }
        const newPath = `${mod.dotted}.${name}`;
        const prior = rewrites.get(key);
        if (prior && prior.path !== newPath) {
          w.notes.push(`--backport: ${original} at ${r.entry.literal!.file}:${r.entry.literal!.line} is shared with another settings module and already points at ${prior.path}.`);
          continue;
        }
        rewrites.set(key, { path: newPath, node: r.node!, group: backportGroup(mod.dotted) });
      }
    }
    // One review unit per generated module: its entries make no sense without it, nor it without them.
    for (const [key, { path: newPath, group }] of rewrites) {
      const [absPath, start] = [key.slice(0, key.lastIndexOf(":")), Number(key.slice(key.lastIndexOf(":") + 1))];
      const lit = works.flatMap((w) => w.resolved.map((r) => r.entry.literal)).find((l) => l && l.absPath === absPath && l.start === start)!;
      edits.push({ file: lit.file, absPath: lit.absPath, offset: lit.start, deleteCount: lit.end - lit.start, insert: newPath, classId: group });
    }
    for (const mod of modules.values()) {
      if (!mod.add.size) continue;
      const abs = path.join(mod.dir, `${MODULE_BASENAME}.py`);
      const classes = [...mod.add].map(([original, { name, node }]) => ({ original, name, origin: originText(node, target) }));
      if (mod.text === null) {
        const header = moduleHeader({ target, settingsFiles: [...mod.settingsFiles].sort(), eol: mod.eol, sharedThread: sharedThread(target) });
        edits.push({ file: rel(input.cwd, abs), absPath: abs, offset: 0, insert: newModule(header, classes, mod.eol), classId: backportGroup(mod.dotted), create: true });
      } else {
        const lead = mod.text.length && !mod.text.endsWith("\n") ? mod.eol : "";
        const blocks = classes.map((c) => classBlock(c, mod.eol, true)).join("");
        edits.push({ file: rel(input.cwd, abs), absPath: abs, offset: mod.text.length, insert: lead + blocks, classId: backportGroup(mod.dotted) });
      }
    }
  }

  const chains: Chain[] = works.map((w) => {
    const middleware = w.setting.entries.map((e) => e.path ?? e.text);
    const chain: Chain = { file: w.setting.file, line: w.setting.line, setting: "MIDDLEWARE", middleware, switches: null, unresolved: w.unresolved, notes: w.notes };
    if (!w.before || !w.after) return chain;
    // The state after this run: this run's declarations, and the backport's rewrites.
    const afterSpecs = w.after.map((s, i) => {
      const key = literalKey(w.resolved[i].entry);
      const rw = key ? rewrites.get(key) : undefined;
      return rw ? { ...s, path: rw.path, asyncCapable: false } : s;
    });
    let before: ChainState;
    let after: ChainState;
    let flipsOnly: ChainState;
    try {
      before = simulate(w.before);
      flipsOnly = simulate(w.after);
      after = simulate(afterSpecs);
    } catch (e) {
      if (!(e instanceof ChainError)) throw e;
      w.notes.push(`${e.message} Django refuses to start with this list.`);
      return chain;
    }
    chain.switches = {
      asyncView: { before: before.counts.asyncView, after: after.counts.asyncView },
      syncView: { before: before.counts.syncView, after: after.counts.syncView },
    };
    w.notes.push(...chainNotes({ work: w, before, flipsOnly, after, target, backport: input.backport, overrides: input.overrides, graph }));
    return withDetails(chain, { before, after, target });
  });
  return { chains, edits, errors };
}

/** What to do about a chain that cannot be counted, and that --backport skipped it. */
function unanalysedNotes(w: Work, backport: boolean): string[] {
  const missing = w.resolved.filter((r) => !r.node && r.entry.path !== null && r.why?.startsWith("could not be found"));
  const packages = [...new Set(missing.map((r) => r.entry.path!.split(".")[0]))];
  const notes: string[] = [];
  if (packages.length)
    notes.push(
      `To count this chain: install the package${packages.length > 1 ? "s" : ""} that provide${packages.length > 1 ? "" : "s"} ${packages.map((p) => `\`${p}\``).join(", ")} in the project's virtualenv (.venv, venv or $VIRTUAL_ENV), or pass --site-packages DIR naming a site-packages folder that has ${packages.length > 1 ? "them" : "it"}.`,
    );
  if (backport) notes.push(`--backport skipped this chain: it could not be counted, so no entry was pointed at a sync-only subclass.`);
  return notes;
}

/** The builder's view of one resolved entry; a string says why it cannot be counted. */
function specOf(graph: ClassGraph, node: ClassNode, dotted: string, overrides: ReadonlyMap<string, boolean> | undefined): MiddlewareSpec | string {
  if (node.kind === "factory") {
    const sync = node.flags.syncCapable?.value;
    const asyn = node.flags.asyncCapable?.value;
    if (sync === null || asyn === null) return `${node.name}'s flags are not literals`;
    return { path: dotted, name: node.name, syncCapable: sync ?? true, asyncCapable: asyn ?? false, body: "own", hopHooks: [], processView: null };
  }
  const bases = graph.unresolvedBases(node);
  if (bases.length) return `${node.name} has a base that could not be read (${bases.map((b) => b.text).join(", ")})`;
  const sync = graph.effectiveFlag(node, "syncCapable");
  const asyn = graph.effectiveFlag(node, "asyncCapable", overrides);
  if (sync.value === null || asyn.value === null)
    return `${node.name}'s ${sync.value === null ? "sync_capable" : "async_capable"} is not a literal (set in ${(sync.value === null ? sync : asyn).declaredIn})`;
  const mixin = graph.mixinOf(node) !== null;
  const dispatch = graph.dispatch(node);
  const body = mixin && !dispatch ? "mixin" : "own";
  const view = graph.hook(node, "view");
  return {
    path: dotted,
    name: node.name,
    syncCapable: sync.value,
    asyncCapable: asyn.value,
    body,
    hopHooks: body === "mixin" ? graph.hopHooks(node).map((h) => h.name) : [],
    processView: view ? (view.nature === "async" ? "async" : "sync") : null,
  };
}

/** Upstream (read-only) mixin classes with only sync hop hooks that still claim async. */
function isBackportCandidate(graph: ClassGraph, node: ClassNode, spec: MiddlewareSpec): boolean {
  if (node.editable || node.kind !== "class") return false;
  if (spec.body !== "mixin" || !spec.asyncCapable || !spec.syncCapable) return false;
  const hops = graph.hopHooks(node);
  return hops.length > 0 && hops.every((h) => h.nature === "sync");
}

function classNotes(graph: ClassGraph, node: ClassNode, dotted: string, spec: MiddlewareSpec): string[] {
  const notes: string[] = [];
  if (node.kind === "class" && spec.body === "mixin") {
    const hops = graph.hopHooks(node);
    const asyncHops = hops.filter((h) => h.nature === "async").map((h) => h.name);
    if (asyncHops.length && spec.asyncCapable)
      notes.push(`${dotted}: ${asyncHops.join(" and ")} ${asyncHops.length > 1 ? "are" : "is"} async def on a MiddlewareMixin subclass: MiddlewareMixin.__acall__ wraps ${asyncHops.length > 1 ? "them" : "it"} in sync_to_async, which raises TypeError under ASGI.`);
    const unknown = hops.filter((h) => h.nature === "unknown").map((h) => h.name);
    if (unknown.length) notes.push(`${dotted}: the nature of ${unknown.join(" and ")} could not be read; counted as sync.`);
  }
  if (node.kind === "class" && spec.body === "own" && graph.mixinOf(node)) {
    const d = graph.dispatch(node);
    if (d && d.acall === undefined && d.call !== "async" && spec.asyncCapable)
      notes.push(`${dotted}: overrides __call__ with a sync method and no __acall__ while declaring itself async-capable; under ASGI its get_response returns a coroutine. Counted as its own dispatch (no switches inside).`);
  }
  const view = graph.hook(node, "view");
  if (view?.nature === "unknown") notes.push(`${dotted}: the nature of ${view.name} could not be read; counted as sync.`);
  return notes;
}

function fmt(c: SwitchCount): string {
  return `${c.syncToAsync} sync_to_async + ${c.asyncToSync} async_to_sync`;
}

function sharedThread(target: string | null): boolean {
  return target !== null && compareVersions(target, PER_REQUEST_CONTEXT_SINCE) < 0;
}

function chainNotes(o: {
  work: Work;
  before: ChainState;
  flipsOnly: ChainState;
  after: ChainState;
  target: string | null;
  backport: boolean;
  overrides: ReadonlyMap<string, boolean>;
  graph: ClassGraph;
}): string[] {
  const { work: w, before, flipsOnly, after, target } = o;
  const notes: string[] = [];
  const worse = (a: ChainState, b: ChainState) => total(a.counts.asyncView) > total(b.counts.asyncView) || total(a.counts.syncView) > total(b.counts.syncView);
  const flipped = w.resolved
    .filter((r) => r.node && o.graph.effectiveFlag(r.node, "asyncCapable").value !== o.graph.effectiveFlag(r.node, "asyncCapable", o.overrides).value)
    .map((r) => r.entry.path!);
  const upstreamFixed = target !== null && compareVersions(target, UPSTREAM_FIX_SINCE) >= 0;

  // What --backport would give (for advice when it was not asked for).
  const usable = w.candidates.filter((i) => w.resolved[i].entry.literal);
  const wouldBackport = usable.length ? chooseBackport(w.after!, usable) : null;

  if (worse(flipsOnly, before)) {
    const names = flipped.map(short).join(", ");
    const help: string[] = [];
    if (wouldBackport?.chosen.length && compareCost(wouldBackport.state, before) < 0)
      help.push(`--backport would make it ${fmt(wouldBackport.state.counts.asyncView)} (sync-only subclasses of ${wouldBackport.chosen.map((i) => short(w.resolved[i].entry.path!)).join(", ")})`);
    const order = bestOrder(w.after!, flipped);
    if (order && compareCost(order.state, flipsOnly) < 0)
      help.push(`moving ${short(order.moved)} ${order.where} would make it ${fmt(order.state.counts.asyncView)}`);
    notes.push(
      `This run's edits make this chain worse: per request to an async view ${fmt(before.counts.asyncView)} before, ${fmt(flipsOnly.counts.asyncView)} after` +
        `${total(flipsOnly.counts.syncView) > total(before.counts.syncView) ? `; to a sync view ${fmt(before.counts.syncView)} before, ${fmt(flipsOnly.counts.syncView)} after` : ""}` +
        ` (${names || "a flipped class"} now ${flipped.length > 1 ? "run" : "runs"} sync between async neighbours, which adds adapters around ${flipped.length > 1 ? "them" : "it"}).` +
        (help.length ? ` What would help: ${help.join("; or ")}.` : " Moving the sync-only middleware next to the other sync ones (innermost, at the end of the list) groups them into one block."),
    );
  }

  const builtinsAsync = w.candidates.filter((i) => w.resolved[i].node?.origin?.package.toLowerCase() === "django");
  if (!o.backport) {
    if (wouldBackport?.chosen.length && compareCost(wouldBackport.state, after) < 0 && builtinsAsync.length)
      notes.push(
        `${builtinsAsync.map((i) => short(w.resolved[i].entry.path!)).join(", ")} ${builtinsAsync.length > 1 ? "have" : "has"} only sync hooks but Django ${target ?? ""} still declares ${builtinsAsync.length > 1 ? "them" : "it"} async-capable`.replace("Django  ", "Django ") +
          ` (ticket #37177's fix, not in Django 6.1, is expected in ${UPSTREAM_FIX_SINCE}); --backport would bring this chain to ${fmt(wouldBackport.state.counts.asyncView)} per request to an async view. ${backportEffect(target)}`,
      );
  } else {
    if (compareCost(after, flipsOnly) < 0) notes.push(`--backport brings this chain from ${fmt(flipsOnly.counts.asyncView)} to ${fmt(after.counts.asyncView)} per request to an async view. ${backportEffect(target)}`);
    if (upstreamFixed) notes.push(`Django ${target} already declares its built-in sync middleware async_capable = False: nothing to backport for Django's built-ins.`);
    if (worse(after, flipsOnly)) notes.push(`--backport makes this chain worse than this run's declarations alone (${fmt(flipsOnly.counts.asyncView)} → ${fmt(after.counts.asyncView)}): a shared literal was rewritten for another settings module.`);
  }

  // Django 3.1/3.2: one shared thread for every request's thread-sensitive code.
  const block = (s: ChainState) => s.steps.some((st) => st.mode === "sync");
  if (sharedThread(target) && (block(after) || (!o.backport && wouldBackport?.chosen.length))) {
    notes.push(
      `Django ${target}'s ASGI handler gives requests no ThreadSensitiveContext of their own (per-request contexts arrived in Django ${PER_REQUEST_CONTEXT_SINCE}): ` +
        `every request's thread-sensitive sync code runs on one shared thread, so a sync block holds that thread for the whole inner part of the request (an async view behind it runs through async_to_sync while the thread waits) and concurrent requests serialize, ` +
        `whereas per-hook hops interleave. Fewer switches pay at low concurrency and may not under high concurrency; measure with your server and load (or upgrade to Django ${PER_REQUEST_CONTEXT_SINCE}+).`,
    );
  }
  return notes;
}

/** The best single move of a flipped (now sync) class to another position. */
function bestOrder(specs: MiddlewareSpec[], flipped: string[]): { moved: string; where: string; state: ChainState } | null {
  let best: { moved: string; where: string; state: ChainState } | null = null;
  for (const p of flipped) {
    const from = specs.findIndex((s) => s.path === p);
    if (from < 0) continue;
    for (let to = 0; to < specs.length; to++) {
      if (to === from) continue;
      const list = specs.filter((_, i) => i !== from);
      list.splice(to, 0, specs[from]);
      let state: ChainState;
      try {
        state = simulate(list);
      } catch {
        continue;
      }
      if (!best || compareCost(state, best.state) < 0) {
        const where = to === specs.length - 1 ? "to the end of MIDDLEWARE" : to === 0 ? "to the start of MIDDLEWARE" : `before ${short(list[to + 1].path)}`;
        best = { moved: p, where, state };
      }
    }
  }
  return best;
}

function short(dotted: string): string {
  return dotted.slice(dotted.lastIndexOf(".") + 1);
}

function rel(cwd: string, abs: string): string {
  return path.relative(cwd, abs).split(path.sep).join("/");
}

function eolOf(text: string): string {
  return /\r\n/.test(text) ? "\r\n" : "\n";
}

function originText(node: ClassNode, target: string | null): string {
  if (!node.origin) return `read from ${node.file}`;
  const { package: pkg, version, source } = node.origin;
  const label = `${pkg.toLowerCase() === "django" ? "Django" : pkg} ${version ?? (pkg.toLowerCase() === "django" ? (target ?? "") : "")}`.trim();
  if (!source) return label;
  return source.toLowerCase().startsWith(pkg.toLowerCase()) ? `read from ${source}` : `${label}, read from ${source}`;
}

/**
 * The dotted package of a folder: from DJANGO_SETTINGS_MODULE values in the project
 * (manage.py, asgi.py, wsgi.py) that name a module in it, else from `__init__.py` files.
 */
function packageOf(dir: string, pyFiles: SourceFile[]): string {
  const re = /DJANGO_SETTINGS_MODULE['"]?\s*[,:=]\s*['"]([\w.]+)['"]/g;
  for (const f of pyFiles) {
    for (let m = re.exec(f.text); m; m = re.exec(f.text)) {
      const dotted = m[1];
      const parts = dotted.split(".");
      for (const [file, pkg] of [
        [path.join(...parts) + ".py", parts.slice(0, -1)],
        [path.join(...parts, "__init__.py"), parts],
      ] as [string, string[]][]) {
        const hit = pyFiles.find((p) => path.resolve(p.absPath).endsWith(path.sep + file));
        if (hit && path.dirname(path.resolve(hit.absPath)) === dir) return pkg.join(".");
      }
    }
  }
  const parts: string[] = [];
  let d = dir;
  while (existsSync(path.join(d, "__init__.py"))) {
    parts.unshift(path.basename(d));
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return parts.join(".");
}

function backportGroup(moduleDotted: string): string {
  return `backport:${moduleDotted}`;
}
