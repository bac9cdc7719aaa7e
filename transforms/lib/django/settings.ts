// Finds each settings module's MIDDLEWARE: a module-level list or tuple of string
// literals, changed by `+=`, `= MIDDLEWARE + [...]`, `.append`, `.insert`, `.extend`,
// `.remove`, and inherited through `from <module> import *` (a settings module that
// star-imports another and reassigns or extends). The statements of a module-level `try:`
// body are followed (the usual `from .local import *` fallback); `if`/`for`/`with`
// blocks are not, and a note says so.
import path from "node:path";
import type { Node } from "web-tree-sitter";
import type { FileError, SourceFile } from "../model.ts";
import { parsePython } from "./python-parser.ts";

export const SETTING = "MIDDLEWARE";

/** Where an entry's string literal stands: the characters between the quotes. */
export interface EntryLiteral {
  file: string;
  absPath: string;
  /** Index of the first character inside the quotes (into `SourceFile.text`). */
  start: number;
  /** Index just after the last character inside the quotes. */
  end: number;
  line: number;
}

export interface SettingEntry {
  /** The dotted path, or null when the element is not a string literal. */
  path: string | null;
  /** The element's source text (for reports when `path` is null). */
  text: string;
  /** The literal, when it can be rewritten in place (a plain one-part string). */
  literal: EntryLiteral | null;
}

export interface MiddlewareSetting {
  file: string;
  absPath: string;
  /** The line of the statement that last assigned MIDDLEWARE in this module (else the first that changed it). */
  line: number;
  entries: SettingEntry[];
  /** Parts of the value that could not be read (a non-literal expression, an unknown method). */
  problems: string[];
  notes: string[];
}

interface ModuleState {
  value: SettingEntry[] | null;
  /** The module itself assigns or changes MIDDLEWARE. */
  own: boolean;
  line: number | null;
  problems: string[];
  notes: string[];
}

/** A file that may assign the setting (its syntax tree is kept from the front end's parse for this reader). */
export function mayHoldSetting(f: SourceFile): boolean {
  return f.text.includes(SETTING);
}

