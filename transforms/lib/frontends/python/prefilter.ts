// The textual pre-filter: which Python files are worth parsing. A class is middleware only
// through a class of its MRO (the mixin, a flag, an async dispatch) or, with a base the
// resolver cannot read, through its own hooks or `__init__(self, get_response)`. So a file is
// parsed when it defines a flag-decorated factory, or when one of its classes says so in its
// own block, or has a base (or a class decorator) that can be bound, the way the resolver binds
// names, to a class that does, or whose bases do, and so on up. Binding is followed by text
// alone and errs on the side of parsing: every binding of a name counts (branches, fallbacks,
// nested scopes, later rebinding), star imports are always tried, and what is not read here
// (installed packages, project modules outside the scan, a header or a block that does not
// scan cleanly) counts as leading. Files an import needs are parsed on demand anyway.
import path from "node:path";
import type { SourceFile } from "../../model.ts";
import { resolveRelative, type ModuleIndex } from "./modules.ts";
import { parseable } from "./parser.ts";

const HOOK = "process_(?:request|response|view|exception|template_response)";
/**
 * What makes a class middleware in its own block, as the resolver reads it: a flag or a hook
 * assigned or defined (not one read from another object), an async dispatch,
 * `__init__(self, get_response)`, being the mixin; before a class, a flag decorator.
 */
const SIGNS = new RegExp(
  `\\b(?:async|sync)_capable[ \\t\\f]*(?:,|(?::[^=\\n]*)?=(?!=))|\\bdef[\\s\\\\]+${HOOK}\\b|\\b${HOOK}[ \\t\\f]*(?::[^=\\n]*)?=(?!=)|__acall__|async[\\s\\\\]+def[\\s\\\\]+__call__|__init__[\\s\\\\]*\\([^)]*get_response|\\bclass[\\s\\\\]+MiddlewareMixin\\b|(?:sync_only|async_only|sync_and_async)_middleware`,
);
const SIGNS_ALL = new RegExp(SIGNS.source, "g");
/** A quicker test that every text matching SIGNS or FLAG_MENTION passes. */
const MAYBE_SIGNS = /_capable|process_|__acall__|__call__|get_response|MiddlewareMixin|_middleware/;
/** A flag decorator: on a function, a factory; on a class, its flags. */
const FACTORY = /(?:sync_only|async_only|sync_and_async)_middleware/;
/** A flag named anywhere: set after a class (`Cls.async_capable = …`, `setattr`), or by a decorator's code. */
const FLAG_MENTION = /\b(?:async|sync)_capable\b/;
const FLAG_MENTION_ALL = new RegExp(FLAG_MENTION.source, "g");
// Identifiers: ASCII and any other character but a byte-order mark.
const ID = "[A-Za-z_\\u0080-\\ufefe\\uff00-\\uffff][\\w\\u0080-\\ufefe\\uff00-\\uffff]*";
const WS = "[ \\t\\f]*";
const DOTTED = `${ID}(?:${WS}\\.${WS}${ID})*`;
const CLASS_KEYWORD = /^\uFEFF?[ \t\f]*class\b/m;
// Only a plain dotted name on the right binds an alias; anything else is computed at run time.
// The same wherever a statement starts: a line's start, after `;` or after a `:`.
const ASSIGN_ALL = new RegExp(`(?:^\\uFEFF?|[;:])${WS}(${ID})${WS}(?::[^=\\n;]*)?=${WS}(${DOTTED})${WS}(?=[;#\\r\\n]|$)`, "gm");
const ASSIGN_AT = new RegExp(`(${ID})${WS}(?::[^=\\n;]*)?=${WS}(${DOTTED})${WS}(?=[;#\\r\\n]|$)`, "y");
// What the resolver reads as a flag set after a class: `Name.async_capable = …`, `setattr(Name, "async_capable", …)`.
const FLAG_ATTRIBUTE = new RegExp(`(${ID})\\s*\\.\\s*$`);
const FLAG_SETATTR = new RegExp(`setattr\\s*\\(\\s*(?:#[^\\n]*\\n\\s*)*(${ID})\\s*(?:#[^\\n]*\\n\\s*)*,\\s*(?:#[^\\n]*\\n\\s*)*[rRuUbBfF]{0,2}["']$`);
const MAX_DEPTH = 1000;

