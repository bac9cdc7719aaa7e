// Unified diff with a/ and b/ prefixes that `git apply` accepts from the current directory.
import { createTwoFilesPatch } from "diff";

export function unifiedDiff(file: string, before: string | null, after: string): string {
  const patch = createTwoFilesPatch(before === null ? "/dev/null" : `a/${file}`, `b/${file}`, before ?? "", after, "", "", { context: 3 });
  // jsdiff writes a separator line (older versions also an "Index:" line) first; git wants the diff header.
  const lines = patch.split("\n");
  const body = lines.slice(lines.findIndex((l) => l.startsWith("--- "))).join("\n");
  const header = before === null ? `diff --git a/${file} b/${file}\nnew file mode 100644\n` : `diff --git a/${file} b/${file}\n`;
  return header + body.replace(/^(---|\+\+\+) (.*?)\t$/gm, "$1 $2");
}
