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
