// PEP 263 coding declarations: a Python file that declares another encoding than UTF-8 is
// reported, never edited (writing it back as UTF-8 would be mojibake).

const UTF8_NAMES = new Set(["utf-8", "utf8", "u8", "utf", "utf-8-sig", "ascii", "us-ascii"]);

/**
 * A PEP 263 coding declaration: on the first or second line (the second only after a comment or
 * blank first line), lines ending at LF, CRLF or a lone CR. `utf8`: whether CPython reads the file
 * as UTF-8 (utf-8 and its aliases, `utf-8-*` variants as CPython's get_normal_name does, ASCII).
 * Exported for readers of raw bytes too (decode them as latin1: the declaration itself is ASCII).
 */
export function codingDeclaration(text: string): { encoding: string; utf8: boolean; line: number; column: number } | null {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/, 2);
  for (const [i, line] of lines.entries()) {
    const m = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/.exec(line);
    if (m) {
      const enc = m[1].toLowerCase().replace(/_/g, "-");
      const utf8 = UTF8_NAMES.has(enc) || enc.startsWith("utf-8-");
      return { encoding: m[1], utf8, line: i + 1, column: line.indexOf(m[1], m.index + m[0].length - m[1].length) + 1 };
    }
    if (!/^[ \t\f]*(#.*)?$/.test(line)) return null; // PEP 263: the first two lines, before code
  }
  return null;
}


export function codingMessage(encoding: string): string {
  return `its coding declaration (PEP 263) names the encoding '${encoding}': files in an encoding other than UTF-8 are not edited`;
}