type Binding =
  | { kind: "module"; module: string }
  | { kind: "from"; module: string; name: string }
  | { kind: "alias"; chain: string[] }
  | { kind: "block"; block: Block };

/** A `class` or `def` statement. */
interface Block {
  kind: "class" | "def";
  name: string;
  /** Where the keyword is. */
  start: number;
  /** A class's dotted names in the parentheses (bases, metaclass, keywords); null when the header does not scan. */
  names: string[][] | null;
  /** The decorators since the previous `class` or `def`. */
  decorators: string[][];
}

interface ModuleScan {
  text: string;
  joined: string;
  bindings: Map<string, Binding[]>;
  stars: string[];
  classes: Block[];
  blocks: Block[];
  /** Where each block ends; null when the text does not scan cleanly. Computed on first use. */
  ends?: Map<Block, number> | null;
  /** Answers about the names this module binds (see `decide`). */
  memo: Map<string, boolean>;
  /** `name = a.b` bindings, by name, as asked for (see `aliasesOf`). */
  aliases: Map<string, Binding[]>;
  allAliases?: Map<string, Binding[]>;
  /** Classes whose own text may make them (or their subclasses) middleware. Computed on first use. */
  intrinsic?: Set<Block> | "all";
}

/** As a base, a name leads when it is a class that leads; as a class decorator, when it is a function or class whose code names a flag. */
type Use = "base" | "decorator";

