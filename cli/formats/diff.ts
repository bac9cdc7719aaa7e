// --dry-run on stdout: unified diffs with a/ and b/ prefixes that `git apply` accepts from the
// current directory.
import { createTwoFilesPatch } from "diff";
import { encodeSource } from "../../transforms/lib/files.ts";
import { colorDiff } from "../color.ts";
import type { RunOutput } from "./format.ts";

export function unifiedDiff(file: string, before: string | null, after: string): string {
  const patch = createTwoFilesPatch(before === null ? "/dev/null" : `a/${file}`, `b/${file}`, before ?? "", after, "", "", { context: 3 });
  // jsdiff writes a separator line (older versions also an "Index:" line) first; git wants the diff header.
  const lines = patch.split("\n");
  const body = lines.slice(lines.findIndex((l) => l.startsWith("--- "))).join("\n");
  const header = before === null ? `diff --git a/${file} b/${file}\nnew file mode 100644\n` : `diff --git a/${file} b/${file}\n`;
  return header + body.replace(/^(---|\+\+\+) (.*?)\t$/gm, "$1 $2");
}

export function diff({ changed, colors }: RunOutput): string | Buffer {
  const out: (string | Buffer)[] = [];
  for (const { file, before, after, encoding } of changed.values()) {
    const text = colorDiff(unifiedDiff(file, before, after), colors);
    // A diff that `git apply` takes carries the file's own bytes: its lines in the file's encoding.
    const hunks = text.indexOf("\n@@");
    out.push(encoding && hunks >= 0 ? Buffer.concat([Buffer.from(text.slice(0, hunks + 1)), encodeSource(text.slice(hunks + 1), encoding)]) : text);
  }
  return out.some((s) => typeof s !== "string") ? Buffer.concat(out.map((s) => (typeof s === "string" ? Buffer.from(s) : s))) : out.join("");
}