/** `syntax`: a file's tree, parsed once per run (the front end's, when it parsed the file). */
export async function findMiddlewareSettings(
  pyFiles: SourceFile[],
  syntax: (f: SourceFile) => Promise<Node> = async (f) => (await parsePython(f.text)).rootNode,
): Promise<{ settings: MiddlewareSetting[]; errors: FileError[] }> {
  const byAbs = new Map(pyFiles.map((f) => [path.resolve(f.absPath), f]));
  const errors: FileError[] = [];
  const trees = new Map<string, Node | null>();
  const states = new Map<string, ModuleState | "busy">();

  const rootOf = async (f: SourceFile): Promise<Node | null> => {
    if (trees.has(f.absPath)) return trees.get(f.absPath)!;
    let root: Node | null = null;
    try {
      root = await syntax(f);
    } catch (e) {
      errors.push({ file: f.file, message: `could not parse: ${(e as Error).message}` });
    }
    trees.set(f.absPath, root);
    return root;
  };

  const evaluate = async (f: SourceFile): Promise<ModuleState | null> => {
    const known = states.get(f.absPath);
    if (known === "busy") return null; // star-import cycle
    if (known) return known;
    states.set(f.absPath, "busy");
    const state: ModuleState = { value: null, own: false, line: null, problems: [], notes: [] };
    const root = await rootOf(f);
    if (root) await runBlock(root.namedChildren.filter((n): n is Node => !!n), f, state);
    states.set(f.absPath, state);
    return state;
  };

  const runBlock = async (statements: Node[], f: SourceFile, state: ModuleState): Promise<void> => {
    for (const st of statements) {
      if (st.type === "import_from_statement" && st.namedChildren.some((c) => c?.type === "wildcard_import")) {
        const target = resolveImport(st, f, byAbs);
        if (!target) continue;
        const imported = await evaluate(target);
        if (imported?.value) {
          state.value = imported.value.map((e) => ({ ...e }));
          state.problems = [...imported.problems];
        }
        continue;
      }
      if (st.type === "try_statement") {
        const body = st.childForFieldName("body");
        if (body) await runBlock(body.namedChildren.filter((n): n is Node => !!n), f, state);
        continue;
      }
      if (st.type === "if_statement" || st.type === "for_statement" || st.type === "while_statement" || st.type === "with_statement") {
        if (mentions(st, SETTING) && (state.value || state.own))
          state.notes.push(`${f.file}:${line(st)}: ${SETTING} is changed inside a${st.type === "if_statement" ? "n if" : " " + st.type.replace("_statement", "")} block; the chain shows the value without that change.`);
        continue;
      }
      if (st.type !== "expression_statement") continue;
      const expr = st.namedChildren[0];
      if (!expr) continue;
      if (expr.type === "assignment") {
        const left = expr.childForFieldName("left");
        const right = expr.childForFieldName("right");
        if (!left || left.type !== "identifier" || left.text !== SETTING || !right) continue;
        state.value = evalList(right, f, state);
        state.own = true;
        state.line = line(st);
      } else if (expr.type === "augmented_assignment") {
        const left = expr.childForFieldName("left");
        const op = expr.childForFieldName("operator");
        const right = expr.childForFieldName("right");
        if (!left || left.text !== SETTING || !right) continue;
        if (op?.text !== "+=") {
          state.problems.push(`${f.file}:${line(st)}: ${st.text}`);
          continue;
        }
        const added = evalList(right, f, state);
        state.value = [...(state.value ?? unknownBase(f, st, state)), ...added];
        markChanged(state, st);
      } else if (expr.type === "call") {
        const fn = expr.childForFieldName("function");
        if (fn?.type !== "attribute" || fn.childForFieldName("object")?.text !== SETTING) continue;
        const method = fn.childForFieldName("attribute")?.text ?? "";
        const args = (expr.childForFieldName("arguments")?.namedChildren ?? []).filter((n): n is Node => !!n);
        const list = state.value ?? unknownBase(f, st, state);
        state.value = list;
        markChanged(state, st);
        if (method === "append" && args.length === 1) list.push(element(args[0], f, state));
        else if (method === "extend" && args.length === 1) list.push(...evalList(args[0], f, state));
        else if (method === "insert" && args.length === 2 && intValue(args[0]) !== null) {
          let i = intValue(args[0])!;
          if (i < 0) i = Math.max(0, list.length + i);
          list.splice(Math.min(i, list.length), 0, element(args[1], f, state));
        } else if (method === "remove" && args.length === 1) {
          const gone = element(args[0], f, state);
          const at = list.findIndex((e) => e.path !== null && e.path === gone.path);
          if (at >= 0) list.splice(at, 1);
          else state.problems.push(`${f.file}:${line(st)}: ${st.text} (not in the list)`);
        } else state.problems.push(`${f.file}:${line(st)}: ${st.text}`);
      }
    }
  };

  const settings: MiddlewareSetting[] = [];
  for (const f of pyFiles) {
    if (!mayHoldSetting(f)) continue;
    const state = await evaluate(f);
    if (!state || !state.own || !state.value) continue;
    settings.push({
      file: f.file,
      absPath: f.absPath,
      line: state.line ?? 1,
      entries: state.value,
      problems: state.problems,
      notes: state.notes,
    });
  }
  settings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { settings, errors };
}

function markChanged(state: ModuleState, st: Node): void {
  if (!state.own) state.line = line(st);
  state.own = true;
}

function unknownBase(f: SourceFile, st: Node, state: ModuleState): SettingEntry[] {
  state.problems.push(`${f.file}:${line(st)}: ${SETTING} is changed before it is defined in this module or a star-imported one`);
  return [];
}

function line(n: Node): number {
  return n.startPosition.row + 1;
}

function mentions(n: Node, name: string): boolean {
  if (n.type === "identifier" && n.text === name) return true;
  for (const c of n.namedChildren) if (c && mentions(c, name)) return true;
  return false;
}

function intValue(n: Node): number | null {
  if (n.type === "integer" && /^\d+$/.test(n.text)) return parseInt(n.text, 10);
  if (n.type === "unary_operator" && n.text.startsWith("-")) {
    const arg = n.childForFieldName("argument");
    const v = arg ? intValue(arg) : null;
    return v === null ? null : -v;
  }
  return null;
}