/** The files worth parsing (see above); no class of any other file can be middleware, and none has a factory. */
export function filesWorthParsing(files: SourceFile[], index: ModuleIndex, externalLeads: (mod: string) => boolean): Set<SourceFile> {
  const byModule = new Map<string, SourceFile>();
  for (const f of files) {
    const mod = index.nameOf.get(f.absPath);
    if (mod) byModule.set(mod, f);
  }
  const scanned = (mod: string) => index.byName.get(mod) ?? byModule.get(mod);
  const scans = new Map<SourceFile, ModuleScan>();
  const scanOf = (f: SourceFile) => {
    let s = scans.get(f);
    // A file without a module name is read as the resolver reads it: named after itself.
    if (!s) scans.set(f, (s = scanModule(f, index.nameOf.get(f.absPath) ?? path.basename(f.absPath, ".py"))));
    return s;
  };

  const inProgress = new Map<Map<string, boolean>, Map<string, number>>();
  let depth = 0;
  let lowest = Infinity;
  /** Memoised per module and cycle-safe: a question met again while it is being answered adds nothing on that path. */
  const decide = (s: ModuleScan, key: string, compute: () => boolean): boolean => {
    const known = s.memo.get(key);
    if (known !== undefined) return known;
    let open = inProgress.get(s.memo);
    if (!open) inProgress.set(s.memo, (open = new Map()));
    const at = open.get(key);
    if (at !== undefined) {
      lowest = Math.min(lowest, at);
      return false;
    }
    if (depth > MAX_DEPTH) return true;
    const mine = depth++;
    open.set(key, mine);
    const saved = lowest;
    lowest = Infinity;
    const r = compute();
    open.delete(key);
    depth--;
    // A "no" that relied on an unfinished outer question is not final.
    if (r || lowest >= mine) s.memo.set(key, r);
    lowest = Math.min(saved, lowest >= mine ? Infinity : lowest);
    return r;
  };

  /** `mod.parts…`: a module's attribute (or submodule) chain. */
  const inModule = (mod: string, parts: string[], use: Use): boolean => {
    const f = scanned(mod);
    if (f) return inFile(f, parts, use);
    if (!parts.length) return false; // a module is no class
    const top = mod.split(".")[0];
    const sub = () => inModule(`${mod}.${parts[0]}`, parts.slice(1), use);
    // Django outside the scan comes from the version table: its middleware and mixin paths all say so.
    if (top === "django") return /middleware/i.test(`${mod}.${parts.join(".")}`) || (index.has(`${mod}.${parts[0]}`) && sub());
    if (STDLIB.has(top)) return false;
    if (index.onDisk(mod) !== null || externalLeads(mod)) return true; // not read here: unknown
    if (index.has(`${mod}.${parts[0]}`)) return sub(); // a namespace package
    return false;
  };

  /** A dotted name as the module `f` binds it. */
  const inFile = (f: SourceFile, parts: string[], use: Use): boolean => {
    if (!parts.length) return false;
    const s = scanOf(f);
    return decide(s, `${use === "base" ? "" : "@"}${parts.join(".")}`, () => {
      const [name, ...rest] = parts;
      const direct = s.bindings.get(name);
      const aliases = aliasesOf(s, name);
      const all = direct ? (aliases.length ? [...direct, ...aliases] : direct) : aliases;
      for (const b of all) {
        switch (b.kind) {
          case "module":
            if (rest.length && inModule(b.module, rest, use)) return true;
            break;
          case "from":
            if (inModule(b.module, [b.name, ...rest], use)) return true;
            break;
          case "alias":
            // `X = X` adds nothing to X's other bindings; `X = X.y` rebinds through an earlier X:
            // not followed, counted as leading.
            if (b.chain[0] === name ? b.chain.length > 1 : inFile(f, [...b.chain, ...rest], use)) return true;
            break;
          case "block":
            // An attribute of a class or function is never resolved; a function as a base is unresolved.
            if (rest.length) break;
            if (use === "decorator" ? mentionsFlag(s, b.block) : b.block.kind === "class" && classLeads(f, s, b.block)) return true;
            break;
        }
      }
      for (const star of s.stars) if (inModule(star, parts, use)) return true;
      // A submodule (a module is no class: only as the head of a longer name), where the name is
      // not bound, or of a package (a plain module's submodule would need a folder of its name).
      const own = index.nameOf.get(f.absPath);
      if (!own || !rest.length || (all.length && path.basename(f.absPath) !== "__init__.py")) return false;
      const sub = `${own}.${name}`;
      const file = scanned(sub);
      return file ? inFile(file, rest, use) : index.has(sub) && inModule(sub, rest, use);
    });
  };

  const classLeads = (f: SourceFile, s: ModuleScan, cls: Block): boolean =>
    decide(
      s,
      `#${cls.start}`,
      () => cls.names === null || isIntrinsic(s, cls) || cls.names.some((c) => inFile(f, c, "base")) || cls.decorators.some((c) => inFile(f, c, "decorator")),
    );

  const worth = new Set<SourceFile>();
  for (const f of files) {
    if (f.text.includes("_middleware") && FACTORY.test(f.text)) worth.add(f);
    else if (CLASS_KEYWORD.test(f.text)) {
      const s = scanOf(f);
      if (s.classes.some((c) => classLeads(f, s, c))) worth.add(f);
    }
  }
  return worth;
}

/**
 * Names a module binds (anywhere in it: every branch, fallback and scope), its star imports,
 * classes and functions, found from their keywords (`import`, `class`, `def`, `@`) where a
 * statement starts: a line's start, or after `;` or a compound header's `:`. Aliases
 * (`name = a.b`) are looked for by name, when a name is asked about (see `aliasesOf`).
 */
