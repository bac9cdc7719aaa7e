// PEP 263 coding declarations. A file in a declared single-byte encoding is decoded with it and
// written back in it; every byte that is not inserted stays as it was, since each byte maps to
// one character and back. The codecs are Python's own tables: Node's `latin1` for ISO-8859-1
// (TextDecoder's "latin1" is windows-1252), TextDecoder for the rest, with the bytes Python leaves
// undefined refused as Python refuses them. Other declared encodings (multi-byte ones) are
// reported, never edited, unless the file is plain ASCII (then every reading is the same).

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
  return `its coding declaration (PEP 263) names the encoding '${encoding}', which is not read byte-exactly here (only UTF-8 and single-byte encodings): not edited`;
}

/** A single-byte codec: `name` is what SourceFile.encoding records. */
export interface Codec {
  name: string;
  /** The text, or the offset of the first byte the encoding leaves undefined. */
  decode(bytes: Uint8Array): { text: string } | { bad: number };
  encode(text: string): Buffer;
}

// Python's codec names (normalized as encodings.normalize_encoding does) → WHATWG label.
const SINGLE_BYTE: Record<string, string> = {};
for (const n of ["latin_1", "latin1", "latin", "l1", "iso_8859_1", "iso8859_1", "8859", "cp819", "iso_ir_100", "ibm819", "csisolatin1", "iso_latin_1"])
  SINGLE_BYTE[n] = "latin1";
const ISO: Record<number, string[]> = {
  2: ["latin2", "l2"],
  3: ["latin3", "l3"],
  4: ["latin4", "l4"],
  5: ["cyrillic"],
  6: ["arabic"],
  7: ["greek", "greek8"],
  8: ["hebrew"],
  9: ["latin5", "l5"],
  10: ["latin6", "l6"],
  13: ["latin7", "l7"],
  14: ["latin8", "l8"],
  15: ["latin9", "l9"],
};
for (const [n, names] of Object.entries(ISO)) for (const a of [`iso8859_${n}`, `iso_8859_${n}`, ...names]) SINGLE_BYTE[a] = `iso-8859-${n}`;
for (let n = 1250; n <= 1258; n++) SINGLE_BYTE[`cp${n}`] = SINGLE_BYTE[`windows_${n}`] = `windows-${n}`;
SINGLE_BYTE.koi8_r = "koi8-r";
// Bytes that WHATWG maps to C1 controls and Python's cp125x leave undefined.
const PY_UNDEFINED: Record<string, number[]> = {
  "windows-1250": [0x81, 0x83, 0x88, 0x90, 0x98],
  "windows-1251": [0x98],
  "windows-1252": [0x81, 0x8d, 0x8f, 0x90, 0x9d],
  "windows-1253": [0x81, 0x88, 0x8a, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x98, 0x9a, 0x9c, 0x9d, 0x9e, 0x9f, 0xaa, 0xd2, 0xff],
  "windows-1254": [0x81, 0x8d, 0x8e, 0x8f, 0x90, 0x9d, 0x9e],
  "windows-1255": [0x81, 0x8a, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x9a, 0x9c, 0x9d, 0x9e, 0x9f, 0xca, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xfb, 0xfc, 0xff],
  "windows-1257": [0x81, 0x83, 0x88, 0x8a, 0x8c, 0x90, 0x98, 0x9a, 0x9c, 0x9f, 0xa1, 0xa5],
  "windows-1258": [0x81, 0x8a, 0x8d, 0x8e, 0x8f, 0x90, 0x9a, 0x9d, 0x9e],
};

const CP1252_C1 = [
  ..."\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178",
];

const codecs = new Map<string, Codec | null>();

/** The codec of a declared encoding, when it is a single-byte one read byte-exactly. */
export function codecFor(declared: string): Codec | null {
  const key = declared.toLowerCase().replace(/[^a-z0-9.]+/g, "_");
  const label = (Object.hasOwn(SINGLE_BYTE, key) ? SINGLE_BYTE[key] : null) ?? (/^(?:latin-1|iso-8859-1|iso-latin-1)(?:-|$)/i.test(declared.replace(/_/g, "-")) ? "latin1" : null);
  if (!label) return null;
  if (codecs.has(label)) return codecs.get(label)!;
  let codec: Codec | null = null;
  if (label === "latin1") {
    codec = { name: label, decode: (b) => ({ text: Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1") }), encode: (t) => Buffer.from(t, "latin1") };
  } else {
    try {
      const all = new Uint8Array(256).map((_, i) => i);
      const chars = [...new TextDecoder(label).decode(all)];
      // Node 20's TextDecoder reads windows-1252 as ISO-8859-1: its 0x80-0x9F row, from Python's table.
      if (label === "windows-1252") chars.splice(0x80, 32, ...CP1252_C1);
      // WHATWG reads iso-8859-9 as windows-1254; in every ISO-8859 table 0x80-0x9F are the C1 controls.
      if (label.startsWith("iso-8859-")) for (let b = 0x80; b < 0xa0; b++) chars[b] = String.fromCharCode(b);
      if (chars.length === 256) {
        for (const b of PY_UNDEFINED[label] ?? []) chars[b] = "\uFFFD";
        const back = new Map<string, number>();
        chars.forEach((c, b) => c !== "\uFFFD" && back.set(c, b));
        codec = {
          name: label,
          decode(bytes) {
            let text = "";
            for (let i = 0; i < bytes.length; i++) {
              const c = chars[bytes[i]];
              if (c === "\uFFFD") return { bad: i };
              text += c;
            }
            return { text };
          },
          encode(text) {
            const out = Buffer.alloc(text.length);
            for (let i = 0; i < text.length; i++) {
              const b = back.get(text[i]);
              if (b === undefined) throw new Error(`'${text[i]}' cannot be written in ${label}`);
              out[i] = b;
            }
            return out;
          },
        };
      }
    } catch {
      codec = null; // not in this Node's ICU
    }
  }
  codecs.set(label, codec);
  return codec;
}
