// Textual pre-filter: decide which files are worth parsing without parsing them.

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A test for "the text mentions one of these identifiers as a whole word"; null for no names. */
export function mentions(names: Iterable<string>): ((text: string) => boolean) | null {
  const list = [...new Set(names)].filter(Boolean);
  if (!list.length) return null;
  const re = new RegExp(`(?<![\\w$])(?:${list.map(escape).join("|")})(?![\\w$])`);
  return (text) => re.test(text);
}

// `from '…'`, `import '…'`, `import('…')`, `require('…')`: comments and strings may give false
// positives, which only cost a parse.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(["'])([^"'\n\r]+)\1/g;

export function specifiers(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(SPECIFIER)) out.add(m[2]);
  return [...out];
}

const IMPORT_BEFORE = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)$/;

/**
 * The relative specifiers that climb out of their folder (`../x`, `./../x`), in the same forms
 * as `specifiers`. A search for `../` right after a quote: much cheaper on large files than
 * listing every specifier. (`./a/../../x` is not looked for: no tool writes it.)
 */
export function parentSpecifiers(text: string): string[] {
  const out = new Set<string>();
  for (let i = text.indexOf("../"); i >= 0; i = text.indexOf("../", i + 3)) {
    const s = text[i - 1] === "/" && text[i - 2] === "." ? i - 3 : i - 1;
    const q = text[s];
    if (q !== '"' && q !== "'") continue;
    const end = text.indexOf(q, i);
    if (end < 0) break;
    const spec = text.slice(s + 1, end);
    if (!/[\n\r]/.test(spec) && IMPORT_BEFORE.test(text.slice(Math.max(0, s - 40), s))) out.add(spec);
    i = end;
  }
  return [...out];
}