function scanModule(f: SourceFile, mod: string): ModuleScan {
  const text = parseable(f.text);
  // Backslash continuations become blanks of the same length: one line, offsets kept.
  const joined = text.includes("\\") ? text.replace(/\\\r?\n/g, (m) => " ".repeat(m.length)) : text;
  const isPackage = path.basename(f.absPath) === "__init__.py";
  const bindings = new Map<string, Binding[]>();
  const bind = (name: string, b: Binding) => {
    const list = bindings.get(name);
    if (list) list.push(b);
    else bindings.set(name, [b]);
  };
  const stars: string[] = [];
  const blocks: Block[] = [];

  /** `from … import …` at `i` (the keyword). */
  const fromImport = (i: number) => {
    let j = i + 4;
    const c = joined[j];
    if (c !== " " && c !== "\t" && c !== "\f" && c !== ".") return;
    j = skipBlanks(joined, j);
    let level = 0;
    while (joined[j] === ".") {
      level++;
      j = skipBlanks(joined, j + 1);
    }
    let name = "";
    if (!isKeywordAt(joined, j, "import")) {
      const d = readDotted(joined, j);
      if (!d) return;
      name = d.parts.join(".");
      j = skipBlanks(joined, d.end);
      if (!isKeywordAt(joined, j, "import")) return;
    }
    j = skipBlanks(joined, j + 6);
    const from = level ? resolveRelative(mod, isPackage, level, name) : name;
    if (!from) return;
    const nl = joined.indexOf("\n", j);
    const list = joined[j] === "(" ? bracketed(joined, j) : /^[^;#]*/.exec(joined.slice(j, nl < 0 ? joined.length : nl))![0];
    for (const item of list.split(",")) {
      const words = item.trim().split(/\s+/);
      if (words[0] === "*") stars.push(from);
      else if (words[0]) bind(words[1] === "as" && words[2] ? words[2] : words[0], { kind: "from", module: from, name: words[0] });
    }
  };
  /** `import a.b, c as d` from the list's start. */
  const importModules = (list: string) => {
    for (const item of list.split(",")) {
      const j = skipBlanks(item, 0);
      const d = readDotted(item, j);
      if (!d) continue;
      const k = skipBlanks(item, d.end);
      const as = isKeywordAt(item, k, "as") ? readName(item, skipBlanks(item, k + 2)) : 0;
      const dotted = d.parts.join(".");
      if (as) bind(item.slice(skipBlanks(item, k + 2), as), { kind: "module", module: dotted });
      else bind(d.parts[0], { kind: "module", module: d.parts[0] });
    }
  };

  // Imports: each `import` keyword, and the statement it belongs to.
  for (let k = wordAt(joined, "import", 0); k >= 0; k = wordAt(joined, "import", k + 6))
    for (const st of statementStarts(joined, k)) {
      if (st === k) {
        if (isBlank(joined.charCodeAt(k + 6))) {
          const nl = joined.indexOf("\n", k);
          importModules(/^[^;#]*/.exec(joined.slice(k + 7, nl < 0 ? joined.length : nl))![0]);
        }
      } else if (joined.startsWith("from", st)) fromImport(st);
    }
  const starts = (word: string, each: (k: number) => void) => {
    for (let k = wordAt(joined, word, 0); k >= 0; k = wordAt(joined, word, k + word.length)) if (atLineStart(joined, k)) each(k);
  };
  starts("class", (k) => {
    const header = classHeader(joined, k + 5);
    // Otherwise no class statement (prose in a string).
    if (header) blocks.push({ kind: "class", name: header.name, start: k, names: header.names, decorators: [] });
  });
  for (let k = wordAt(joined, "def", 0); k >= 0; k = wordAt(joined, "def", k + 3)) {
    let at = k;
    if (!atLineStart(joined, k)) {
      // `async def`: the block starts at `async`.
      let a = k - 1;
      while (a >= 0 && isBlank(joined.charCodeAt(a))) a--;
      if (a === k - 1 || !joined.startsWith("async", a - 4) || !atLineStart(joined, a - 4) || isNameChar(joined.charCodeAt(a - 5))) continue;
      at = a - 4;
    }
    const j = skipBlanks(joined, k + 3);
    const end = j > k + 3 ? readName(joined, j) : 0;
    if (end) blocks.push({ kind: "def", name: joined.slice(j, end), start: at, names: [], decorators: [] });
  }
  const decorators: { at: number; chain: string[] }[] = [];
  for (let k = joined.indexOf("@"); k >= 0; k = joined.indexOf("@", k + 1))
    if (atLineStart(joined, k)) {
      const d = readDotted(joined, skipBlanks(joined, k + 1));
      if (d) decorators.push({ at: k, chain: d.parts });
    }
  blocks.sort((a, b) => a.start - b.start);
  // A block's decorators: those since the previous `class` or `def`.
  let d = 0;
  for (let b = 0; b < blocks.length; b++) {
    while (d < decorators.length && decorators[d].at < blocks[b].start) blocks[b].decorators.push(decorators[d++].chain);
    bind(blocks[b].name, { kind: "block", block: blocks[b] });
  }
  return { text, joined, bindings, stars, blocks, classes: blocks.filter((b) => b.kind === "class"), memo: new Map(), aliases: new Map() };
}

/** `name = a.b.c` (nothing else on the right), wherever a statement starts: the module's aliases of a name. */
function aliasesOf(s: ModuleScan, name: string): Binding[] {
  let out = s.aliases.get(name);
  if (out) return out;
  // Past a few names, one pass for every name (a search per name would read a large module over and over).
  if (s.aliases.size >= 8) {
    if (!s.allAliases) {
      s.allAliases = new Map();
      for (const m of s.joined.matchAll(ASSIGN_ALL)) {
        const list = s.allAliases.get(m[1]) ?? [];
        list.push({ kind: "alias", chain: m[2].split(".").map((p) => p.trim()) });
        s.allAliases.set(m[1], list);
      }
    }
    return s.allAliases.get(name) ?? [];
  }
  out = [];
  const { joined } = s;
  for (let k = wordAt(joined, name, 0); k >= 0; k = wordAt(joined, name, k + name.length)) {
    const end = k + name.length;
    let j = skipBlanks(joined, end);
    const c = joined[j];
    if (c !== "=" && c !== ":") continue;
    if (!statementStarts(joined, k).includes(k)) continue;
    if (c === ":") {
      ASSIGN_AT.lastIndex = k; // annotated: rare
      const m = ASSIGN_AT.exec(joined);
      if (m && m[1] === name) out.push({ kind: "alias", chain: m[2].split(".").map((p) => p.trim()) });
      continue;
    }
    if (joined[j + 1] === "=") continue;
    const d = readDotted(joined, skipBlanks(joined, j + 1));
    if (!d) continue;
    j = skipBlanks(joined, d.end);
    const after = joined[j];
    if (j >= joined.length || after === "\n" || after === "\r" || after === ";" || after === "#") out.push({ kind: "alias", chain: d.parts });
  }
  s.aliases.set(name, out);
  return out;
}

/** The next whole-word occurrence of `word` from `from`; -1 when none. */
function wordAt(text: string, word: string, from: number): number {
  for (let k = text.indexOf(word, from); k >= 0; k = text.indexOf(word, k + 1))
    if (!isNameChar(text.charCodeAt(k - 1)) && !isNameChar(text.charCodeAt(k + word.length))) return k;
  return -1;
}

/** Whether `k` is where a line's first statement starts (after its indentation, or a byte-order mark). */
function atLineStart(text: string, k: number): boolean {
  let j = k - 1;
  while (j >= 0 && isBlank(text.charCodeAt(j))) j--;
  return j < 0 || text[j] === "\n" || text[j] === "\r" || (j === 0 && text.charCodeAt(0) === 0xfeff);
}

/** Where the statements of `k`'s line start, up to `k`: the line's first, and each after `;` or `:`. */
function statementStarts(text: string, k: number): number[] {
  let lineStart = text.lastIndexOf("\n", k - 1) + 1;
  if (lineStart === 0 && text.charCodeAt(0) === 0xfeff) lineStart = 1;
  const out = [skipBlanks(text, lineStart)];
  for (let j = lineStart; j < k; j++) {
    const c = text.charCodeAt(j);
    if (c === 59 || c === 58) out.push(skipBlanks(text, j + 1));
  }
  return out;
}

const isBlank = (c: number) => c === 32 || c === 9 || c === 12;
const isNameChar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57) || (c >= 128 && c !== 0xfeff);
const isNameStart = (c: number) => isNameChar(c) && !(c >= 48 && c <= 57);

function skipBlanks(text: string, i: number): number {
  while (isBlank(text.charCodeAt(i))) i++;
  return i;
}

/** The end of the name at `i`; 0 when none starts there. */
function readName(text: string, i: number): number {
  if (!isNameStart(text.charCodeAt(i))) return 0;
  let j = i + 1;
  while (isNameChar(text.charCodeAt(j))) j++;
  return j;
}

/** `word` at `i` as a whole word. */
function isKeywordAt(text: string, i: number, word: string): boolean {
  return text.startsWith(word, i) && !isNameChar(text.charCodeAt(i + word.length));
}

/** A dotted name at `i` (blanks around the dots allowed). */
function readDotted(text: string, i: number): { parts: string[]; end: number } | null {
  let end = readName(text, i);
  if (!end) return null;
  const parts = [text.slice(i, end)];
  for (;;) {
    const dot = skipBlanks(text, end);
    if (text[dot] !== ".") break;
    const k = skipBlanks(text, dot + 1);
    const e = readName(text, k);
    if (!e) break;
    parts.push(text.slice(k, e));
    end = e;
  }
  return { parts, end };
}

/** The text inside the brackets that open at `at` (comments left out); to the end when they do not close. */
function bracketed(text: string, at: number): string {
  let depth = 0;
  let out = "";
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    if (c === "#") {
      const nl = text.indexOf("\n", i);
      if (nl < 0) break;
      i = nl - 1;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return out;
    } else if (depth > 0) out += c;
  }
  return out;
}

/** `class Name[T](…):` from after the keyword: the name and the dotted names in the parentheses; null when it is no class statement. */
function classHeader(text: string, at: number): { name: string; names: string[][] | null } | null {
  let i = skipBlanks(text, at);
  if (i === at) return null;
  const end = readName(text, i);
  if (!end) return null;
  const name = text.slice(i, end);
  i = skipBlanks(text, end);
  if (text[i] === "[") {
    const close = closing(text, i);
    if (close < 0) return { name, names: null };
    i = skipBlanks(text, close + 1);
  }
  if (text[i] === ":") return { name, names: [] };
  if (text[i] !== "(") return null;
  const close = closing(text, i);
  if (close < 0) return { name, names: null };
  const names: string[][] = [];
  for (let j = i + 1; j < close; ) {
    const c = text.charCodeAt(j);
    if (c === 35) j = text.indexOf("\n", j); // a comment
    else if (c === 34 || c === 39) j = stringEnd(text, j);
    else if (isNameStart(c) && !isNameChar(text.charCodeAt(j - 1))) {
      const d = readDotted(text, j)!;
      names.push(d.parts);
      j = d.end;
    } else j++;
    if (j < 0) return { name, names: null };
  }
  return { name, names };
}

/** The bracket that closes the one at `at`, skipping strings and comments; -1 when none does. */
function closing(text: string, at: number): number {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    if (c === "#") {
      i = text.indexOf("\n", i);
      if (i < 0) return -1;
    } else if (c === '"' || c === "'") {
      i = stringEnd(text, i);
      if (i < 0) return -1;
      i--;
    } else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return i;
      if (depth < 0) return -1;
    }
  }
  return -1;
}