/** A list value: a list or tuple display, `+` of lists, `list(...)`/`tuple(...)`, or MIDDLEWARE itself. */
function evalList(n: Node, f: SourceFile, state: ModuleState): SettingEntry[] {
  switch (n.type) {
    case "parenthesized_expression": {
      const inner = n.namedChildren.find((c) => c && c.type !== "comment");
      return inner ? evalList(inner, f, state) : [];
    }
    case "list":
    case "tuple": {
      const out: SettingEntry[] = [];
      for (const c of n.namedChildren) {
        if (!c || c.type === "comment") continue;
        if (c.type === "list_splat") {
          const inner = c.namedChildren[0];
          if (inner) out.push(...evalList(inner, f, state));
          continue;
        }
        out.push(element(c, f, state));
      }
      return out;
    }
    case "binary_operator": {
      const op = n.childForFieldName("operator")?.text;
      const l = n.childForFieldName("left");
      const r = n.childForFieldName("right");
      if (op === "+" && l && r) return [...evalList(l, f, state), ...evalList(r, f, state)];
      break;
    }
    case "identifier":
      if (n.text === SETTING && state.value) return state.value.map((e) => ({ ...e }));
      break;
    case "call": {
      const fn = n.childForFieldName("function")?.text;
      const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== "comment");
      if ((fn === "list" || fn === "tuple") && args.length === 1) return evalList(args[0], f, state);
      break;
    }
  }
  state.problems.push(`${f.file}:${line(n)}: ${n.text}`);
  return [{ path: null, text: n.text, literal: null }];
}

/** One element: a string literal (rewritable when it is a plain one-part string). */
function element(n: Node, f: SourceFile, state: ModuleState): SettingEntry {
  if (n.type === "string") {
    const parts = n.namedChildren.filter((c): c is Node => !!c);
    const start = parts.find((c) => c.type === "string_start");
    const end = parts.find((c) => c.type === "string_end");
    const middle = parts.filter((c) => c.type !== "string_start" && c.type !== "string_end");
    const prefix = start?.text.replace(/['"]/g, "").toLowerCase() ?? "";
    if (start && end && middle.every((c) => c.type === "string_content") && !prefix.includes("f") && !prefix.includes("b")) {
      const value = f.text.slice(start.endIndex, end.startIndex);
      return {
        path: value,
        text: n.text,
        literal: { file: f.file, absPath: f.absPath, start: start.endIndex, end: end.startIndex, line: line(n) },
      };
    }
  }
  if (n.type === "concatenated_string") {
    const parts = n.namedChildren.filter((c): c is Node => !!c && c.type === "string").map((c) => element(c, f, state));
    if (parts.every((p) => p.path !== null)) return { path: parts.map((p) => p.path).join(""), text: n.text, literal: null };
  }
  state.problems.push(`${f.file}:${line(n)}: ${n.text}`);
  return { path: null, text: n.text, literal: null };
}

/** The module a `from X import *` names, among the scanned files. */
function resolveImport(st: Node, f: SourceFile, byAbs: Map<string, SourceFile>): SourceFile | null {
  const mod = st.childForFieldName("module_name");
  if (!mod) return null;
  const text = mod.text.replace(/\s+/g, "");
  if (mod.type === "relative_import" || text.startsWith(".")) {
    const dots = /^\.+/.exec(text)![0].length;
    let dir = path.dirname(path.resolve(f.absPath));
    for (let i = 1; i < dots; i++) dir = path.dirname(dir);
    const rest = text.slice(dots);
    const base = rest ? path.join(dir, ...rest.split(".")) : dir;
    return byAbs.get(base + ".py") ?? byAbs.get(path.join(base, "__init__.py")) ?? null;
  }
  // Absolute: the scanned file whose path ends with the dotted name (nearest to the importer first).
  const parts = text.split(".");
  const suffixes = [path.join(...parts) + ".py", path.join(...parts, "__init__.py")];
  let best: SourceFile | null = null;
  let bestScore = -1;
  const here = path.resolve(f.absPath).split(path.sep);
  for (const [abs, file] of byAbs) {
    if (!suffixes.some((s) => abs.endsWith(path.sep + s))) continue;
    const there = abs.split(path.sep);
    let common = 0;
    while (common < here.length && common < there.length && here[common] === there[common]) common++;
    if (common > bestScore) {
      best = file;
      bestScore = common;
    }
  }
  return best;
}
