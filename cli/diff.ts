// Unified diff with a/ and b/ prefixes that `git apply` accepts from the current directory.
import { createTwoFilesPatch } from "diff";

export function unifiedDiff(file: string, before: string | null, after: string): string {
  const patch = createTwoFilesPatch(before === null ? "/dev/null" : `a/${file}`, `b/${file}`, before ?? "", after, "", "", { context: 3 });
  // jsdiff writes an "Index:" line and a separator first; git wants the diff header.
  const body = patch.split("\n").slice(2).join("\n");
  const header = before === null ? `diff --git a/${file} b/${file}\nnew file mode 100644\n` : `diff --git a/${file} b/${file}\n`;
  return header + body.replace(/^(---|\+\+\+) (.*?)\t$/gm, "$1 $2");
}