/** Just after the string literal whose opening quote is at `at`; -1 when it does not end. */
function stringEnd(text: string, at: number): number {
  const q = text[at];
  const triple = text.startsWith(q + q + q, at);
  let i = at + (triple ? 3 : 1);
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") i += text[i + 1] === "\r" && text[i + 2] === "\n" ? 3 : 2;
    else if (c === q && (!triple || text.startsWith(q + q + q, i))) return i + (triple ? 3 : 1);
    else if (c === "\n" && !triple) return -1;
    else i++;
  }
  return -1;
}

/**
 * Where each class and function ends: at the next logical line indented no deeper than its
 * keyword's line (a line whose indentation is not a prefix of the keyword's counts as deeper).
 * Null when the text does not scan cleanly (a string or bracket left open).
 */
function blockEnds(s: ModuleScan): Map<Block, number> | null {
  if (s.ends !== undefined) return s.ends;
  const lines = logicalLines(s.text);
  let ends: Map<Block, number> | null = null;
  if (lines) {
    ends = new Map();
    // One pass over the lines, with the blocks still open (as many as the nesting is deep).
    const open: { block: Block; indent: string }[] = [];
    let next = 0;
    for (const l of lines) {
      for (; next < s.blocks.length && s.blocks[next].start < l.start; next++) {
        const b = s.blocks[next];
        open.push({ block: b, indent: s.text.slice(s.text.lastIndexOf("\n", b.start - 1) + 1, b.start) });
      }
      if (l.blank) continue;
      for (let k = open.length - 1; k >= 0; k--)
        if (open[k].indent.startsWith(l.indent)) {
          ends.set(open[k].block, l.start);
          open.splice(k, 1);
        }
    }
    for (const b of s.blocks) if (!ends.has(b)) ends.set(b, s.text.length);
  }
  return (s.ends = ends);
}

/** Whether a function's or class's own code names a flag. */
function mentionsFlag(s: ModuleScan, b: Block): boolean {
  if (!FLAG_MENTION.test(s.text)) return false;
  const ends = blockEnds(s);
  if (!ends) return true;
  const search = new RegExp(FLAG_MENTION.source, "g"); // own lastIndex: the shared one stays at 0 for matchAll
  search.lastIndex = b.start;
  const m = search.exec(s.text);
  return m !== null && m.index < ends.get(b)!;
}

/**
 * Whether a class's own block says it is middleware (SIGNS). Outside every class, a decorator
 * line counts for the class that follows it, and a flag set after a class for the classes of
 * that name. When the text does not scan cleanly, every class counts.
 */
function isIntrinsic(s: ModuleScan, cls: Block): boolean {
  if (s.intrinsic === undefined) s.intrinsic = intrinsicClasses(s);
  return s.intrinsic === "all" || s.intrinsic.has(cls);
}

function intrinsicClasses(s: ModuleScan): Set<Block> | "all" {
  const { text, classes } = s;
  const marked = new Set<Block>();
  if (!MAYBE_SIGNS.test(text)) return marked;
  const signs = SIGNS.test(text);
  if (!signs && !FLAG_MENTION.test(text)) return marked;
  const ends = blockEnds(s);
  if (!ends) return "all";
  // The classes around a position, for positions in increasing order: a sweep that keeps the
  // classes open there (as many as the nesting is deep).
  const sweep = () => {
    const open: Block[] = [];
    let next = 0;
    return (at: number) => {
      for (; next < classes.length && classes[next].start <= at; next++) open.push(classes[next]);
      for (let k = open.length - 1; k >= 0; k--) if (ends.get(open[k])! <= at) open.splice(k, 1);
      return open;
    };
  };
  let inside = sweep();
  if (signs)
    for (const m of text.matchAll(SIGNS_ALL)) {
      const within = inside(m.index);
      for (const c of within) marked.add(c);
      if (within.length) continue;
      const lineStart = text.lastIndexOf("\n", m.index - 1) + 1;
      if (/^[ \t\f]*@/.test(text.slice(lineStart, m.index + 1))) {
        const next = classes.find((c) => c.start > m.index);
        if (next) marked.add(next);
      }
    }
  inside = sweep();
  for (const m of text.matchAll(FLAG_MENTION_ALL)) {
    if (inside(m.index).length) continue;
    const before = s.joined.slice(Math.max(0, m.index - 400), m.index);
    const target = FLAG_ATTRIBUTE.exec(before)?.[1] ?? FLAG_SETATTR.exec(before)?.[1];
    for (const c of classes) if (c.name === target) marked.add(c);
  }
  return marked;
}

/** The starts of the logical lines (not inside a string or brackets, not after a backslash), with their indentation; null when a string or bracket stays open. */
function logicalLines(text: string): { start: number; indent: string; blank: boolean }[] | null {
  const out: { start: number; indent: string; blank: boolean }[] = [];
  const startLine = (at: number) => {
    const j = skipBlanks(text, at);
    const c = text[j];
    out.push({ start: at, indent: text.slice(at, j), blank: j >= text.length || c === "\n" || c === "\r" || c === "#" || (c === "\\" && text[j + 1] === "\n") });
  };
  const special = /["'#\\\n()[\]{}]/g;
  let depth = 0;
  let i = 0;
  startLine(0);
  while (i < text.length) {
    special.lastIndex = i;
    const m = special.exec(text);
    if (!m) break;
    i = m.index;
    const c = text[i];
    if (c === "\n") {
      i++;
      if (depth === 0) startLine(i);
    } else if (c === "#") {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? text.length : nl;
    } else if (c === "\\") i += text[i + 1] === "\r" && text[i + 2] === "\n" ? 3 : 2;
    else if (c === '"' || c === "'") {
      const end = stringEnd(text, i);
      if (end < 0) return null;
      i = end;
    } else if (c === "(" || c === "[" || c === "{") {
      depth++;
      i++;
    } else {
      depth = Math.max(0, depth - 1);
      i++;
    }
  }
  return depth === 0 ? out : null;
}

export const BUILTINS = new Set(["object", "Exception", "BaseException", "type", "dict", "list", "tuple", "set", "str", "int", "ValueError", "RuntimeError", "TypeError"]);
// Standard-library bases (ABC, Generic, unittest.TestCase, …) are not middleware: never
// "unresolved". Python 3.11's sys.stdlib_module_names (public ones), and two packages that are
// nearly standard to Django code.
export const STDLIB = new Set(
  (
    "abc aifc argparse array ast asynchat asyncio asyncore atexit audioop base64 bdb binascii bisect builtins bz2 cProfile " +
    "calendar cgi cgitb chunk cmath cmd code codecs codeop collections colorsys compileall concurrent configparser contextlib " +
    "contextvars copy copyreg crypt csv ctypes curses dataclasses datetime dbm decimal difflib dis distutils doctest email " +
    "encodings ensurepip enum errno faulthandler fcntl filecmp fileinput fnmatch fractions ftplib functools gc genericpath " +
    "getopt getpass gettext glob graphlib grp gzip hashlib heapq hmac html http idlelib imaplib imghdr imp importlib inspect io " +
    "ipaddress itertools json keyword lib2to3 linecache locale logging lzma mailbox mailcap marshal math mimetypes mmap " +
    "modulefinder msilib msvcrt multiprocessing netrc nis nntplib nt ntpath nturl2path numbers opcode operator optparse os " +
    "ossaudiodev pathlib pdb pickle pickletools pipes pkgutil platform plistlib poplib posix posixpath pprint profile pstats " +
    "pty pwd py_compile pyclbr pydoc pydoc_data pyexpat queue quopri random re readline reprlib resource rlcompleter runpy " +
    "sched secrets select selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket socketserver spwd sqlite3 " +
    "sre_compile sre_constants sre_parse ssl stat statistics string stringprep struct subprocess sunau symtable sys sysconfig " +
    "syslog tabnanny tarfile telnetlib tempfile termios textwrap threading time timeit tkinter token tokenize tomllib trace " +
    "traceback tracemalloc tty turtle turtledemo types typing unicodedata unittest urllib uu uuid venv warnings wave weakref " +
    "webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo typing_extensions asgiref"
  ).split(" "),
);

